package lifecycle

import (
	"testing"

	"github.com/pyverify/pyverify/names"
)

func phaseOf(t *testing.T, d *Data, series string, today Date) Phase {
	t.Helper()
	s, err := d.Lookup(names.MustParseVersion(series))
	if err != nil {
		t.Fatal(err)
	}
	return s.At(today)
}

func TestAt(t *testing.T) {
	d := realData(t)
	for _, tc := range []struct {
		series      string
		today       Date
		status      Status
		note        string
		endOfBugfix Date
		months      int
		eol         Date
		eolFrom     string
		summary     string
	}{
		// Up to 3.12: 18 months of bugfixes (PEP 602).
		{"3.12", Date{2025, 4, 1}, StatusSecurity, "", Date{2025, 4, 2}, 18, Date{2028, 10, 0}, FromData,
			"security fixes only, end of life 2028-10"},
		// From 3.13: 24 months (the 2023 amendment).
		{"3.13", Date{2026, 1, 1}, StatusBugfix, "", Date{2026, 10, 7}, 24, Date{2029, 10, 0}, FromData,
			"bugfix releases until 2026-10-07, end of life 2029-10"},
		// Past full support while the data still says bugfix: the date wins.
		{"3.13", Date{2026, 10, 7}, StatusSecurity, "the data says bugfix, but its full support ended 2026-10-07: the date wins",
			Date{2026, 10, 7}, 24, Date{2029, 10, 0}, FromData, "security fixes only, end of life 2029-10"},
		// A month-only end of life begins on the first of the month.
		{"3.10", Date{2026, 9, 30}, StatusSecurity, "", Date{2023, 4, 4}, 18, Date{2026, 10, 0}, FromData,
			"security fixes only, end of life 2026-10"},
		{"3.10", Date{2026, 10, 1}, StatusEndOfLife, "the data says security, but its end of life, 2026-10, has passed: the date wins",
			Date{2023, 4, 4}, 18, Date{2026, 10, 0}, FromData, "end of life since 2026-10"},
		// The data's end-of-life status before its date is kept.
		{"3.9", Date{2025, 6, 1}, StatusEndOfLife, "", Date{2022, 4, 5}, 18, Date{2025, 10, 31}, FromData,
			"end of life (ahead of its planned 2025-10-31)"},
		// Before PEP 602 there is no rule for the end of full support.
		{"3.6", Date{2026, 1, 1}, StatusEndOfLife, "", Date{}, 0, Date{2021, 12, 23}, FromData, "end of life since 2021-12-23"},
		{"3.15", Date{2026, 5, 1}, StatusPrerelease, "", Date{2028, 10, 1}, 24, Date{2031, 10, 0}, FromData,
			"in pre-release, first release due 2026-10-01"},
		{"3.15", Date{2026, 10, 1}, StatusBugfix, "the data says prerelease, but its first release was due 2026-10-01: the date wins",
			Date{2028, 10, 1}, 24, Date{2031, 10, 0}, FromData, "bugfix releases until 2028-10-01, end of life 2031-10"},
		{"3.16", Date{2026, 5, 1}, StatusFeature, "", Date{2029, 10, 6}, 24, Date{2032, 10, 0}, FromData,
			"in development, first release due 2027-10-06"},
	} {
		p := phaseOf(t, d, tc.series, tc.today)
		if p.Status != tc.status || p.Note != tc.note || p.EndOfBugfix != tc.endOfBugfix || p.BugfixMonths != tc.months ||
			p.EndOfLife != tc.eol || p.EndOfLifeFrom != tc.eolFrom || p.Summary() != tc.summary {
			t.Errorf("%s on %s: got %s %q, bugfix until %s (%d), eol %s (%s), %q\nwant %s %q, %s (%d), %s (%s), %q",
				tc.series, tc.today, p.Status, p.Note, p.EndOfBugfix, p.BugfixMonths, p.EndOfLife, p.EndOfLifeFrom, p.Summary(),
				tc.status, tc.note, tc.endOfBugfix, tc.months, tc.eol, tc.eolFrom, tc.summary)
		}
	}
}

func TestAtEndOfLifeByRule(t *testing.T) {
	// Without an end_of_life, PEP 602's five years apply, and say so.
	d, err := Parse([]byte(`{"3.20": {"status": "bugfix", "first_release": "2031-10-07"}, "3.8": {"status": "security", "first_release": "2019-10-14"}}`))
	if err != nil {
		t.Fatal(err)
	}
	p := phaseOf(t, d, "3.20", Date{2036, 10, 7})
	if p.EndOfLife != (Date{2036, 10, 7}) || p.EndOfLifeFrom != FromPEP602 || p.Status != StatusEndOfLife {
		t.Errorf("3.20: %+v", p)
	}
	// Before 3.9 neither rule applies: the data's status stands.
	p = phaseOf(t, d, "3.8", Date{2030, 1, 1})
	if !p.EndOfLife.IsZero() || p.EndOfLifeFrom != "" || p.Status != StatusSecurity || p.Note != "" ||
		p.Summary() != "security fixes only, end of life unknown" {
		t.Errorf("3.8: %+v", p)
	}
}
