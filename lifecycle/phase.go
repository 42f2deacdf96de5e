package lifecycle

import "fmt"

// Where a rule's value comes from, for Phase.EndOfLifeFrom.
const (
	FromData   = "data"    // release-cycle.json gives the date
	FromPEP602 = "pep-602" // computed with PEP 602's rule
)

// A Phase is where a series stands on one day.
type Phase struct {
	Series Series
	// Today is the day the phase is for.
	Today Date
	// Status is the status on Today: the data's, or a later one when the
	// dates say the data is behind (see Note).
	Status Status
	// Note says why Status differs from Series.Status, or is "".
	Note string
	// EndOfBugfix is the end of full support under PEP 602: 18 months
	// after the first release up to 3.12, 24 months from 3.13 on (the
	// 2023 amendment). Zero for series before 3.9, which PEP 602 does not
	// cover.
	EndOfBugfix Date
	// BugfixMonths is 18 or 24, or 0 when EndOfBugfix is zero.
	BugfixMonths int
	// EndOfLife is the data's end-of-life date, or, when it gives none,
	// five years after the first release (PEP 602); zero when neither
	// applies.
	EndOfLife Date
	// EndOfLifeFrom is FromData or FromPEP602, or "" when EndOfLife is zero.
	EndOfLifeFrom string
}

// pep602 reports whether PEP 602's annual cycle governs the series: 3.9 on.
func (s Series) pep602() bool { return s.Major > 3 || s.Major == 3 && s.Minor >= 9 }

// BugfixMonths returns the months of full support PEP 602 gives the
// series: 18 up to 3.12, 24 from 3.13 on, 0 before 3.9.
func (s Series) BugfixMonths() int {
	switch {
	case !s.pep602():
		return 0
	case s.Major == 3 && s.Minor <= 12:
		return 18
	}
	return 24
}

// At returns where the series stands on the day today (a full date). The
// calendar wins over the data: a series whose end-of-life date has passed
// is end-of-life, one past the end of its full support is security-only,
// and one past its first release date is no longer a pre-release series,
// whatever the data says; Note then says so. A status the data gives that
// is further along than the dates imply is kept: the data knows of an
// early end.
func (s Series) At(today Date) Phase {
	p := Phase{Series: s, Today: today, Status: s.Status}
	if m := s.BugfixMonths(); m > 0 {
		p.EndOfBugfix, p.BugfixMonths = s.FirstRelease.AddMonths(m), m
	}
	switch {
	case !s.EndOfLife.IsZero():
		p.EndOfLife, p.EndOfLifeFrom = s.EndOfLife, FromData
	case s.pep602():
		p.EndOfLife, p.EndOfLifeFrom = s.FirstRelease.AddMonths(60), FromPEP602
	}
	implied, why := StatusFeature, ""
	switch {
	case !p.EndOfLife.IsZero() && !today.Before(p.EndOfLife):
		implied, why = StatusEndOfLife, fmt.Sprintf("its end of life, %s, has passed", p.EndOfLife)
	case !p.EndOfBugfix.IsZero() && !today.Before(p.EndOfBugfix):
		implied, why = StatusSecurity, fmt.Sprintf("its full support ended %s", p.EndOfBugfix)
	case !today.Before(s.FirstRelease):
		implied, why = StatusBugfix, fmt.Sprintf("its first release was due %s", s.FirstRelease)
	}
	if implied.rank() > s.Status.rank() {
		p.Status = implied
		p.Note = fmt.Sprintf("the data says %s, but %s: the date wins", s.Status, why)
	}
	return p
}

// Summary says in a few words where the series stands: "bugfix releases
// until 2027-10-07, end of life 2030-10".
func (p Phase) Summary() string {
	eol := "end of life unknown"
	if !p.EndOfLife.IsZero() {
		eol = "end of life " + p.EndOfLife.String()
	}
	var s string
	switch p.Status {
	case StatusFeature:
		s = fmt.Sprintf("in development, first release due %s", p.Series.FirstRelease)
	case StatusPrerelease:
		s = fmt.Sprintf("in pre-release, first release due %s", p.Series.FirstRelease)
	case StatusBugfix:
		if p.EndOfBugfix.IsZero() {
			s = "bugfix releases, " + eol
		} else {
			s = fmt.Sprintf("bugfix releases until %s, %s", p.EndOfBugfix, eol)
		}
	case StatusSecurity:
		s = "security fixes only, " + eol
	case StatusEndOfLife:
		if p.EndOfLife.IsZero() {
			s = "end of life"
		} else if p.EndOfLife.After(p.Today) {
			s = "end of life (ahead of its planned " + p.EndOfLife.String() + ")"
		} else {
			s = "end of life since " + p.EndOfLife.String()
		}
	}
	return s
}
