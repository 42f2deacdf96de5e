package verify

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/releasedate"
)

// sourceTarball returns a .tgz whose single folder is top.
func sourceTarball(t testing.TB, top string) []byte {
	t.Helper()
	var tb bytes.Buffer
	tw := tar.NewWriter(&tb)
	for _, h := range []*tar.Header{
		{Name: top + "/", Typeflag: tar.TypeDir, Mode: 0o755},
		{Name: top + "/README.rst", Size: 5, Mode: 0o644},
	} {
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
	}
	tw.Write([]byte("hello"))
	tw.Close()
	var gb bytes.Buffer
	zw := gzip.NewWriter(&gb)
	zw.Write(tb.Bytes())
	zw.Close()
	return gb.Bytes()
}

// embedZip returns a zip of the named members as zip.Writer streams it
// (sizes in data descriptors, as the fixtures' packages are).
func embedZip(t testing.TB, members ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, m := range members {
		w, err := zw.Create(m)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(bytes.Repeat([]byte("MZ\x90\x00\n"), 1000))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// releaseCase verifies data as name of version, with a fresh bundle by the
// fixture's release manager (3.14 is Sigstore-only in the fixture policy).
func releaseCase(t *testing.T, v *Verifier, f *verifierFixture, name, version string, data []byte, tweak func(*Target)) (ArtifactReport, error) {
	t.Helper()
	sum := sha256.Sum256(data)
	b, err := virtualSigstoreBundle(f.vs, testIdentity, testIssuer, sum[:], virtualBundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tg := Target{Name: name, Version: names.MustParseVersion(version), Size: int64(len(data)),
		SHA256: hex.EncodeToString(sum[:]), Bundle: Sidecar{Data: b, Listed: true}}
	if tweak != nil {
		tweak(&tg)
	}
	return v.VerifyReader(tg, bytes.NewReader(data))
}

func releaseVerifier(t *testing.T, f *verifierFixture, opts ...Option) *Verifier {
	v := f.verifier(t, opts...)
	v.noContent = false
	return v
}

func TestReleaseCheck(t *testing.T) {
	f := newVerifierFixture(t)
	v := releaseVerifier(t, f)
	genuine := sourceTarball(t, "Python-3.14.0")
	embed := embedZip(t, "python.exe", "python314.dll", "python314.zip")
	for _, tc := range []struct {
		test, name, version string
		data                []byte
		tweak               func(*Target)
		status              Status
		reason              Reason
		detail              string
	}{
		{"genuine", "Python-3.14.0.tgz", "3.14.0", genuine, nil,
			StatusPass, "", "the archive unpacks into Python-3.14.0/"},
		{"same series substituted", "Python-3.14.1.tgz", "3.14.1", genuine, nil,
			StatusFail, ReasonWrongRelease, "the archive unpacks into Python-3.14.0/: it is 3.14.0, not 3.14.1"},
		{"listed under another release's name", "Python-3.14.0.tgz", "3.14.1", genuine, nil,
			StatusFail, ReasonWrongRelease, "Python-3.14.0.tgz is a file of 3.14.0, not of 3.14.1; the archive unpacks into Python-3.14.0/: it is 3.14.0, not 3.14.1"},
		{"not a source folder", "Python-3.14.0.tgz", "3.14.0", sourceTarball(t, "home"), nil,
			StatusFail, ReasonWrongRelease, "the archive unpacks into home/, not Python-3.14.0/"},
		{"not a tarball", "Python-3.14.0.tgz", "3.14.0", []byte("#!/bin/sh\necho hi\n"), nil,
			StatusFail, ReasonWrongRelease, "the content does not say which release it is (tar.gz: gzip: invalid header)"},
		{"installer, listed", "python-3.14.0-amd64.exe", "3.14.0", []byte("MZ..."), func(tg *Target) {
			tg.Sources = []string{"release page"}
		}, StatusListed, "", "bound only by the release listing"},
		{"installer, listed by a mirror", "python-3.14.0-amd64.exe", "3.14.0", []byte("MZ..."), func(tg *Target) {
			tg.Sources, tg.ListingHost = []string{"release page"}, "mirror.example"
		}, StatusListed, "", "bound only by the release listing, which came from mirror.example, not python.org: the binding rests on that host"},
		{"unsigned", "Python-3.14.0.tgz", "3.14.0", sourceTarball(t, "Python-3.13.0"), func(tg *Target) { tg.Bundle = Sidecar{} },
			StatusSkipped, "", "not checked: no signature verified the bytes"},
		{"embeddable package", "python-3.14.0-embed-amd64.zip", "3.14.0", embed, nil,
			StatusPass, "", "the package holds python314.dll (series 3.14): the content names the series, not the release"},
		{"embeddable package, listed", "python-3.14.0-embed-amd64.zip", "3.14.0", embed, func(tg *Target) {
			tg.Sources, tg.ListingHost = []string{"release page"}, "mirror.example"
		}, StatusPass, "", "the package holds python314.dll (series 3.14): the content names the series, not the release; " +
			"the release within the series is bound by the release listing, which came from mirror.example, not python.org: the binding rests on that host"},
		{"embeddable package of another series", "python-3.14.0-embed-amd64.zip", "3.14.0", embedZip(t, "python.exe", "python313.dll"), nil,
			StatusFail, ReasonWrongRelease, "the package holds python313.dll: it is a file of 3.13, not of 3.14.0"},
		{"embeddable package without its DLL", "python-3.14.0-embed-amd64.zip", "3.14.0", embedZip(t, "python.exe"), nil,
			StatusFail, ReasonWrongRelease, "the package holds no python314.dll: it is not an embeddable package of 3.14.0"},
		{"installer, not listed", "python-3.14.0-amd64.exe", "3.14.0", []byte("MZ..."), nil,
			StatusSkipped, "", "no binding possible: nothing in a file of this kind names its release, and no release listing was read"},
	} {
		t.Run(tc.test, func(t *testing.T) {
			rep, err := releaseCase(t, v, f, tc.name, tc.version, tc.data, tc.tweak)
			c := checkOf(rep, KindRelease)
			if c.Status != tc.status || c.Reason != tc.reason || c.Detail != tc.detail {
				t.Errorf("release check %+v\nwant %s %q %q", c, tc.status, tc.reason, tc.detail)
			}
			if c.Kind != KindRelease {
				t.Fatalf("no release check in %+v", rep.Checks)
			}
			if got := rep.OK; got != (tc.status != StatusFail) && tc.test != "unsigned" {
				t.Errorf("OK = %v (err %v)", got, err)
			}
			if tc.status == StatusFail {
				var ve *VerificationError
				if !errors.As(err, &ve) || err.Error() != tc.name+": release: "+tc.detail {
					t.Errorf("err = %v", err)
				}
			}
		})
	}
}

// TestReleaseSignedBefore checks the signing-time rule with a table in
// which 3.14.0 is released in 2099: today's bundle was made well before.
func TestReleaseSignedBefore(t *testing.T) {
	f := newVerifierFixture(t)
	tb, err := releasedate.Parse([]byte(`{"releases": {"3.14.0": "2099-01-01", "3.14.1": "2000-01-01"}}`))
	if err != nil {
		t.Fatal(err)
	}
	v := releaseVerifier(t, f, WithReleaseDates(tb))
	rep, err := releaseCase(t, v, f, "Python-3.14.0.tgz", "3.14.0", sourceTarball(t, "Python-3.14.0"), nil)
	c := checkOf(rep, KindRelease)
	today := time.Now().UTC().Format(time.DateOnly)
	want := fmt.Sprintf("signed %s, before 3.14.0 was released (2099-01-01)", today)
	if c.Status != StatusFail || c.Reason != ReasonSignedBeforeRelease || c.Detail != want || rep.OK || err == nil {
		t.Errorf("%+v (err %v), want %q", c, err, want)
	}
	// Signed after the release: fine.
	rep, _ = releaseCase(t, v, f, "Python-3.14.1.tgz", "3.14.1", sourceTarball(t, "Python-3.14.1"), nil)
	if c := checkOf(rep, KindRelease); c.Status != StatusPass || !rep.OK {
		t.Errorf("%+v", c)
	}
	// Not in the table, and no earlier release of its series in it.
	rep, _ = releaseCase(t, v, f, "Python-3.14.0b1.tgz", "3.14.0b1", sourceTarball(t, "Python-3.14.0b1"), nil)
	if c := checkOf(rep, KindRelease); c.Status != StatusPass || !rep.OK ||
		c.Detail != "the archive unpacks into Python-3.14.0b1/; 3.14.0b1 is not in pyverify's table of release dates, so its signing time is not checked" {
		t.Errorf("%+v", c)
	}
	if _, err := NewVerifier(f.policy, f.keys, mustDefaultRoot(t), WithReleaseDates(tb), WithReleaseDates(tb)); err == nil {
		t.Error("WithReleaseDates twice accepted")
	}
}

// TestReleaseRealBundles checks every real python.org bundle by digest with
// the embedded trust and release dates: none is signed before its release
// (no false rejects), and without the bytes the content is not judged.
func TestReleaseRealBundles(t *testing.T) {
	v, err := NewVerifier(DefaultPolicy(), DefaultKeyring(), mustDefaultRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, rb := range realBundles(t) {
		tg := Target{Name: rb.file, Version: names.MustParseVersion(rb.version), Bundle: Sidecar{Data: rb.json, Listed: true},
			Sources: []string{"release page"}}
		rep, err := v.VerifyDigest(tg, rb.sha256)
		c := checkOf(rep, KindRelease)
		if err != nil || !rep.OK || c.Status != StatusListed {
			t.Errorf("%s: %v: release check %+v", rb.file, err, c)
		}
	}
	// By digest, a source tarball's content is not read: the check says
	// so, not that nothing in it names the release.
	rb := findRealBundle(t, "Python-3.12.0rc2.tgz")
	rep, _ := v.VerifyDigest(Target{Name: rb.file, Version: names.MustParseVersion(rb.version), Bundle: Sidecar{Data: rb.json, Listed: true}}, rb.sha256)
	if c := checkOf(rep, KindRelease); c.Status != StatusSkipped ||
		c.Detail != "not bound: verified by digest, so the content, which names the release in a file of this kind, was not read; and no release listing was read" {
		t.Errorf("by digest, not listed: %+v", c)
	}
	// The same bytes claimed by a later release of the series fail on
	// their signing time: 3.12.0rc2's installer as 3.12.4's.
	rb = findRealBundle(t, "python-3.12.0rc2-amd64.exe")
	tg := Target{Name: "python-3.12.4-amd64.exe", Version: names.MustParseVersion("3.12.4"), Bundle: Sidecar{Data: rb.json, Listed: true}}
	rep, _ = v.VerifyDigest(tg, rb.sha256)
	c := checkOf(rep, KindRelease)
	if c.Status != StatusFail || c.Reason != ReasonSignedBeforeRelease || c.Detail != "signed 2023-09-06, before 3.12.4 was released (2024-06-06)" || rep.OK {
		t.Errorf("%+v", c)
	}
}

// TestReleaseDatesFingerprint checks that a verifier with another table of
// release dates has another trust fingerprint (audit's state keys on it).
func TestReleaseDatesFingerprint(t *testing.T) {
	f := newVerifierFixture(t)
	tb, err := releasedate.Parse([]byte(`{"releases": {"3.14.0": "2099-01-01"}}`))
	if err != nil {
		t.Fatal(err)
	}
	tm := mustDefaultRoot(t)
	a, err := NewVerifier(f.policy, f.keys, tm)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewVerifier(f.policy, f.keys, tm, WithReleaseDates(tb))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := NewVerifier(f.policy, f.keys, tm)
	if a.Fingerprint() == b.Fingerprint() || c.Fingerprint() != a.Fingerprint() {
		t.Errorf("fingerprints %s, %s", a.Fingerprint(), b.Fingerprint())
	}
}
