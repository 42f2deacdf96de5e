package lifecycle

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/report"
)

var all = Gates{DenyEOL: true, DenyPrerelease: true, DenySecurityOnly: true}

func newGate(t *testing.T, g Gates, today Date) *Gate {
	t.Helper()
	d := realData(t)
	d.Origin, d.Date, d.DateKind = "testdata", Date{2026, 12, 3}, "copied"
	gate, err := NewGate(g, d, today)
	if err != nil {
		t.Fatal(err)
	}
	return gate
}

func TestNewGate(t *testing.T) {
	if _, err := NewGate(all, nil, Date{2026, 1, 1}); err == nil || err.Error() != "lifecycle: no release-cycle data" {
		t.Errorf("no data: got %v", err)
	}
	if _, err := NewGate(all, realData(t), Date{2026, 1, 0}); err == nil || err.Error() != `lifecycle: today must be a full date, not "2026-01"` {
		t.Errorf("a month as today: got %v", err)
	}
	g := newGate(t, all, Date{2026, 1, 2})
	c := g.Context()
	want := report.LifecycleContext{Data: "testdata", DataDate: "2026-12-03", Today: "2026-01-02",
		Gates: []string{"deny-eol", "deny-prerelease", "deny-security-only"}}
	if c.Data != want.Data || c.DataDate != want.DataDate || c.Today != want.Today || !slices.Equal(c.Gates, want.Gates) {
		t.Errorf("Context() = %+v", c)
	}
	if k := g.Key(); !strings.HasPrefix(k, "lifecycle:deny-eol,deny-prerelease,deny-security-only:2026-01-02:") ||
		k == newGate(t, all, Date{2026, 1, 3}).Key() || k == newGate(t, Gates{DenyEOL: true}, Date{2026, 1, 2}).Key() {
		t.Errorf("Key() = %q: does not tell gates and days apart", k)
	}
	other, err := Parse([]byte(`{"3.13": {"status": "bugfix", "first_release": "2024-10-07"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if g2, _ := NewGate(all, other, Date{2026, 1, 2}); g2.Key() == g.Key() {
		t.Error("Key() does not tell data apart")
	}
	if (Gates{}).Any() || !(Gates{DenyPrerelease: true}).Any() {
		t.Error("Any")
	}
}

func TestCheck(t *testing.T) {
	today := Date{2026, 1, 1}
	for _, tc := range []struct {
		gates   Gates
		version string
		status  report.Status
		detail  string
	}{
		{Gates{DenyEOL: true}, "3.6.15", report.StatusFail,
			"Python 3.6: end of life since 2021-12-23, refused by --deny-eol"},
		{Gates{DenyEOL: true}, "3.12.4", report.StatusPass,
			"Python 3.12: security fixes only, end of life 2028-10; 3.12.4 is a final release"},
		{Gates{DenySecurityOnly: true}, "3.12.4", report.StatusFail,
			"Python 3.12: security fixes only, end of life 2028-10, refused by --deny-security-only"},
		{Gates{DenySecurityOnly: true}, "3.14.1", report.StatusPass,
			"Python 3.14: bugfix releases until 2027-10-07, end of life 2030-10; 3.14.1 is a final release"},
		{Gates{DenyEOL: true, DenySecurityOnly: true}, "3.6.15", report.StatusFail,
			"Python 3.6: end of life since 2021-12-23, refused by --deny-eol and --deny-security-only"},
		{Gates{DenyPrerelease: true}, "3.14.0a2", report.StatusFail,
			"3.14.0a2 is a pre-release (alpha 2), refused by --deny-prerelease"},
		{Gates{DenyPrerelease: true}, "3.12.0rc2", report.StatusFail,
			"3.12.0rc2 is a pre-release (release candidate 2), refused by --deny-prerelease"},
		{Gates{DenyPrerelease: true}, "3.6.15", report.StatusPass,
			"Python 3.6: end of life since 2021-12-23; 3.6.15 is a final release"},
		{Gates{DenyEOL: true}, "3.15.0b1", report.StatusPass,
			"Python 3.15: in pre-release, first release due 2026-10-01; 3.15.0b1 is beta 1"},
		{all, "3.6.0b4", report.StatusFail,
			"Python 3.6: end of life since 2021-12-23, refused by --deny-eol and --deny-security-only; " +
				"3.6.0b4 is a pre-release (beta 4), refused by --deny-prerelease"},
	} {
		res, err := newGate(t, tc.gates, today).Check(names.MustParseVersion(tc.version))
		wantReason := report.Reason("")
		if tc.status == report.StatusFail {
			wantReason = report.ReasonRefused
		}
		if err != nil || res.Kind != report.KindLifecycle || !res.Required || res.Status != tc.status || res.Detail != tc.detail || res.Reason != wantReason {
			t.Errorf("%v %s: %+v, %v\nwant %s %q", tc.gates.Names(), tc.version, res, err, tc.status, tc.detail)
		}
	}
}

func TestCheckDateWins(t *testing.T) {
	// On 2026-12-03 the data still lists 3.10 as security, but its end of life (2026-10) has passed.
	res, err := newGate(t, Gates{DenyEOL: true}, Date{2026, 12, 3}).Check(names.MustParseVersion("3.10.19"))
	want := "Python 3.10: end of life since 2026-10, refused by --deny-eol " +
		"(the data says security, but its end of life, 2026-10, has passed: the date wins)"
	if err != nil || res.Status != report.StatusFail || res.Detail != want {
		t.Errorf("%+v, %v\nwant %q", res, err, want)
	}
}

func TestCheckUnknownSeries(t *testing.T) {
	res, err := newGate(t, Gates{DenyPrerelease: true}, Date{2026, 1, 1}).Check(names.MustParseVersion("3.17.0"))
	if !errors.Is(err, report.ErrPolicyGap) || !errors.Is(err, ErrUnknownSeries) {
		t.Fatalf("err = %v, want a policy gap", err)
	}
	want := "series 3.17 is not in the release-cycle data in testdata, copied 2026-12-03: the lifecycle gates cannot be evaluated"
	if res.Status != report.StatusMissing || !res.Required || res.Detail != want || res.Reason != report.ReasonLifecycleUnknown {
		t.Errorf("%+v\nwant %q", res, want)
	}
}

func TestApply(t *testing.T) {
	g := newGate(t, Gates{DenyEOL: true}, Date{2026, 1, 1})
	sigFail := report.Check{Kind: report.KindOpenPGP, Status: report.StatusFail, Required: true, Detail: "bad signature"}
	gapErr := fmt.Errorf("x.tgz: %w", report.ErrPolicyGap)
	ioErr := errors.New("x.tgz: connection reset")
	for _, tc := range []struct {
		name     string
		version  string
		err      error
		wantOK   bool
		wantErr  string // "" for nil
		failures int    // checks listed by the returned *VerificationError; -1 when it is not one
		gap      bool
		repError string
	}{
		{"pass-stays-ok", "3.14.1", nil, true, "", -1, false, ""},
		{"pass-keeps-failure", "3.14.1", &report.VerificationError{Name: "x.tgz", Failures: []report.Check{sigFail}}, false,
			"x.tgz: openpgp: bad signature", 1, false, ""},
		{"trip-on-genuine", "3.6.15", nil, false,
			"x.tgz: lifecycle: Python 3.6: end of life since 2021-12-23, refused by --deny-eol", 1, false, ""},
		{"trip-adds-to-failure", "3.6.15", &report.VerificationError{Name: "x.tgz", Failures: []report.Check{sigFail}}, false,
			"x.tgz: openpgp: bad signature; lifecycle: Python 3.6: end of life since 2021-12-23, refused by --deny-eol", 2, false, ""},
		{"trip-outranks-gap", "3.6.15", gapErr, false,
			"x.tgz: lifecycle: Python 3.6: end of life since 2021-12-23, refused by --deny-eol", 1, false, ""},
		{"trip-keeps-io-error", "3.6.15", ioErr, false,
			"x.tgz: lifecycle: Python 3.6: end of life since 2021-12-23, refused by --deny-eol", 1, false, "x.tgz: connection reset"},
		{"unknown-series-is-gap", "3.17.0", nil, false, "x.tgz: lifecycle: 3.17: not in the release-cycle data (policy gap)", -1, true, ""},
		{"unknown-series-keeps-failure", "3.17.0", &report.VerificationError{Name: "x.tgz", Failures: []report.Check{sigFail}}, false,
			"x.tgz: openpgp: bad signature", 1, false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := report.Artifact{Name: "x.tgz", OK: tc.err == nil}
			err := g.Apply(&rep, names.MustParseVersion(tc.version), tc.err)
			if rep.OK != tc.wantOK {
				t.Errorf("OK = %v", rep.OK)
			}
			if len(rep.Checks) != 1 || rep.Checks[0].Kind != report.KindLifecycle {
				t.Errorf("checks: %+v", rep.Checks)
			}
			if got := fmt.Sprint(err); tc.wantErr == "" && err != nil || tc.wantErr != "" && got != tc.wantErr {
				t.Errorf("err = %v\nwant %s", err, tc.wantErr)
			}
			var ve *report.VerificationError
			if errors.As(err, &ve) != (tc.failures >= 0) || ve != nil && len(ve.Failures) != tc.failures {
				t.Errorf("err = %#v, want %d failures", err, tc.failures)
			}
			if errors.Is(err, report.ErrPolicyGap) != tc.gap {
				t.Errorf("policy gap: %v", err)
			}
			if rep.Error != tc.repError {
				t.Errorf("rep.Error = %q", rep.Error)
			}
		})
	}
}
