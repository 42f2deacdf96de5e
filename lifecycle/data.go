package lifecycle

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/names"
)

// MaxDataSize caps a release-cycle.json file. python.org's is under 4 KiB.
const MaxDataSize = 1 << 20

// A Status is a series' place in its lifecycle, as release-cycle.json
// names it.
type Status string

// The statuses, in lifecycle order.
const (
	// StatusFeature: in development, before its first beta.
	StatusFeature Status = "feature"
	// StatusPrerelease: betas and release candidates, before its first release.
	StatusPrerelease Status = "prerelease"
	// StatusBugfix: full support, with bugfix releases (sources and installers).
	StatusBugfix Status = "bugfix"
	// StatusSecurity: security fixes only, as source releases.
	StatusSecurity Status = "security"
	// StatusEndOfLife: no more releases.
	StatusEndOfLife Status = "end-of-life"
)

var statusOrder = []Status{StatusFeature, StatusPrerelease, StatusBugfix, StatusSecurity, StatusEndOfLife}

// rank orders statuses along the lifecycle; -1 for an unknown status.
func (s Status) rank() int { return slices.Index(statusOrder, s) }

// A Series is one entry of release-cycle.json.
type Series struct {
	// Name is the series, such as "3.12" or "2.7".
	Name         string
	Major, Minor int
	// Branch is the series' git branch ("main" while in development).
	Branch string
	// PEP is the number of the series' release schedule PEP; 0 if not given.
	PEP int
	// Status is the status the data gives; see Phase for the status on a day.
	Status Status
	// FirstRelease is the date of the series' first release (3.X.0),
	// planned or past.
	FirstRelease Date
	// EndOfLife is the end-of-life date the data gives; zero if none.
	EndOfLife Date
	// ReleaseManager names the series' release manager(s).
	ReleaseManager string
}

// Data is a parsed release-cycle.json.
type Data struct {
	// Origin says where the data came from, for reports: "embedded" for
	// the copy built into pyverify, or the name of the file it was read from.
	Origin string
	// Date says how old the data is: the day the embedded copy was taken,
	// or the modification day of a file. Zero when unknown.
	Date Date
	// DateKind says what Date is: "copied" or "modified".
	DateKind string

	series []Series // newest first
	sum    [32]byte // SHA-256 of the file, for Gate.Key
}

// ErrUnknownSeries is wrapped by the error Data.Lookup returns for a series
// the data does not list: nothing is known about its lifecycle.
var ErrUnknownSeries = errors.New("not in the release-cycle data")

// Series returns every series, newest first.
func (d *Data) Series() []Series { return slices.Clone(d.series) }

// Lookup returns the series of v (3.12 for 3.12.4 or 3.12.0rc2).
func (d *Data) Lookup(v names.Version) (Series, error) {
	for _, s := range d.series {
		if s.Major == v.Major && s.Minor == v.Minor {
			return s, nil
		}
	}
	return Series{}, fmt.Errorf("%s: %w", v.Series(), ErrUnknownSeries)
}

// Describe names the data for messages: "embedded release-cycle.json,
// copied 2026-12-03" or "release-cycle data in FILE, modified 2026-12-03".
func (d *Data) Describe() string {
	what := "release-cycle data in " + d.Origin
	if d.Origin == "embedded" {
		what = "embedded release-cycle.json"
	}
	if !d.Date.IsZero() {
		what += ", " + d.DateKind + " " + d.Date.String()
	}
	return what
}

// rawSeries is one series as the file writes it. Unknown fields are
// ignored, so that python.org can add fields; known fields must have the
// right type. Pointers tell a missing field from an empty one.
type rawSeries struct {
	Branch         *string `json:"branch"`
	PEP            *int    `json:"pep"`
	Status         *string `json:"status"`
	FirstRelease   *string `json:"first_release"`
	EndOfLife      *string `json:"end_of_life"`
	ReleaseManager *string `json:"release_manager"`
}

// Parse reads release-cycle.json: an object from series name ("3.12") to
// the series' branch, pep, status, first_release, end_of_life and
// release_manager. status and first_release are required; fields this
// package does not know are ignored. Errors name the series and field at
// fault. Origin, Date and DateKind of the result are left for the caller.
func Parse(data []byte) (*Data, error) {
	if len(data) > MaxDataSize {
		return nil, fmt.Errorf("larger than %d bytes", MaxDataSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New(`want a JSON object of series, such as {"3.13": {"status": "bugfix", …}}`)
	}
	d := &Data{sum: sha256.Sum256(data)}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, malformed(err)
		}
		name := tok.(string) // object keys are strings
		if seen[name] {
			return nil, fmt.Errorf("%s: listed twice", quote(name))
		}
		seen[name] = true
		s, err := parseSeries(dec, name)
		if err != nil {
			return nil, err
		}
		d.series = append(d.series, s)
	}
	if _, err := dec.Token(); err != nil {
		return nil, malformed(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON object")
	}
	if len(d.series) == 0 {
		return nil, errors.New("no series")
	}
	slices.SortFunc(d.series, func(a, b Series) int {
		if a.Major != b.Major {
			return b.Major - a.Major
		}
		return b.Minor - a.Minor
	})
	return d, nil
}

func parseSeries(dec *json.Decoder, name string) (Series, error) {
	v, err := names.ParseVersion(name)
	if err != nil || v.HasPatch || v.Pre != "" {
		return Series{}, fmt.Errorf("%s: not a series: want MAJOR.MINOR, such as 3.13", quote(name))
	}
	s := Series{Name: name, Major: v.Major, Minor: v.Minor}
	var raw rawSeries
	if err := dec.Decode(&raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field == "" {
				return s, fmt.Errorf("%s: want an object, not %s", name, te.Value)
			}
			return s, fmt.Errorf("%s: %s: want %s, not %s", name, te.Field, kindOf(te.Type.String()), te.Value)
		}
		return s, fmt.Errorf("%s: %w", name, malformed(err))
	}
	if raw.Branch != nil {
		s.Branch = *raw.Branch
	}
	if raw.ReleaseManager != nil {
		s.ReleaseManager = *raw.ReleaseManager
	}
	if raw.PEP != nil {
		if *raw.PEP < 1 {
			return s, fmt.Errorf("%s: pep: want a PEP number, not %d", name, *raw.PEP)
		}
		s.PEP = *raw.PEP
	}
	if raw.Status == nil {
		return s, fmt.Errorf("%s: status: missing", name)
	}
	s.Status = Status(*raw.Status)
	if s.Status.rank() < 0 {
		var names []string
		for _, st := range statusOrder {
			names = append(names, string(st))
		}
		return s, fmt.Errorf("%s: status: unknown status %s (want one of %s)", name, quote(*raw.Status), strings.Join(names, ", "))
	}
	if raw.FirstRelease == nil {
		return s, fmt.Errorf("%s: first_release: missing", name)
	}
	if s.FirstRelease, err = ParseDate(*raw.FirstRelease); err != nil {
		return s, fmt.Errorf("%s: first_release: %w", name, err)
	}
	if raw.EndOfLife != nil {
		if s.EndOfLife, err = ParseDate(*raw.EndOfLife); err != nil {
			return s, fmt.Errorf("%s: end_of_life: %w", name, err)
		}
		if s.EndOfLife.Before(s.FirstRelease) {
			return s, fmt.Errorf("%s: end_of_life %s is before first_release %s", name, s.EndOfLife, s.FirstRelease)
		}
	}
	return s, nil
}

func malformed(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errors.New("malformed JSON: unexpected end of the file")
	}
	return fmt.Errorf("malformed JSON: %w", err)
}

// kindOf names a Go type the way the file's author thinks of it.
func kindOf(goType string) string {
	switch strings.TrimPrefix(goType, "*") {
	case "string":
		return "a string"
	case "int":
		return "a whole number"
	}
	return "an object"
}
