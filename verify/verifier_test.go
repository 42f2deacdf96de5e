package verify

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/pyverify/pyverify/names"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// verifierFixture is a policy, keyring and VirtualSigstore for the rules
// tests: "rm" signs source files with the gpg key of testdata/openpgp and
// with Sigstore identity testIdentity.
type verifierFixture struct {
	policy *Policy
	keys   Keyring
	vs     *ca.VirtualSigstore
	data   []byte
	asc    []byte // rm's good signature of data
	other  []byte // a valid signature of data by a key not pinned
	bundle []byte // rm's good bundle for data
	alien  []byte // a valid bundle for data by someone else
}

var (
	verifierFixtureOnce sync.Once
	verifierFixtureVal  *verifierFixture
	verifierFixtureErr  error
)

func newVerifierFixture(t testing.TB) *verifierFixture {
	t.Helper()
	verifierFixtureOnce.Do(func() {
		verifierFixtureVal, verifierFixtureErr = makeVerifierFixture(t)
	})
	if verifierFixtureErr != nil {
		t.Fatal(verifierFixtureErr)
	}
	return verifierFixtureVal
}

func makeVerifierFixture(t testing.TB) (*verifierFixture, error) {
	fp := fixtureFingerprints(t)
	policy := fmt.Sprintf(`{
	  "schema": "pyverify.policy/v1",
	  "sigstore_require_sct": false,
	  "signers": {
	    "rm": {"name": "Release Manager", "email": "rm@example.org", "openpgp": [%q],
	           "sigstore_identity": %q, "sigstore_issuer": %q}
	  },
	  "series": {
	    "2.7":  {"openpgp": {"source": "rm"}, "openpgp_legacy": true},
	    "3.10": {"sigstore": "rm", "sigstore_since": "3.10.7", "openpgp": {"source": "rm"}},
	    "3.14": {"sigstore": "rm", "sigstore_only": true}
	  }
	}`, fp["rm"], testIdentity, testIssuer)
	p, err := ParsePolicy([]byte(policy))
	if err != nil {
		return nil, err
	}
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		return nil, err
	}
	f := &verifierFixture{policy: p, vs: vs, keys: fixtureKeyring(t, "rm.pub.asc", "other.pub.asc"),
		data: readFixture(t, "artifact.bin"), asc: readFixture(t, "artifact.bin.rm.asc"),
		other: readFixture(t, "artifact.bin.other.asc")}
	sum := sha256.Sum256(f.data)
	if f.bundle, err = virtualSigstoreBundle(vs, testIdentity, testIssuer, sum[:], virtualBundleOptions{}); err != nil {
		return nil, err
	}
	if f.alien, err = virtualSigstoreBundle(vs, "mallory@example.org", testIssuer, sum[:], virtualBundleOptions{}); err != nil {
		return nil, err
	}
	return f, nil
}

func (f *verifierFixture) verifier(t testing.TB, opts ...Option) *Verifier {
	t.Helper()
	rootJSON, err := virtualSigstoreTrustedRoot(f.vs)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := LoadTrustedRoot(rootJSON)
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(f.policy, f.keys, tm, opts...)
	if err != nil {
		t.Fatal(err)
	}
	// artifact.bin is not a .tgz: the release check's content binding has
	// tests of its own (release_test.go).
	v.noContent = true
	return v
}

func (f *verifierFixture) target(version string) Target {
	sum := sha256.Sum256(f.data)
	m := md5.Sum(f.data)
	return Target{Name: "Python-" + version + ".tgz", Version: names.MustParseVersion(version),
		Size: int64(len(f.data)), MD5: hex.EncodeToString(m[:]), SHA256: hex.EncodeToString(sum[:])}
}

func checkOf(rep ArtifactReport, k Kind) CheckResult {
	for _, c := range rep.Checks {
		if c.Kind == k {
			return c
		}
	}
	return CheckResult{Kind: k, Status: "absent"}
}

func TestVerifierRules(t *testing.T) {
	f := newVerifierFixture(t)
	asc := Sidecar{Data: f.asc, Listed: true}
	other := Sidecar{Data: f.other, Listed: true}
	bundle := Sidecar{Data: f.bundle, Listed: true}
	alien := Sidecar{Data: f.alien, Listed: true}
	both := []Option{WithRequire(KindOpenPGP, KindSigstore)}

	type want struct {
		ok      bool
		err     string // exact error text, when not ok
		openpgp Status
		sig     Status
	}
	tests := []struct {
		name    string
		version string
		opts    []Option
		edit    func(*Target)
		want    want
	}{
		{"pre-Sigstore, good .asc", "3.10.6", nil, func(t *Target) { t.Signature = asc },
			want{ok: true, openpgp: StatusPass, sig: StatusMissing}},
		{"pre-Sigstore, no .asc", "3.10.6", nil, nil,
			want{err: "Python-3.10.6.tgz: openpgp: no .asc signature (not listed)", openpgp: StatusMissing, sig: StatusMissing}},
		{"pre-Sigstore, .asc listed but absent", "3.10.6", nil, func(t *Target) { t.Signature.Listed = true },
			want{err: "Python-3.10.6.tgz: openpgp: no .asc signature: listed on the page but the server does not have it", openpgp: StatusMissing, sig: StatusMissing}},
		// Accepted vs expected: python.org signed some releases with
		// Sigstore after the fact (all of 3.10.1). A bundle by the series'
		// identity counts before "sigstore_since"; the .asc is then
		// missing but not required.
		{"pre-Sigstore, a bundle by the series' identity is accepted", "3.10.6", nil, func(t *Target) { t.Bundle = bundle },
			want{ok: true, openpgp: StatusMissing, sig: StatusPass}},
		{"pre-Sigstore, a bundle by someone else fails", "3.10.6", nil, func(t *Target) { t.Bundle = alien },
			want{err: "Python-3.10.6.tgz: sigstore: signed by mallory@example.org (https://accounts.example.org), want rm@example.org (https://accounts.example.org)",
				openpgp: StatusMissing, sig: StatusFail}},
		{"pre-Sigstore, every signature present must verify", "3.10.6", nil, func(t *Target) { t.Signature, t.Bundle = asc, alien },
			want{openpgp: StatusPass, sig: StatusFail}},
		{"pre-Sigstore, good .asc and bundle", "3.10.6", both, func(t *Target) { t.Signature, t.Bundle = asc, bundle },
			want{ok: true, openpgp: StatusPass, sig: StatusPass}},
		{"pre-Sigstore, OpenPGP demanded beside a bundle", "3.10.6", []Option{WithRequire(KindOpenPGP)}, func(t *Target) { t.Bundle = bundle },
			want{err: "Python-3.10.6.tgz: openpgp: no .asc signature (not listed)", openpgp: StatusMissing, sig: StatusPass}},
		{"pre-Sigstore, Sigstore demanded and absent", "3.10.6", []Option{WithRequire(KindSigstore)}, func(t *Target) { t.Signature = asc },
			want{err: "Python-3.10.6.tgz: sigstore: no .sigstore bundle (not listed), and required by the verifier, although 3.10.6 predates Sigstore signing of 3.10 (first: 3.10.7)",
				openpgp: StatusPass, sig: StatusMissing}},
		{"no Sigstore identity for the series: a bundle is skipped, never trust", "2.7.18", nil, func(t *Target) { t.Bundle = bundle },
			want{err: "Python-2.7.18.tgz: openpgp: no .asc signature (not listed)", openpgp: StatusMissing, sig: StatusSkipped}},
		{"no Sigstore identity for the series: OpenPGP still verifies it", "2.7.18", nil, func(t *Target) { t.Signature, t.Bundle = asc, bundle },
			want{ok: true, openpgp: StatusPass, sig: StatusSkipped}},
		{"no Sigstore identity for the series: Sigstore demanded", "2.7.18", []Option{WithRequire(KindSigstore)}, func(t *Target) { t.Signature, t.Bundle = asc, bundle },
			want{err: "Python-2.7.18.tgz: sigstore: required by the verifier, but the policy names no Sigstore identity for series 2.7",
				openpgp: StatusPass, sig: StatusFail}},
		{"pre-Sigstore, wrong signer", "2.7.18", nil, func(t *Target) { t.Signature = other },
			want{openpgp: StatusFail, sig: StatusMissing}},
		{"Sigstore-only, bundle", "3.14.0", nil, func(t *Target) { t.Bundle = bundle },
			want{ok: true, openpgp: StatusMissing, sig: StatusPass}},
		{"Sigstore-only, bundle and .asc", "3.14.0", nil, func(t *Target) { t.Bundle, t.Signature = bundle, other },
			want{ok: true, openpgp: StatusSkipped, sig: StatusPass}},
		{"Sigstore-only, .asc without bundle is not a downgrade", "3.14.0", nil, func(t *Target) { t.Signature = asc },
			want{err: "Python-3.14.0.tgz: sigstore: no .sigstore bundle (not listed), and 3.14 is Sigstore-only (PEP 761)",
				openpgp: StatusSkipped, sig: StatusMissing}},
		{"Sigstore-only, bundle listed but absent", "3.14.0", nil, func(t *Target) { t.Bundle.Listed = true },
			want{err: "Python-3.14.0.tgz: sigstore: no .sigstore bundle: listed on the page but the server does not have it, and 3.14 is Sigstore-only (PEP 761)",
				openpgp: StatusMissing, sig: StatusMissing}},
		{"Sigstore-only, .crt/.sig only", "3.14.0", nil, func(t *Target) { t.CertSig = true },
			want{err: "Python-3.14.0.tgz: sigstore: only a detached .crt and .sig were published, without a bundle: they cannot be verified offline, and 3.14 is Sigstore-only (PEP 761)",
				openpgp: StatusMissing, sig: StatusFail}},
		{"Sigstore-only, wrong identity", "3.14.0", nil, func(t *Target) { t.Bundle = alien },
			want{err: "Python-3.14.0.tgz: sigstore: signed by mallory@example.org (https://accounts.example.org), want rm@example.org (https://accounts.example.org)",
				openpgp: StatusMissing, sig: StatusFail}},
		{"Sigstore-only, OpenPGP demanded", "3.14.0", []Option{WithRequire(KindOpenPGP)}, func(t *Target) { t.Bundle = bundle },
			want{err: "Python-3.14.0.tgz: openpgp: required by the verifier, but 3.14 is Sigstore-only (PEP 761): it has no OpenPGP signatures",
				openpgp: StatusFail, sig: StatusPass}},
		{"both, only .asc", "3.10.7", nil, func(t *Target) { t.Signature = asc },
			want{ok: true, openpgp: StatusPass, sig: StatusMissing}},
		{"both, only bundle", "3.10.7", nil, func(t *Target) { t.Bundle = bundle },
			want{ok: true, openpgp: StatusMissing, sig: StatusPass}},
		{"both, both good", "3.10.7", both, func(t *Target) { t.Signature, t.Bundle = asc, bundle },
			want{ok: true, openpgp: StatusPass, sig: StatusPass}},
		{"both, bad bundle", "3.10.7", nil, func(t *Target) { t.Signature, t.Bundle = asc, alien },
			want{openpgp: StatusPass, sig: StatusFail}},
		{"both, bad .asc", "3.10.7", nil, func(t *Target) { t.Signature, t.Bundle = other, bundle },
			want{openpgp: StatusFail, sig: StatusPass}},
		{"both, none", "3.10.7", nil, nil,
			want{err: "Python-3.10.7.tgz: openpgp: no .asc signature (not listed), and a release of this era needs a valid OpenPGP or Sigstore signature; " +
				"sigstore: no .sigstore bundle (not listed), and a release of this era needs a valid OpenPGP or Sigstore signature",
				openpgp: StatusMissing, sig: StatusMissing}},
		{"both, both required, one missing", "3.10.7", both, func(t *Target) { t.Bundle = bundle },
			want{err: "Python-3.10.7.tgz: openpgp: no .asc signature (not listed)", openpgp: StatusMissing, sig: StatusPass}},
		{"both, .crt/.sig beside a good .asc", "3.10.7", nil, func(t *Target) { t.Signature, t.CertSig = asc, true },
			want{ok: true, openpgp: StatusPass, sig: StatusSkipped}},
		{"both, .crt/.sig only", "3.10.7", nil, func(t *Target) { t.CertSig = true },
			want{openpgp: StatusMissing, sig: StatusFail}},
		{"size mismatch", "3.10.7", nil, func(t *Target) { t.Bundle = bundle; t.Size++ },
			want{err: fmt.Sprintf("Python-3.10.7.tgz: size: got %d bytes, want %d", len(f.data), len(f.data)+1), openpgp: StatusMissing, sig: StatusPass}},
		{"md5 mismatch", "3.10.7", nil, func(t *Target) { t.Bundle = bundle; t.MD5 = strings.Repeat("0", 32) },
			want{openpgp: StatusMissing, sig: StatusPass}},
		{"sha256 mismatch", "3.10.7", nil, func(t *Target) { t.Bundle = bundle; t.SHA256 = strings.Repeat("ab", 32) },
			want{openpgp: StatusMissing, sig: StatusPass}},
		{"malformed listed md5", "3.10.7", nil, func(t *Target) { t.Bundle = bundle; t.MD5 = "xyz" },
			want{err: `Python-3.10.7.tgz: md5: the listed MD5 "xyz" is not 32 hex digits`, openpgp: StatusMissing, sig: StatusPass}},
		{"no checksums listed", "3.10.7", nil, func(t *Target) { t.Bundle = bundle; t.Size, t.MD5, t.SHA256 = 0, "", "" },
			want{ok: true, openpgp: StatusMissing, sig: StatusPass}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := f.verifier(t, tt.opts...)
			tg := f.target(tt.version)
			if tt.edit != nil {
				tt.edit(&tg)
			}
			rep, err := v.VerifyReader(tg, bytes.NewReader(f.data))
			if rep.OK != tt.want.ok || (err == nil) != tt.want.ok {
				t.Fatalf("OK = %v, err = %v; want OK %v\n%+v", rep.OK, err, tt.want.ok, rep.Checks)
			}
			if err != nil {
				var ve *VerificationError
				if !errors.As(err, &ve) || errors.Is(err, ErrPolicyGap) {
					t.Errorf("err = %T %v, want a *VerificationError", err, err)
				}
				if tt.want.err != "" && err.Error() != tt.want.err {
					t.Errorf("err = %q\nwant  %q", err, tt.want.err)
				}
			}
			if got := checkOf(rep, KindOpenPGP).Status; got != tt.want.openpgp {
				t.Errorf("openpgp = %s (%s), want %s", got, checkOf(rep, KindOpenPGP).Detail, tt.want.openpgp)
			}
			if got := checkOf(rep, KindSigstore).Status; got != tt.want.sig {
				t.Errorf("sigstore = %s (%s), want %s", got, checkOf(rep, KindSigstore).Detail, tt.want.sig)
			}
			if rep.Name != tg.Name || rep.Version != tt.version || rep.Class != "source" {
				t.Errorf("report header = %q %q %q", rep.Name, rep.Version, rep.Class)
			}
		})
	}
}

func TestVerifierDigestFailuresNameTheCheck(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	for _, k := range []Kind{KindSize, KindMD5, KindSHA256} {
		tg := f.target("3.14.0")
		tg.Bundle = Sidecar{Data: f.bundle}
		switch k {
		case KindSize:
			tg.Size = 1
		case KindMD5:
			tg.MD5 = strings.Repeat("0", 32)
		case KindSHA256:
			tg.SHA256 = strings.Repeat("0", 64)
		}
		rep, err := v.VerifyReader(tg, bytes.NewReader(f.data))
		var ve *VerificationError
		if !errors.As(err, &ve) || len(ve.Failures) != 1 || ve.Failures[0].Kind != k {
			t.Errorf("%s: err = %v", k, err)
		}
		if c := checkOf(rep, k); c.Status != StatusFail || !c.Required {
			t.Errorf("%s: check = %+v", k, c)
		}
	}
	rep, err := v.VerifyReader(func() Target { tg := f.target("3.14.0"); tg.Bundle.Data = f.bundle; return tg }(), bytes.NewReader(f.data))
	if err != nil {
		t.Fatal(err)
	}
	if d := checkOf(rep, KindMD5).Detail; !strings.Contains(d, "integrity only") {
		t.Errorf("md5 detail %q does not say MD5 is integrity only", d)
	}
	// The listed SHA-256 is wrong, the bundle signs the file's: all three
	// values are in the message.
	sum := sha256.Sum256(f.data)
	want := fmt.Sprintf("Python-3.14.0.tgz: sha256: got %x, want %s (listed by the JSON API); the bundle signs %x", sum, strings.Repeat("0", 64), sum)
	tg := f.target("3.14.0")
	tg.Bundle.Data, tg.SHA256, tg.SHA256Source = f.bundle, strings.Repeat("0", 64), "JSON API"
	if _, err := v.VerifyReader(tg, bytes.NewReader(f.data)); err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

func TestVerifierBundleForOtherFile(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.14.0")
	tg.Bundle.Data = f.bundle
	tg.Size, tg.MD5, tg.SHA256 = 0, "", ""
	rep, err := v.VerifyReader(tg, strings.NewReader("some other file"))
	if err == nil || checkOf(rep, KindSigstore).Status != StatusFail {
		t.Fatalf("err = %v, sigstore = %+v", err, checkOf(rep, KindSigstore))
	}
	other := sha256.Sum256([]byte("some other file"))
	sum := sha256.Sum256(f.data)
	if want := fmt.Sprintf("Python-3.14.0.tgz: sigstore: signed SHA-256 is not the file's: bundle %x, file %x", sum, other); err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	// With a listed SHA-256 (the file's), the bundle is the odd one out:
	// the page/API value, the file's and the bundle's are all named.
	tg.SHA256, tg.SHA256Source = hex.EncodeToString(other[:]), "release page and JSON API"
	_, err = v.VerifyReader(tg, strings.NewReader("some other file"))
	if want := fmt.Sprintf("Python-3.14.0.tgz: sigstore: signed SHA-256 is not the file's: bundle %x, file %x, release page and JSON API %x", sum, other, other); err == nil || err.Error() != want {
		t.Errorf("err = %v\nwant  %s", err, want)
	}
}

func TestVerifierPolicyGap(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	for _, tc := range []struct{ name, version string }{
		{"Python-3.99.0.tgz", "3.99.0"},
		{"python-3.10.6-amd64.exe", "3.10.6"}, // no OpenPGP signer for windows, before Sigstore
	} {
		tg := f.target(tc.version)
		tg.Name = tc.name
		tg.Signature = Sidecar{Data: f.asc}
		rep, err := v.VerifyReader(tg, bytes.NewReader(f.data))
		if !errors.Is(err, ErrPolicyGap) {
			t.Errorf("%s: err = %v, want ErrPolicyGap", tc.name, err)
		}
		if rep.OK || checkOf(rep, KindPolicy).Status != StatusFail || checkOf(rep, KindSHA256).Status != StatusPass {
			t.Errorf("%s: report = %+v", tc.name, rep)
		}
	}
	// No signature is expected for a 3.10.6 Windows file (no OpenPGP
	// signer for the class, before Sigstore signing), but a bundle by the
	// series' identity is accepted: no gap then.
	tg := f.target("3.10.6")
	tg.Name, tg.Bundle = "python-3.10.6-amd64.exe", Sidecar{Data: f.bundle, Listed: true}
	if rep, err := v.VerifyReader(tg, bytes.NewReader(f.data)); err != nil || checkOf(rep, KindSigstore).Status != StatusPass {
		t.Errorf("3.10.6 Windows file with a bundle: err = %v, report = %+v", err, rep)
	}
	// A failed digest beside a gap is a plain failure.
	tg = f.target("3.99.0")
	tg.Size = 3
	_, err := v.VerifyReader(tg, bytes.NewReader(f.data))
	var ve *VerificationError
	if !errors.As(err, &ve) || errors.Is(err, ErrPolicyGap) {
		t.Errorf("gap + size mismatch: err = %v", err)
	}
}

func TestVerifyDigest(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	sum := sha256.Sum256(f.data)

	tg := f.target("3.14.0")
	tg.Bundle.Data = f.bundle
	rep, err := v.VerifyDigest(tg, sum[:])
	if err != nil {
		t.Fatalf("3.14.0 by digest: %v", err)
	}
	if checkOf(rep, KindSize).Status != StatusSkipped || checkOf(rep, KindMD5).Status != StatusSkipped || checkOf(rep, KindSHA256).Status != StatusPass {
		t.Errorf("digest checks: %+v", rep.Checks)
	}

	// Both kinds present: Sigstore suffices, the .asc is reported unchecked.
	tg = f.target("3.10.7")
	tg.Bundle.Data, tg.Signature.Data = f.bundle, f.asc
	rep, err = v.VerifyDigest(tg, sum[:])
	if err != nil {
		t.Fatalf("3.10.7 by digest: %v", err)
	}
	if c := checkOf(rep, KindOpenPGP); c.Status != StatusSkipped || c.Required || !strings.Contains(c.Detail, "only its digest is known") {
		t.Errorf("openpgp = %+v", c)
	}

	// OpenPGP required: a failure, never a pass.
	for _, tc := range []struct {
		version string
		opts    []Option
	}{{"3.10.6", nil}, {"3.10.7", []Option{WithRequire(KindOpenPGP)}}, {"3.10.7", nil}} {
		tg = f.target(tc.version)
		tg.Signature.Data = f.asc
		if tc.opts != nil {
			tg.Bundle.Data = f.bundle
		}
		rep, err = f.verifier(t, tc.opts...).VerifyDigest(tg, sum[:])
		if c := checkOf(rep, KindOpenPGP); err == nil || c.Status != StatusFail || !c.Required {
			t.Errorf("%s %v: err = %v, openpgp = %+v", tc.version, tc.opts != nil, err, c)
		}
	}

	if _, err := v.VerifyDigest(f.target("3.14.0"), sum[:5]); err == nil {
		t.Error("short digest accepted")
	}
}

func TestVerifyDigestRealBundles(t *testing.T) {
	v, err := NewVerifier(DefaultPolicy(), DefaultKeyring(), mustDefaultRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range realBundles(t) {
		tg := Target{Name: b.file, Version: names.MustParseVersion(b.version), Size: b.size,
			SHA256: hex.EncodeToString(b.sha256), Bundle: Sidecar{Data: b.json, Listed: true}}
		rep, err := v.VerifyDigest(tg, b.sha256)
		if err != nil {
			t.Errorf("%s %s: %v", b.version, b.file, err)
			continue
		}
		if c := checkOf(rep, KindSigstore); c.Signer != b.signer() {
			t.Errorf("%s: signer %q, want %q", b.file, c.Signer, b.signer())
		}
		// Another file's digest never passes.
		bad := bytes.Clone(b.sha256)
		bad[0] ^= 0xff
		tg.SHA256 = ""
		if _, err := v.VerifyDigest(tg, bad); err == nil {
			t.Errorf("%s: wrong digest passed", b.file)
		}
	}
}

func TestNewVerifierRejects(t *testing.T) {
	f := newVerifierFixture(t)
	tm := mustDefaultRoot(t)
	tests := []struct {
		name string
		keys Keyring
		opts []Option
		want string
	}{
		{"not a signature kind", f.keys, []Option{WithRequire(KindSHA256)}, `verify: WithRequire: "sha256" is not a signature kind (want "openpgp" or "sigstore")`},
		{"no kinds", f.keys, []Option{WithRequire()}, "verify: WithRequire: no kind given"},
		{"twice", f.keys, []Option{WithRequire(KindOpenPGP), WithRequire(KindSigstore)}, "verify: WithRequire given more than once"},
		{"pinned key missing", fixtureKeyring(t, "other.pub.asc"), nil,
			"verify: the policy pins key " + fixtureFingerprints(t)["rm"] + " for Release Manager, but the keyring does not hold it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewVerifier(f.policy, tt.keys, tm, tt.opts...)
			if err == nil || err.Error() != tt.want {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := NewVerifier(f.policy, f.keys, nil); err == nil {
		t.Error("nil trusted root accepted")
	}
	if _, err := NewVerifier(nil, f.keys, tm); err == nil {
		t.Error("nil policy accepted")
	}
}

func TestStartRejectsUnusableTargets(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	for _, tg := range []Target{
		{Name: "Python-3.14.0.tgz"},
		{Name: "", Version: names.MustParseVersion("3.14.0")},
		{Name: "../etc/passwd", Version: names.MustParseVersion("3.14.0")},
		{Name: "a\x1b[2Jb", Version: names.MustParseVersion("3.14.0")},
		{Name: "x.tgz", Version: names.MustParseVersion("3.14.0"), Class: "nonsense"},
	} {
		if _, err := v.Start(tg); err == nil {
			t.Errorf("Start(%q) accepted", tg.Name)
		}
	}
}

func TestCheckStreamsOnce(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t, WithRequire(KindOpenPGP, KindSigstore))
	tg := f.target("3.10.7")
	tg.Signature.Data, tg.Bundle.Data = f.asc, f.bundle
	c, err := v.Start(tg)
	if err != nil {
		t.Fatal(err)
	}
	// One pass over the bytes feeds digests and the OpenPGP check.
	if _, err := io.Copy(c, io.LimitReader(bytes.NewReader(f.data), int64(len(f.data)))); err != nil {
		t.Fatal(err)
	}
	rep, err := c.Finish()
	if err != nil || !rep.OK {
		t.Fatalf("err = %v, report = %+v", err, rep)
	}
	if _, err := c.Write([]byte("x")); err == nil || !strings.HasSuffix(err.Error(), ": write after Finish") {
		t.Errorf("write after Finish: err = %v", err)
	}
	if _, err := c.Finish(); err == nil || !strings.HasSuffix(err.Error(), ": Finish called twice") {
		t.Errorf("second Finish: err = %v", err)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection reset") }

func TestVerifyReaderReadError(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.10.6")
	tg.Signature.Data = f.asc
	rep, err := v.VerifyReader(tg, io.MultiReader(bytes.NewReader(f.data[:100]), failingReader{}))
	if err == nil || rep.OK || !strings.Contains(err.Error(), "reading: connection reset") {
		t.Errorf("err = %v, OK = %v", err, rep.OK)
	}
	// Nothing computed over the first 100 bytes is a verdict: no "got 100
	// bytes", no digests or signature judged on part of the file.
	if rep.Error != err.Error() {
		t.Errorf("report error %q, want %q", rep.Error, err)
	}
	for _, k := range []Kind{KindSize, KindMD5, KindSHA256, KindOpenPGP, KindSigstore} {
		c := checkOf(rep, k)
		if c.Status != StatusSkipped || c.Reason != ReasonNotRead || c.Required || c.Detail != "not checked: the file could not be read to the end" {
			t.Errorf("%s: %+v, want skipped, not read", k, c)
		}
	}
}

func TestAbortKeepsWhatDoesNotNeedTheBytes(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.10.6")
	tg.Sources, tg.Disagreements = []string{"release page", "JSON API"}, []string{"md5: the release page lists a, the JSON API lists b"}
	c, err := v.Start(tg)
	if err != nil {
		t.Fatal(err)
	}
	c.Write(f.data[:10])
	rep := c.Abort(errors.New("http://x/Python-3.10.6.tgz: HTTP 404 Not Found"))
	if cc := checkOf(rep, KindCrossCheck); cc.Status != StatusFail || cc.Reason != ReasonSourcesDisagree {
		t.Errorf("crosscheck = %+v", cc)
	}
	if rep.OK || rep.Error != "http://x/Python-3.10.6.tgz: HTTP 404 Not Found" || checkOf(rep, KindSize).Reason != ReasonNotRead {
		t.Errorf("report = %+v", rep)
	}
	if _, err := c.Finish(); err == nil || !strings.HasSuffix(err.Error(), ": Finish called twice") {
		t.Errorf("Finish after Abort: err = %v", err)
	}
	if d := c.Digests(); d.Size != 0 || d.SHA256 != nil {
		t.Errorf("Digests after Abort = %+v, want none", d)
	}
	// A policy gap does not depend on the bytes either.
	tg = f.target("3.99.0")
	tg.Name = "Python-3.99.0.tgz"
	c, err = v.Start(tg)
	if err != nil {
		t.Fatal(err)
	}
	rep = c.Abort(errors.New("cut"))
	if pc := checkOf(rep, KindPolicy); pc.Status != StatusFail || pc.Reason != ReasonPolicyGap {
		t.Errorf("policy = %+v", pc)
	}
}

func TestReasons(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	vBoth := f.verifier(t, WithRequire(KindOpenPGP, KindSigstore))
	for _, tc := range []struct {
		name    string
		v       *Verifier
		edit    func(*Target)
		data    []byte
		kind    Kind
		reason  Reason
		passing bool // the artifact verifies: no check has a reason
	}{
		{name: "good", v: v, edit: func(t *Target) { t.Bundle.Data = f.bundle }, passing: true},
		{name: "size", v: v, edit: func(t *Target) { t.Bundle.Data = f.bundle; t.Size = 1 }, kind: KindSize, reason: ReasonSizeMismatch},
		{name: "md5", v: v, edit: func(t *Target) { t.Bundle.Data = f.bundle; t.MD5 = strings.Repeat("0", 32) }, kind: KindMD5, reason: ReasonDigestMismatch},
		{name: "md5 listing", v: v, edit: func(t *Target) { t.Bundle.Data = f.bundle; t.MD5 = "xyz" }, kind: KindMD5, reason: ReasonBadListing},
		{name: "sha256", v: v, edit: func(t *Target) { t.Bundle.Data = f.bundle; t.SHA256 = strings.Repeat("0", 64) }, kind: KindSHA256, reason: ReasonDigestMismatch},
		{name: "other bytes", v: v, edit: func(t *Target) { t.Bundle.Data = f.bundle; t.Size, t.MD5, t.SHA256 = 0, "", "" },
			data: []byte("some other file"), kind: KindSigstore, reason: ReasonDigestMismatch},
		{name: "alien bundle", v: v, edit: func(t *Target) { t.Bundle.Data = f.alien }, kind: KindSigstore, reason: ReasonBadSignature},
		{name: "other key", v: v, edit: func(t *Target) {
			t.Version = names.MustParseVersion("3.10.6")
			t.Name = "Python-3.10.6.tgz"
			t.Signature.Data = f.other
		},
			kind: KindOpenPGP, reason: ReasonBadSignature},
		{name: "no asc", v: v, edit: func(t *Target) { t.Version = names.MustParseVersion("3.10.6"); t.Name = "Python-3.10.6.tgz" },
			kind: KindOpenPGP, reason: ReasonSignatureAbsent},
		{name: "require openpgp, sigstore-only", v: vBoth, edit: func(t *Target) { t.Bundle.Data = f.bundle }, kind: KindOpenPGP, reason: ReasonNotAccepted},
		{name: "crosscheck", v: v, edit: func(t *Target) {
			t.Bundle.Data = f.bundle
			t.Sources, t.Disagreements = []string{"release page", "JSON API"}, []string{"size: differs"}
		}, kind: KindCrossCheck, reason: ReasonSourcesDisagree},
		{name: "gap", v: v, edit: func(t *Target) { t.Version = names.MustParseVersion("3.99.0"); t.Name = "Python-3.99.0.tgz" }, kind: KindPolicy, reason: ReasonPolicyGap},
	} {
		tg := f.target("3.14.0")
		tc.edit(&tg)
		data := f.data
		if tc.data != nil {
			data = tc.data
		}
		rep, _ := tc.v.VerifyReader(tg, bytes.NewReader(data))
		for _, c := range rep.Checks {
			want := Reason("")
			if c.Kind == tc.kind {
				want = tc.reason
			}
			if c.Reason != want {
				t.Errorf("%s: %s check %+v: reason %q, want %q", tc.name, c.Kind, c, c.Reason, want)
			}
		}
		if tc.passing != rep.OK || !tc.passing && checkOf(rep, tc.kind).Status == "absent" {
			t.Errorf("%s: OK = %v, checks %+v", tc.name, rep.OK, rep.Checks)
		}
	}
}

func BenchmarkVerifyReader(b *testing.B) {
	f := newVerifierFixture(b)
	v := f.verifier(b)
	tg := f.target("3.10.7")
	tg.Signature.Data, tg.Bundle.Data = f.asc, f.bundle
	b.SetBytes(int64(len(f.data)))
	for b.Loop() {
		if _, err := v.VerifyReader(tg, bytes.NewReader(f.data)); err != nil {
			b.Fatal(err)
		}
	}
}

func TestStartRejectsNameSubjectFirst(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.10.6")
	tg.Name = "Python-3.10.6\x1b.tgz"
	_, err := v.Start(tg)
	if err == nil || err.Error() != `"Python-3.10.6\x1b.tgz": not a plain file name` {
		t.Errorf("err = %q, want the escaped name first", err)
	}
}
