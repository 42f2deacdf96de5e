package pinproof

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pyverify/pyverify/pins"
	"github.com/pyverify/pyverify/verify"
)

// realBundles is a tree of real python.org bundles, by release folder.
var realBundles = filepath.Join("..", "verify", "testdata", "bundles")

func embeddedVerifier(t testing.TB) *verify.Verifier {
	t.Helper()
	tm, err := verify.LoadTrustedRoot(verify.DefaultTrustedRoot())
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.NewVerifier(verify.DefaultPolicy(), verify.DefaultKeyring(), tm)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// dirFetcher serves a local tree of release folders as ftp/python/….
func dirFetcher(root string, hits *atomic.Int64) Fetcher {
	return func(ctx context.Context, path string) ([]byte, error) {
		if hits != nil {
			hits.Add(1)
		}
		rel, ok := strings.CutPrefix(path, "ftp/python/")
		if !ok {
			return nil, fmt.Errorf("%s: %w", path, fs.ErrNotExist)
		}
		return os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
	}
}

func entry(name, sha string) pins.Entry {
	e := pins.Entry{File: "pins", Name: name, SHA256: sha, Ours: true}
	if v, err := BindName(e); err == nil {
		e.Version = v.String()
	}
	return e
}

const (
	sha3110tgz  = "64424e96e2457abbac899b90f9530985b51eef2905951febd935f0e73414caeb"
	sha3140txz  = "2299dae542d395ce3883aca00d3c910307cd68e0b2f7336098c8e7b7eee9f3e9"
	shaOther    = "0000000000000000000000000000000000000000000000000000000000000001"
	sha3_6_15xz = "6e28d7cdd6dd513dd190e49bca3972e20fcf455090ccf2ef3f1a227614135d91"
)

func TestProveRealBundles(t *testing.T) {
	v := embeddedVerifier(t)
	es := []pins.Entry{
		entry("Python-3.11.0.tgz", sha3110tgz),
		entry("Python-3.14.0.tar.xz", sha3140txz),
		entry("Python-3.14.0.tar.xz", shaOther), // a wrong pin
		entry("Python-3.6.15.tar.xz", sha3_6_15xz),
		entry("Python-3.14.0.tgz", shaOther), // 3.14: Sigstore only, no bundle here
		{File: "pins", Name: "openssl-3.5.1.tar.gz", SHA256: shaOther},
		entry("Python-3.11.0.tgz", sha3110tgz), // listed twice: checked once
	}
	var hits atomic.Int64
	var done atomic.Int64
	res := Prove(context.Background(), v, dirFetcher(realBundles, &hits), es, Options{Jobs: 3, Progress: func(Result) { done.Add(1) }})
	want := []struct {
		outcome Outcome
		signer  string
		signed  string
	}{
		{Signed, "pablogsal@python.org (https://accounts.google.com)", ""},
		{Signed, "hugo@python.org (https://github.com/login/oauth)", ""},
		{Wrong, "hugo@python.org (https://github.com/login/oauth)", sha3140txz},
		{Unproven, "", ""},
		{Unsigned, "", ""},
		{NotOurs, "", ""},
		{Signed, "pablogsal@python.org (https://accounts.google.com)", ""},
	}
	for i, w := range want {
		r := res[i]
		if r.Outcome != w.outcome || r.Signer != w.signer || r.Signed != w.signed {
			t.Errorf("%d %s: got %s %q %q (%s), want %s %q %q", i, r.Entry.Name, r.Outcome, r.Signer, r.Signed, r.Detail, w.outcome, w.signer, w.signed)
		}
	}
	if got := res[2].Detail; got != "pinned "+shaOther+", signed "+sha3140txz {
		t.Errorf("WRONG detail: %s", got)
	}
	if got := res[3].Detail; !strings.Contains(got, "give --download") {
		t.Errorf("unproven detail: %s", got)
	}
	if n := hits.Load(); n != 5 {
		t.Errorf("%d bundle fetches, want 5 (one per distinct pin of ours)", n)
	}
	if n := done.Load(); n != int64(len(es)) {
		t.Errorf("progress called %d times, want %d", n, len(es))
	}
}

func TestProveFailures(t *testing.T) {
	v := embeddedVerifier(t)
	ctx := context.Background()

	// A bundle of another file, served as this one's: its signed digest
	// is not the pin, and it verifies for its own digest, by pablogsal:
	// as a 3.14 file, the identity is wrong.
	swapped := func(ctx context.Context, path string) ([]byte, error) {
		return os.ReadFile(filepath.Join(realBundles, "3.11.0", "Python-3.11.0.tgz.sigstore"))
	}
	r := Prove(ctx, v, swapped, []pins.Entry{entry("Python-3.14.0.tar.xz", sha3140txz)}, Options{})[0]
	if r.Outcome != Failed || !strings.Contains(r.Detail, "does not verify") {
		t.Errorf("swapped bundle: %s: %s", r.Outcome, r.Detail)
	}

	// Not a bundle.
	junk := func(ctx context.Context, path string) ([]byte, error) { return []byte("{}"), nil }
	r = Prove(ctx, v, junk, []pins.Entry{entry("Python-3.14.0.tar.xz", sha3140txz)}, Options{})[0]
	if r.Outcome != Failed {
		t.Errorf("junk bundle: %s: %s", r.Outcome, r.Detail)
	}

	// A fetch failure is an Error, with the error kept.
	boom := errors.New("connection refused")
	broken := func(ctx context.Context, path string) ([]byte, error) { return nil, boom }
	r = Prove(ctx, v, broken, []pins.Entry{entry("Python-3.14.0.tar.xz", sha3140txz)}, Options{})[0]
	if r.Outcome != Error || !errors.Is(r.Err, boom) || r.Detail != "Python-3.14.0.tar.xz.sigstore: connection refused" {
		t.Errorf("fetch failure: %s %v: %s", r.Outcome, r.Err, r.Detail)
	}

	// A series the policy does not know.
	r = Prove(ctx, v, dirFetcher(realBundles, nil), []pins.Entry{entry("Python-9.1.0.tgz", sha3140txz)}, Options{})[0]
	if r.Outcome != PolicyGap {
		t.Errorf("unknown series: %s: %s", r.Outcome, r.Detail)
	}

	// The name rule: a name whose version is not the entry's.
	e := entry("Python-3.14.0.tar.xz", sha3140txz)
	e.Version = "3.14.1"
	r = Prove(ctx, v, dirFetcher(realBundles, nil), []pins.Entry{e}, Options{})[0]
	if r.Outcome != Failed || r.Detail != "Python-3.14.0.tar.xz is a file of Python 3.14.0, not of 3.14.1" {
		t.Errorf("name rule: %s: %s", r.Outcome, r.Detail)
	}

	// The name rule: a name of no python.org file class.
	r = Prove(ctx, v, dirFetcher(realBundles, nil), []pins.Entry{entry("Python-3.14.0.tar.xz.asc", sha3140txz)}, Options{})[0]
	if r.Outcome != Failed || r.Detail != "Python-3.14.0.tar.xz.asc: not a file name python.org gives its releases" {
		t.Errorf("name class rule: %s: %s", r.Outcome, r.Detail)
	}

	// The binding hook can refuse a proven pin, and sees the bundle.
	var sawBundle bool
	r = Prove(ctx, v, dirFetcher(realBundles, nil), []pins.Entry{entry("Python-3.14.0.tar.xz", sha3140txz)}, Options{
		Bind: func(e pins.Entry, bundle []byte, rep verify.ArtifactReport) error {
			sawBundle = len(bundle) > 0 && rep.OK
			return errors.New("signed before the release date")
		},
	})[0]
	if r.Outcome != Failed || r.Detail != "signed before the release date" || !sawBundle {
		t.Errorf("bind hook: %s: %s (bundle %v)", r.Outcome, r.Detail, sawBundle)
	}
}

func TestProveDownload(t *testing.T) {
	v := embeddedVerifier(t)
	ctx := context.Background()
	e := entry("Python-3.6.15.tar.xz", sha3_6_15xz)
	for _, tc := range []struct {
		name    string
		rep     verify.ArtifactReport
		err     error
		outcome Outcome
	}{
		{"signed", verify.ArtifactReport{OK: true, SHA256: sha3_6_15xz,
			Checks: []verify.CheckResult{{Kind: verify.KindOpenPGP, Status: verify.StatusPass, Signer: "Ned"}}}, nil, Signed},
		{"other bytes", verify.ArtifactReport{OK: true, SHA256: shaOther,
			Checks: []verify.CheckResult{{Kind: verify.KindOpenPGP, Status: verify.StatusPass, Signer: "Ned"}}}, nil, Wrong},
		{"bad signature", verify.ArtifactReport{SHA256: sha3_6_15xz,
			Checks: []verify.CheckResult{{Kind: verify.KindOpenPGP, Status: verify.StatusFail, Detail: "bad"}}},
			&verify.VerificationError{Name: e.Name}, Failed},
		{"download failed", verify.ArtifactReport{Error: "HTTP 503"}, errors.New("HTTP 503"), Error},
	} {
		called := false
		dl := func(ctx context.Context, got pins.Entry, tg verify.Target) (verify.ArtifactReport, error) {
			called = got.Name == e.Name && tg.Version.String() == "3.6.15"
			return tc.rep, tc.err
		}
		r := Prove(ctx, v, dirFetcher(realBundles, nil), []pins.Entry{e}, Options{Download: dl})[0]
		if !called || r.Outcome != tc.outcome {
			t.Errorf("%s: called %v, outcome %s (%s), want %s", tc.name, called, r.Outcome, r.Detail, tc.outcome)
		}
		if tc.outcome == Wrong && r.Signed != shaOther {
			t.Errorf("%s: signed %q", tc.name, r.Signed)
		}
	}
}

// BenchmarkProve1000 proves 1,000 pins against a local tree of real
// bundles (the bundles of /work/shared/real, repeated): the work of
// 'pyverify check --pins FILE --bundles DIR' on a large pin file.
func BenchmarkProve1000(b *testing.B) {
	v := embeddedVerifier(b)
	type pin struct{ name, sha string }
	base := []pin{
		{"Python-3.11.0.tgz", sha3110tgz},
		{"Python-3.14.0.tar.xz", sha3140txz},
		{"python-3.12.0-amd64.exe", "c6bdf93f4b2de6dfa1a3a847e7c24ae10edf7f6318653d452cd4381415700ada"},
		{"python-3.13.0-macos11.pkg", "42b168533eca350427b67a667f006b580dad721de065cc5811dfae0e00ad37ce"},
		{"Python-3.12.13.tgz", "0816c4761c97ecdb3f50a3924de0a93fd78cb63ee8e6c04201ddfaedca500b0b"},
		{"Python-3.7.14.tgz", "82b2abf8978caa61a9011d166eede831b32de9cbebc0db8162900fa23437b709"},
		{"Python-3.8.20.tar.xz", "6fb89a7124201c61125c0ab4cf7f6894df339a40c02833bfd28ab4d7691fafb4"},
		{"Python-3.14.0a2.tgz", "b038eab7823e8a1c0500e3a26c95265656c2b8dd0bfa098aa341e9812be8f89c"},
	}
	// 1,000 distinct pins, each with its own bundle in a tree laid out
	// like /ftp/python/, as --bundles DIR reads it: pin i is base[i%8]
	// moved to a release of the same series (3.14.0 → 3.14.100+i/8), so
	// that every pin is a separate proof, as in a real pin collection.
	dir := b.TempDir()
	var es []pins.Entry
	for i := range 1000 {
		p := base[i%len(base)]
		orig := entry(p.name, p.sha)
		data, err := os.ReadFile(filepath.Join(realBundles, orig.Version, p.name+".sigstore"))
		if err != nil {
			b.Fatal(err)
		}
		ov, _ := BindName(orig)
		nv := ov
		nv.Patch, nv.HasPatch = 100+i/len(base), true
		e := entry(strings.Replace(p.name, ov.String(), nv.String(), 1), p.sha)
		if err := os.MkdirAll(filepath.Join(dir, nv.FTPDir()), 0o755); err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, nv.FTPDir(), e.Name+".sigstore"), data, 0o644); err != nil {
			b.Fatal(err)
		}
		es = append(es, e)
	}
	fetch := dirFetcher(dir, nil)
	b.ResetTimer()
	cpu0 := cpuTime()
	defer func() {
		if cpu := cpuTime() - cpu0; cpu > 0 {
			b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
		}
	}()
	for range b.N {
		res := Prove(context.Background(), v, fetch, es, Options{Jobs: 8})
		for _, r := range res {
			if r.Outcome != Signed {
				b.Fatalf("%s: %s: %s", r.Entry.Name, r.Outcome, r.Detail)
			}
		}
	}
}
