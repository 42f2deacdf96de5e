package lifecycle

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/names"
)

// realData is a copy of python.org's release-cycle.json (as embedded when
// these tests were written), so that updating the embedded copy does not
// change what these tests assert.
func realData(t testing.TB) *Data {
	t.Helper()
	b, err := os.ReadFile("testdata/release-cycle.json")
	if err != nil {
		t.Fatal(err)
	}
	d, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestParseReal(t *testing.T) {
	d := realData(t)
	ss := d.Series()
	if len(ss) != 19 || ss[0].Name != "3.16" || ss[len(ss)-1].Name != "2.6" {
		t.Fatalf("series: %d, first %s, last %s", len(ss), ss[0].Name, ss[len(ss)-1].Name)
	}
	// Newest first by version, not by file order: 2.7 sits between 3.2 and 3.1 in the file.
	for i := 1; i < len(ss); i++ {
		a, b := ss[i-1], ss[i]
		if a.Major < b.Major || a.Major == b.Major && a.Minor <= b.Minor {
			t.Errorf("%s before %s", a.Name, b.Name)
		}
	}
	s, err := d.Lookup(names.MustParseVersion("3.12.0rc2"))
	if err != nil {
		t.Fatal(err)
	}
	want := Series{Name: "3.12", Major: 3, Minor: 12, Branch: "3.12", PEP: 693, Status: StatusSecurity,
		FirstRelease: Date{2023, 10, 2}, EndOfLife: Date{2028, 10, 0}, ReleaseManager: "Thomas Wouters"}
	if s != want {
		t.Errorf("3.12 = %+v\nwant %+v", s, want)
	}
	if s, _ := d.Lookup(names.MustParseVersion("3.9.1")); s.EndOfLife != (Date{2025, 10, 31}) || s.Status != StatusEndOfLife {
		t.Errorf("3.9 = %+v", s)
	}
	if _, err := d.Lookup(names.MustParseVersion("3.99.0")); !errors.Is(err, ErrUnknownSeries) || err.Error() != "3.99: not in the release-cycle data" {
		t.Errorf("unknown series: %v", err)
	}
}

func TestEmbedded(t *testing.T) {
	d := Embedded()
	if d.Origin != "embedded" || d.DateKind != "copied" || d.Date.IsZero() || d.Date.IsMonth() {
		t.Errorf("embedded data: origin %q, date %v (%s)", d.Origin, d.Date, d.DateKind)
	}
	if _, err := d.Lookup(names.MustParseVersion("3.13.1")); err != nil {
		t.Error(err)
	}
	if got := d.Describe(); got != "embedded release-cycle.json, copied "+d.Date.String() {
		t.Errorf("Describe() = %q", got)
	}
	if _, err := Parse(embeddedJSON()); err != nil {
		t.Error(err)
	}
}

func TestParseTolerant(t *testing.T) {
	// New fields, a missing end of life, and no branch, PEP or manager are fine.
	d, err := Parse([]byte(`{"3.20": {"status": "feature", "first_release": "2031-10-07", "lts": true, "extra": {"a": [1]}},
		"3.19": {"status": "bugfix", "first_release": "2030-10", "end_of_life": null}}`))
	if err != nil {
		t.Fatal(err)
	}
	ss := d.Series()
	if len(ss) != 2 || ss[0].Name != "3.20" || !ss[1].EndOfLife.IsZero() || ss[1].FirstRelease != (Date{2030, 10, 0}) {
		t.Errorf("series: %+v", ss)
	}
}

func TestParseErrors(t *testing.T) {
	ok := `"status": "bugfix", "first_release": "2024-10-07"`
	for _, tc := range []struct {
		name, in, want string
	}{
		{"not-an-object", `[1, 2]`, `want a JSON object of series, such as {"3.13": {"status": "bugfix", …}}`},
		{"empty-file", ``, `want a JSON object of series, such as {"3.13": {"status": "bugfix", …}}`},
		{"no-series", `{}`, `no series`},
		{"trailing-data", `{"3.13": {` + ok + `}} {}`, `data after the JSON object`},
		{"truncated", `{"3.13": {` + ok + `}`, `malformed JSON: unexpected end of the file`},
		{"series-twice", `{"3.13": {` + ok + `}, "3.13": {` + ok + `}}`, `"3.13": listed twice`},
		{"bad-series-name", `{"3.13.1": {` + ok + `}}`, `"3.13.1": not a series: want MAJOR.MINOR, such as 3.13`},
		{"series-with-leading-zero", `{"3.013": {` + ok + `}}`, `"3.013": not a series: want MAJOR.MINOR, such as 3.13`},
		{"series-not-object", `{"3.13": "bugfix"}`, `3.13: want an object, not string`},
		{"status-missing", `{"3.13": {"first_release": "2024-10-07"}}`, `3.13: status: missing`},
		{"status-unknown", `{"3.13": {"status": "lts", "first_release": "2024-10-07"}}`,
			`3.13: status: unknown status "lts" (want one of feature, prerelease, bugfix, security, end-of-life)`},
		{"status-not-string", `{"3.13": {"status": 3, "first_release": "2024-10-07"}}`, `3.13: status: want a string, not number`},
		{"first-release-missing", `{"3.13": {"status": "bugfix"}}`, `3.13: first_release: missing`},
		{"first-release-bad", `{"3.13": {"status": "bugfix", "first_release": "2024-13-07"}}`,
			`3.13: first_release: invalid date "2024-13-07": want YYYY-MM-DD or YYYY-MM`},
		{"end-of-life-bad", `{"3.13": {` + ok + `, "end_of_life": "soon"}}`,
			`3.13: end_of_life: invalid date "soon": want YYYY-MM-DD or YYYY-MM`},
		{"end-of-life-before-first-release", `{"3.13": {` + ok + `, "end_of_life": "2020-01"}}`,
			`3.13: end_of_life 2020-01 is before first_release 2024-10-07`},
		{"pep-not-number", `{"3.13": {` + ok + `, "pep": "719"}}`, `3.13: pep: want a whole number, not string`},
		{"pep-fraction", `{"3.13": {` + ok + `, "pep": 7.5}}`, `3.13: pep: want a whole number, not number 7.5`},
		{"pep-zero", `{"3.13": {` + ok + `, "pep": 0}}`, `3.13: pep: want a PEP number, not 0`},
		{"branch-not-string", `{"3.13": {` + ok + `, "branch": 3}}`, `3.13: branch: want a string, not number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.in))
			if err == nil || err.Error() != tc.want {
				t.Errorf("Parse: %v\nwant %s", err, tc.want)
			}
		})
	}
	big := []byte(`{"3.13": {` + ok + `, "x": "` + strings.Repeat("a", MaxDataSize) + `"}}`)
	if _, err := Parse(big); err == nil || err.Error() != "larger than 1048576 bytes" {
		t.Errorf("oversized: %v", err)
	}
}

// FuzzParse: Parse never panics, and what it accepts is consistent: every
// series has a known status and a first release, and can be looked up.
func FuzzParse(f *testing.F) {
	real, err := os.ReadFile("testdata/release-cycle.json")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(real)
	f.Add([]byte(`{"3.13": {"status": "bugfix", "first_release": "2024-10", "end_of_life": "2029-10-31", "pep": 719}}`))
	f.Add([]byte(`{"3.13": {"status": "bugfix", "first_release": "2024-10-07"}, "3.13": {}}`))
	f.Add([]byte(`{"2.7": null}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\x1b\r\n") {
				t.Fatalf("error carries control characters: %q", err)
			}
			return
		}
		for _, s := range d.Series() {
			if s.Status.rank() < 0 || s.FirstRelease.IsZero() {
				t.Fatalf("accepted %+v", s)
			}
			v, err := names.ParseVersion(s.Name)
			if err != nil {
				t.Fatalf("series name %q: %v", s.Name, err)
			}
			if got, err := d.Lookup(v); err != nil || got.Name != s.Name {
				t.Fatalf("Lookup(%s) = %v, %v", v, got.Name, err)
			}
			p := s.At(Date{2026, 1, 1})
			if p.Status.rank() < s.Status.rank() {
				t.Fatalf("At moved %s back to %s", s.Status, p.Status)
			}
		}
	})
}
