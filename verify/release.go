package verify

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pyverify/pyverify/binding"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/releasedate"
)

// The release check (KindRelease, StatusListed, ReasonWrongRelease,
// ReasonSignedBeforeRelease; package report defines them) binds the bytes
// to the release they are verified as: the file name is one python.org
// gives that release, the content names it where the format allows (a
// source tarball unpacks into Python-{V}/, an embeddable zip holds its
// series' DLL, windows-{V}.json lists {V}), and no signature was made well
// before the release came out.

// WithReleaseDates makes the verifier judge signing times against t
// instead of the embedded table (releasedate.Embedded), for tests and for
// a newer table.
func WithReleaseDates(t *releasedate.Table) Option {
	return func(o *verifierOptions) error {
		if t == nil {
			return errors.New("WithReleaseDates: no table")
		}
		if o.dates != nil {
			return errors.New("WithReleaseDates given more than once")
		}
		o.dates = t
		return nil
	}
}

// releaseEvidence is what a check learned about which release its bytes
// are, beyond their name.
type releaseEvidence struct {
	// marker is what the content says; nil when the bytes were not read
	// (VerifyDigest).
	marker *binding.Marker
	// signed lists the signatures that verified and when each was made.
	signed []signedAt
	// authentic reports that a signature verified the bytes: only then
	// does what the content says count.
	authentic bool
}

type signedAt struct {
	kind Kind
	at   time.Time
}

// releaseCheck is the report's release check.
func (v *Verifier) releaseCheck(t Target, ev releaseEvidence) CheckResult {
	r := CheckResult{Kind: KindRelease}
	want := t.Version.String()
	var fails, notes []string
	reason := ReasonWrongRelease

	if err := names.CheckReleasePath(t.Folder, t.Name, t.Version); err != nil {
		fails = append(fails, err.Error())
	}
	if !ev.authentic {
		// Bytes no signature vouches for say nothing about any release.
		if len(fails) > 0 {
			return CheckResult{Kind: KindRelease, Status: StatusFail, Required: true, Reason: reason, Detail: strings.Join(fails, "; ")}
		}
		return CheckResult{Kind: KindRelease, Status: StatusSkipped, Detail: "not checked: no signature verified the bytes"}
	}

	bound := false
	switch m := ev.marker; {
	case m == nil && binding.FormatOf(t.Name) != binding.None:
		notes = append(notes, "content not read (verified by digest)")
	case m == nil:
	default:
		switch m.Judge(want) {
		case binding.Bound:
			bound = true
			notes = append(notes, contentNames(*m))
		case binding.SeriesOnly:
			notes = append(notes, contentNames(*m)+", not the release")
		case binding.Other:
			fails = append(fails, contentMismatch(*m, want))
		}
	}

	early := ""
	for _, s := range ev.signed {
		j := v.dates.Check(want, s.at)
		switch j.Verdict {
		case releasedate.Before:
			if early == "" {
				early = signedBefore(s.at, want, j)
			}
		case releasedate.Unknown:
			notes = append(notes, fmt.Sprintf("%s is not in pyverify's table of release dates, so its signing time is not checked", want))
		}
	}
	if early != "" {
		if len(fails) == 0 {
			reason = ReasonSignedBeforeRelease
		}
		fails = append(fails, early)
	}
	notes = dedup(notes)

	switch {
	case len(fails) > 0:
		r.Status, r.Required, r.Reason = StatusFail, true, reason
		r.Detail = strings.Join(fails, "; ")
	case bound:
		r.Status, r.Required = StatusPass, true
		r.Detail = strings.Join(notes, "; ")
	case len(t.Sources) > 0:
		r.Status = StatusListed
		r.Detail = "bound only by the release listing"
		if t.ListingHost != "" {
			r.Detail += fmt.Sprintf(", which came from %s, not python.org: the binding rests on that host", safetext.Word(t.ListingHost))
		}
		if len(notes) > 0 {
			r.Detail += "; " + strings.Join(notes, "; ")
		}
	default:
		r.Status = StatusSkipped
		r.Detail = "no binding possible: nothing in a file of this kind names its release, and no release listing was read"
		if len(notes) > 0 {
			r.Detail += "; " + strings.Join(notes, "; ")
		}
	}
	return r
}

// contentNames words a marker that names the release or its series.
func contentNames(m binding.Marker) string {
	found := safetext.Word(m.Found)
	switch m.Format {
	case binding.TarGzip, binding.TarXZ, binding.TarBzip2:
		return "the archive unpacks into " + found
	case binding.Zip:
		return fmt.Sprintf("the package holds %s (series %s)", found, m.Version)
	case binding.WindowsIndex:
		return "the index lists " + found
	}
	return "the content names " + found
}

// contentMismatch words a marker that names another release, or none where
// the format must.
func contentMismatch(m binding.Marker, want string) string {
	switch {
	case m.Err != nil:
		return fmt.Sprintf("the content does not say which release it is (%s: %s)", m.Format, safetext.Line(m.Err.Error()))
	case m.Series:
		return fmt.Sprintf("the package holds %s: it is a file of %s, not of %s", safetext.Word(m.Found), m.Version, want)
	case m.Version != "":
		return fmt.Sprintf("%s: it is %s, not %s", contentNames(m), m.Version, want)
	}
	return fmt.Sprintf("%s, not Python-%s/", contentNames(m), want)
}

// signedBefore words a signature made well before the release.
func signedBefore(at time.Time, want string, j releasedate.Judgement) string {
	s := fmt.Sprintf("signed %s, before %s was released", at.UTC().Format(time.DateOnly), want)
	if j.Exact {
		return s + fmt.Sprintf(" (%s)", j.Day.Format(time.DateOnly))
	}
	return s + fmt.Sprintf(" (it came after %s, released %s)", j.Previous, j.Day.Format(time.DateOnly))
}

func dedup(list []string) []string {
	var out []string
	for _, s := range list {
		found := false
		for _, o := range out {
			if o == s {
				found = true
			}
		}
		if !found {
			out = append(out, s)
		}
	}
	return out
}
