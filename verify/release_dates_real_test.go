package verify

import (
	"testing"

	"github.com/pyverify/pyverify/names"
)

// TestReleaseRealBundlesLaterDates presents real python.org bundles as
// releases the embedded table learned from its 2026 sources (Python-3.13.15's
// Misc/NEWS, PEP 745, CPython's Misc/NEWS.d): each was logged before that release existed, so the
// signing-time check fails it, though the signer is the one the series
// trusts. Under their true names they pass (TestReleaseRealBundles).
func TestReleaseRealBundlesLaterDates(t *testing.T) {
	v, err := NewVerifier(DefaultPolicy(), DefaultKeyring(), mustDefaultRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		real, as, version string
		detail            string // "" for a pass
	}{
		// 3.12.13's tarball (logged 2026-03-03) as a later 3.12 release.
		{"Python-3.12.13.tgz", "Python-3.12.14.tgz", "3.12.14", "signed 2026-03-03, before 3.12.14 was released (2026-08-12)"},
		{"Python-3.12.13.tgz", "Python-3.12.15.tgz", "3.12.15", "signed 2026-03-03, before 3.12.15 was released (2026-10-01)"},
		// After the table's last 3.12 release (3.12.15), bounded by it.
		{"Python-3.12.13.tgz", "Python-3.12.20.tgz", "3.12.20", "signed 2026-03-03, before 3.12.20 was released (it came after 3.12.15, released 2026-10-01)"},
		// The same as a 3.13 release made after it (thomas@python.org
		// signs 3.13 too).
		{"Python-3.12.13.tgz", "Python-3.13.15.tgz", "3.13.15", "signed 2026-03-03, before 3.13.15 was released (2026-08-05)"},
		{"Python-3.12.13.tgz", "Python-3.13.13.tgz", "3.13.13", "signed 2026-03-03, before 3.13.13 was released (2026-04-07)"},
		{"Python-3.12.13.tgz", "Python-3.13.12.tgz", "3.13.12", ""}, // 3.13.12 came out 2026-02-03: time cannot tell
		{"windows-3.13.9.json", "windows-3.13.14.json", "3.13.14", "signed 2025-10-14, before 3.13.14 was released (2026-06-10)"},
		{"Python-3.14.0.tar.xz", "Python-3.14.4.tar.xz", "3.14.4", "signed 2025-10-07, before 3.14.4 was released (2026-04-07)"},
		{"Python-3.14.0.tar.xz", "Python-3.14.3.tar.xz", "3.14.3", "signed 2025-10-07, before 3.14.3 was released (2026-02-03)"},
		{"Python-3.14.0.tar.xz", "Python-3.14.8.tar.xz", "3.14.8", "signed 2025-10-07, before 3.14.8 was released (2026-09-30)"},
	} {
		rb := findRealBundle(t, tc.real)
		tg := Target{Name: tc.as, Version: names.MustParseVersion(tc.version), Bundle: Sidecar{Data: rb.json, Listed: true},
			Sources: []string{"release page"}}
		rep, err := v.VerifyDigest(tg, rb.sha256)
		c := checkOf(rep, KindRelease)
		if tc.detail == "" {
			if c.Status != StatusListed || !rep.OK || err != nil {
				t.Errorf("%s as %s: %+v (err %v), want listed", tc.real, tc.as, c, err)
			}
			continue
		}
		if c.Status != StatusFail || c.Reason != ReasonSignedBeforeRelease || c.Detail != tc.detail || rep.OK || err == nil {
			t.Errorf("%s as %s: %+v (err %v), want %q", tc.real, tc.as, c, err, tc.detail)
		}
	}
}
