package lifecycle

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/names"
)

func TestNewReport(t *testing.T) {
	d := realData(t)
	d.Origin, d.Date, d.DateKind = "embedded", Date{2026, 12, 3}, "copied"
	today := Date{2026, 1, 1}
	for _, tc := range []struct {
		version                     string
		phase, name, final, due     string
		prerelease, superseded, rel bool
	}{
		{"3.12.0rc2", "rc", "release candidate 2", "3.12.0", "2023-10-02", true, true, true},
		{"3.15.0a1", "alpha", "alpha 1", "3.15.0", "2026-10-01", true, false, true},
		{"3.14.1b1", "beta", "beta 1", "", "", true, false, true}, // a later patch release: nothing to derive
		{"3.12.4", "final", "a final release", "", "", false, false, true},
		{"3.12", "", "", "", "", false, false, false}, // a series: no release block
	} {
		v := names.MustParseVersion(tc.version)
		s, err := d.Lookup(v)
		if err != nil {
			t.Fatal(err)
		}
		var rel names.Version
		if v.HasPatch {
			rel = v
		}
		r := NewReport(d, today, []Phase{s.At(today)}, rel)
		if r.Schema != ReportSchema || r.Data != "embedded" || r.DataDate != "2026-12-03" || r.DataDateKind != "copied" || r.Today != "2026-01-01" {
			t.Errorf("%s: header %+v", tc.version, r)
		}
		if (r.Release != nil) != tc.rel {
			t.Fatalf("%s: release = %+v", tc.version, r.Release)
		}
		if rr := r.Release; rr != nil {
			if rr.Version != tc.version || rr.Prerelease != tc.prerelease || rr.Phase != tc.phase || rr.PhaseName != tc.name ||
				rr.FinalRelease != tc.final || rr.FinalReleaseDue != tc.due || rr.Superseded != tc.superseded || rr.NewestRelease != nil {
				t.Errorf("%s: %+v", tc.version, rr)
			}
		}
	}
	// newest_release is always present, as null.
	s, _ := d.Lookup(names.MustParseVersion("3.13.1"))
	b, err := json.Marshal(NewReport(d, today, []Phase{s.At(today)}, names.MustParseVersion("3.13.1")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"newest_release":null`, `"summary":"bugfix releases until 2026-10-07, end of life 2029-10"`,
		`"end_of_bugfix":"2026-10-07","bugfix_months":24`, `"end_of_life_from":"data"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON lacks %s: %s", want, b)
		}
	}
}
