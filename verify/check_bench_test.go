package verify

import (
	"bytes"
	"crypto"
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/pyverify/pyverify/names"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// fullCheckSize is the size of the file BenchmarkFullCheck reads.
const fullCheckSize = 256 << 20

// BenchmarkFullCheck puts side by side, on the same 256 MiB file (page
// cache warm), what a full check of a downloaded release file costs and
// its baselines:
//
//   - MD5, SHA-256 and SHA-512 alone (Go, 1 MiB reads): MD5 is the floor
//     of a check of a file whose MD5 is listed, SHA-512 that of a check of
//     an OpenPGP signature made with it;
//   - md5sum then sha256sum, as a person checking a download by hand does;
//   - the full check as `pyverify check` runs it (size, MD5, SHA-256 and a
//     Sigstore bundle by digest), then the same for a 3.14 file, whose
//     listed checksums have no MD5, then with an OpenPGP signature made with
//     SHA-256 (checked from the digest's SHA-256) and with SHA-512 (which
//     needs a third hash of the bytes), and last for an older release whose
//     listed checksums are MD5 alone and which has no bundle, where SHA-256
//     is not computed at all.
//
// Each check reports x-md5, its time over that of MD5 alone (the issue's
// headline number; the target is at most 1.3), and coreutils/check, how many
// times faster than md5sum + sha256sum it is (the target is at least 2).
func BenchmarkFullCheck(b *testing.B) {
	fx := newFullCheckFixture(b)
	var md5Time, coreutilsTime float64 // ns per op of the baselines
	perOp := func(b *testing.B) float64 { return float64(b.Elapsed().Nanoseconds()) / float64(b.N) }
	hashAlone := func(newHash func() hash.Hash, out *float64) func(*testing.B) {
		return func(b *testing.B) {
			buf := make([]byte, hashChunkSize)
			b.SetBytes(fullCheckSize)
			for b.Loop() {
				f, err := os.Open(fx.path)
				if err != nil {
					b.Fatal(err)
				}
				h := newHash()
				// Hide WriterTo and ReaderFrom: plain 1 MiB reads.
				if _, err := io.CopyBuffer(struct{ io.Writer }{h}, struct{ io.Reader }{f}, buf); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
			if out != nil {
				*out = perOp(b)
			}
		}
	}
	b.Run("MD5_alone", hashAlone(md5.New, &md5Time))
	b.Run("SHA-256_alone", hashAlone(sha256.New, nil))
	b.Run("SHA-512_alone", hashAlone(sha512.New, nil))
	b.Run("md5sum+sha256sum", func(b *testing.B) {
		for _, tool := range []string{"md5sum", "sha256sum"} {
			if _, err := exec.LookPath(tool); err != nil {
				b.Skipf("%s not installed", tool)
			}
		}
		b.SetBytes(fullCheckSize)
		for b.Loop() {
			for _, tool := range []string{"md5sum", "sha256sum"} {
				if out, err := exec.Command(tool, fx.path).CombinedOutput(); err != nil {
					b.Fatalf("%s: %v: %s", tool, err, out)
				}
			}
		}
		coreutilsTime = perOp(b)
	})
	check := func(t Target) func(*testing.B) {
		return func(b *testing.B) {
			b.SetBytes(fullCheckSize)
			b.ReportAllocs()
			for b.Loop() {
				f, err := os.Open(fx.path)
				if err != nil {
					b.Fatal(err)
				}
				rep, err := fx.v.VerifyReader(t, f)
				f.Close()
				if err != nil || !rep.OK {
					b.Fatalf("%v (%+v)", err, rep)
				}
			}
			if md5Time > 0 {
				b.ReportMetric(perOp(b)/md5Time, "x-md5")
			}
			if coreutilsTime > 0 {
				b.ReportMetric(coreutilsTime/perOp(b), "coreutils/check")
			}
		}
	}
	b.Run("check", check(fx.target("3.12.4", fx.md5, fx.sha256, fx.bundle, nil)))
	b.Run("check_no_MD5_listed", check(fx.target("3.14.0", "", fx.sha256, fx.bundle, nil)))
	b.Run("check+OpenPGP_SHA-256", check(fx.target("3.12.4", fx.md5, fx.sha256, fx.bundle, fx.asc256)))
	b.Run("check+OpenPGP_SHA-512", check(fx.target("3.12.4", fx.md5, fx.sha256, fx.bundle, fx.asc512)))
	// Before 2026 python.org listed MD5 alone, and before 3.11 there is no
	// bundle: nothing needs SHA-256.
	b.Run("check_MD5_listed+OpenPGP_SHA-512", check(fx.target("3.9.4", fx.md5, "", nil, fx.asc512)))
}

type fullCheckFixture struct {
	path           string
	v              *Verifier
	md5, sha256    string
	bundle         []byte
	asc256, asc512 []byte
}

func (fx *fullCheckFixture) target(version, md5, sha256 string, bundle, asc []byte) Target {
	t := Target{Name: "Python-" + version + ".tgz", Version: names.MustParseVersion(version),
		Size: fullCheckSize, MD5: md5, SHA256: sha256}
	if bundle != nil {
		t.Bundle = Sidecar{Data: bundle, Listed: true}
	}
	if asc != nil {
		t.Signature = Sidecar{Data: asc, Listed: true}
	}
	return t
}

// newFullCheckFixture writes a file of random bytes and makes, for it, an
// OpenPGP signature with each hash and a Sigstore bundle from a virtual
// Sigstore instance, and a Verifier whose policy pins their signer.
func newFullCheckFixture(b *testing.B) *fullCheckFixture {
	b.Helper()
	fx := &fullCheckFixture{path: filepath.Join(b.TempDir(), "artifact")}
	f, err := os.Create(fx.path)
	if err != nil {
		b.Fatal(err)
	}
	m, s, s5 := md5.New(), sha256.New(), sha512.New()
	if _, err := io.Copy(io.MultiWriter(f, m, s, s5), io.LimitReader(rand.NewChaCha8([32]byte{1}), fullCheckSize)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	sum := s.Sum(nil)
	fx.md5, fx.sha256 = hex.EncodeToString(m.Sum(nil)), hex.EncodeToString(sum)
	e := newTestEntity(b, "Release Manager", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	when := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	fx.asc256 = signHashed(b, e.PrivateKey, s, when, crypto.SHA256, e.PrimaryKey.KeyId)
	fx.asc512 = signHashed(b, e.PrivateKey, s5, when, crypto.SHA512, e.PrimaryKey.KeyId)
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		b.Fatal(err)
	}
	if fx.bundle, err = virtualSigstoreBundle(vs, testIdentity, testIssuer, sum, virtualBundleOptions{}); err != nil {
		b.Fatal(err)
	}
	rootJSON, err := virtualSigstoreTrustedRoot(vs)
	if err != nil {
		b.Fatal(err)
	}
	tm, err := LoadTrustedRoot(rootJSON)
	if err != nil {
		b.Fatal(err)
	}
	p, err := ParsePolicy(fmt.Appendf(nil, `{"schema": "pyverify.policy/v1", "sigstore_require_sct": false,
	  "signers": {"rm": {"name": "Release Manager", "openpgp": [%q], "sigstore_identity": %q, "sigstore_issuer": %q}},
	  "series": {"3.9": {"openpgp": {"source": "rm"}},
	             "3.12": {"sigstore": "rm", "openpgp": {"source": "rm"}},
	             "3.14": {"sigstore": "rm", "sigstore_only": true}}}`, fingerprintOf(e), testIdentity, testIssuer))
	if err != nil {
		b.Fatal(err)
	}
	if fx.v, err = NewVerifier(p, publicKeyring(b, e), tm); err != nil {
		b.Fatal(err)
	}
	return fx
}

// BenchmarkHasher is the Hasher alone on 64 MiB in memory: MD5 and SHA-256
// on two goroutines, or SHA-256 alone. allocs/op and B/op stay the same
// whatever the size: the data moves through reused buffers.
func BenchmarkHasher(b *testing.B) {
	data := make([]byte, 64<<20)
	rand.NewChaCha8([32]byte{2}).Read(data)
	for _, tc := range []struct {
		name string
		new  func(...io.Writer) *Hasher
	}{{"MD5+SHA-256", NewHasher}, {"SHA-256", func(extra ...io.Writer) *Hasher { return NewHasherOf(DigestSHA256, extra...) }}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				h := tc.new()
				h.Write(data)
				h.Close()
			}
		})
	}
}

// BenchmarkStartup measures what `pyverify check` of one small file does
// besides hashing: loading the built-in trust material, as before (parsing
// every key of the keyring) and as now (indexing it), then the signature
// checks: a real Sigstore bundle by digest, and the parse of the one
// built-in key an OpenPGP check of a 3.12 source file needs.
func BenchmarkStartup(b *testing.B) {
	rb := findRealBundle(b, "Python-3.11.0.tgz")
	load := func(keyring func() (Keyring, error)) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, err := ParsePolicy(embeddedPolicy)
				if err != nil {
					b.Fatal(err)
				}
				k, err := keyring()
				if err != nil {
					b.Fatal(err)
				}
				tm, err := LoadTrustedRoot(embeddedTrustedRoot)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := NewVerifier(p, k, tm); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	b.Run("load_trust/parse_every_key", load(func() (Keyring, error) { return ReadKeyring(bytes.NewReader(embeddedKeyring)) }))
	b.Run("load_trust/index_keys", load(func() (Keyring, error) {
		keys, err := indexArmoredKeyring(embeddedKeyring)
		return Keyring{keys: keys}, err
	}))
	// The parts of load_trust/index_keys, one by one.
	b.Run("load_trust/policy", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParsePolicy(embeddedPolicy); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load_trust/keyring_index", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := indexArmoredKeyring(embeddedKeyring); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("load_trust/trusted_root", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := LoadTrustedRoot(embeddedTrustedRoot); err != nil {
				b.Fatal(err)
			}
		}
	})
	v, err := NewVerifier(DefaultPolicy(), DefaultKeyring(), mustDefaultRoot(b))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("sigstore_by_digest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t := Target{Name: rb.file, Version: names.MustParseVersion(rb.version), Bundle: Sidecar{Data: rb.json, Listed: true}}
			if rep, err := v.VerifyDigest(t, rb.sha256); err != nil {
				b.Fatalf("%v (%+v)", err, rep)
			}
		}
	})
	// What an OpenPGP check of a 3.12 source file adds: parsing, from the
	// built-in keyring, the key its signature names (Thomas Wouters').
	req, err := DefaultPolicy().Lookup(names.MustParseVersion("3.12.4"), names.ClassSource)
	if err != nil {
		b.Fatal(err)
	}
	pinned := req.OpenPGPFingerprints()
	b.Run("openpgp_parse_pinned_key", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			el, err := DefaultKeyring().parse(func(e *keyringEntry) bool { return slices.Contains(pinned, e.fpr) })
			if err != nil || len(el) == 0 {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSigstoreByDigest verifies every real python.org bundle in
// testdata/bundles (all bundle formats python.org has published, v0.1 to
// v0.3) by digest against the public-good trusted root, as `pyverify check
// sha256:…` does, and reports verifications per second.
func BenchmarkSigstoreByDigest(b *testing.B) {
	c := publicGoodChecker(b)
	bundles := realBundles(b)
	b.ReportAllocs()
	for b.Loop() {
		for _, rb := range bundles {
			if _, err := c.check(rb.json, rb.sha256, rb.identity, rb.issue); err != nil {
				b.Fatalf("%s/%s: %v", rb.version, rb.file, err)
			}
		}
	}
	n := float64(b.N * len(bundles))
	b.ReportMetric(n/b.Elapsed().Seconds(), "verifications/s")
	b.ReportMetric(float64(len(bundles)), "bundles")
}
