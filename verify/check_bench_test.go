package verify

import (
	"crypto"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/pyverify/pyverify/manifest"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// BenchmarkCheckLargeFile is what `pyverify check` does with a downloaded
// 64 MiB tarball that has both an OpenPGP signature and a Sigstore bundle:
// one read of the file from disk feeding MD5, SHA-256, SHA-512 and the
// OpenPGP hash, then the Sigstore bundle checked by digest. Compare it with
// BenchmarkCoreutils (md5sum then sha256sum on a file of the same size),
// which checks no signature at all.
func BenchmarkCheckLargeFile(b *testing.B) {
	path := writeTempFile(b, benchSize)
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	e := newTestEntity(b, "Release Manager", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	asc := rawSign(b, e.PrivateKey, data, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), crypto.SHA256, e.PrimaryKey.KeyId)
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		b.Fatal(err)
	}
	sum := sha256.Sum256(data)
	m := md5.Sum(data)
	data = nil
	bundle, err := virtualSigstoreBundle(vs, testIdentity, testIssuer, sum[:], virtualBundleOptions{})
	if err != nil {
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
	  "series": {"3.12": {"sigstore": "rm", "openpgp": {"source": "rm"}}}}`, fingerprintOf(e), testIdentity, testIssuer))
	if err != nil {
		b.Fatal(err)
	}
	v, err := NewVerifier(p, publicKeyring(b, e), tm, WithRequire(KindOpenPGP, KindSigstore))
	if err != nil {
		b.Fatal(err)
	}
	target := Target{
		Name: "Python-3.12.4.tgz", Version: manifest.MustParseVersion("3.12.4"), Class: manifest.ClassSource,
		Size: benchSize, MD5: hex.EncodeToString(m[:]), SHA256: hex.EncodeToString(sum[:]),
		Signature: Sidecar{Data: asc, Listed: true}, Bundle: Sidecar{Data: bundle, Listed: true},
	}
	b.SetBytes(benchSize)
	b.ReportAllocs()
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := v.VerifyReader(target, f)
		f.Close()
		if err != nil {
			b.Fatalf("%v (%+v)", err, rep)
		}
	}
}
