package verify

import (
	"bytes"
	"crypto"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/pyverify/pyverify/manifest"
)

// TestCheckHashing checks what Start decides to hash, and that each choice
// gives the right report: MD5 only when one is listed (and never "pass"
// otherwise), an OpenPGP signature made with SHA-256 checked from the
// digest's own SHA-256 (no bytes of its own), any other hash streamed.
func TestCheckHashing(t *testing.T) {
	e := newTestEntity(t, "Release Manager", time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 0)
	data := randomBytes(3*hashChunkSize+777, 42)
	when := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	sigs := map[crypto.Hash][]byte{}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA512} {
		sigs[h] = rawSign(t, e.PrivateKey, data, when, h, e.PrimaryKey.KeyId)
	}
	p, err := ParsePolicy(fmt.Appendf(nil, `{"schema": "pyverify.policy/v1",
	  "signers": {"rm": {"name": "Release Manager", "openpgp": [%q]}},
	  "series": {"3.10": {"openpgp": {"source": "rm"}}}}`, fingerprintOf(e)))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(p, publicKeyring(t, e), mustDefaultRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	m, s := md5.Sum(data), sha256.Sum256(data)
	tampered := bytes.Clone(data)
	tampered[len(tampered)-1] ^= 1
	for _, tc := range []struct {
		name        string
		hash        crypto.Hash
		md5         string
		data        []byte
		procs       int
		wantMD5     bool // the hasher computes MD5
		wantBytes   bool // the OpenPGP check is fed the bytes
		wantOK      bool
		wantMD5Stat Status
		wantPGP     string // detail prefix
	}{
		{"sha256 sig, md5 listed", crypto.SHA256, hex.EncodeToString(m[:]), data, 0, true, false, true, StatusPass, "good signature"},
		{"sha256 sig, no md5", crypto.SHA256, "", data, 0, false, false, true, StatusMissing, "good signature"},
		{"sha256 sig, md5 n/a", crypto.SHA256, " N/A ", data, 0, false, false, true, StatusMissing, "good signature"},
		{"sha512 sig, md5 listed", crypto.SHA512, hex.EncodeToString(m[:]), data, 0, true, true, true, StatusPass, "good signature"},
		{"sha512 sig, no md5", crypto.SHA512, "", data, 0, false, true, true, StatusMissing, "good signature"},
		{"sha256 sig, tampered", crypto.SHA256, "", tampered, 0, false, false, false, StatusMissing, "BAD signature"},
		{"sha512 sig, tampered", crypto.SHA512, "", tampered, 0, false, true, false, StatusMissing, "BAD signature"},
		{"sha256 sig, one CPU", crypto.SHA256, hex.EncodeToString(m[:]), data, 1, true, false, true, StatusPass, "good signature"},
		{"sha512 sig, one CPU", crypto.SHA512, hex.EncodeToString(m[:]), data, 1, true, true, true, StatusPass, "good signature"},
		{"wrong md5 still fails", crypto.SHA256, strings.Repeat("0", 32), data, 0, true, false, false, StatusFail, "good signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.procs > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tc.procs))
			}
			c, err := v.Start(Target{Name: "Python-3.10.4.tgz", Version: manifest.MustParseVersion("3.10.4"),
				Size: int64(len(data)), MD5: tc.md5, SHA256: hex.EncodeToString(s[:]),
				Signature: Sidecar{Data: sigs[tc.hash], Listed: true}})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.hasher.md5 != nil; got != tc.wantMD5 {
				t.Errorf("MD5 computed: %v, want %v", got, tc.wantMD5)
			}
			if tc.procs == 1 && !c.hasher.inline {
				t.Error("one CPU, but the hasher uses goroutines")
			}
			if !c.pgp.hashed {
				t.Error("the OpenPGP check streams the bytes through go-crypto instead of hashing them itself")
			}
			if got := c.pgp.needsBytes(); got != tc.wantBytes {
				t.Errorf("OpenPGP check fed the bytes: %v, want %v", got, tc.wantBytes)
			}
			if _, err := io.Copy(c, bytes.NewReader(tc.data)); err != nil {
				t.Fatal(err)
			}
			rep, err := c.Finish()
			if rep.OK != tc.wantOK || (err == nil) != tc.wantOK {
				t.Errorf("OK = %v, err = %v", rep.OK, err)
			}
			if md5c := checkOf(rep, KindMD5); md5c.Status != tc.wantMD5Stat ||
				tc.wantMD5Stat == StatusMissing && md5c.Detail != "no MD5 listed" {
				t.Errorf("md5: %s %q", md5c.Status, md5c.Detail)
			}
			if pgp := checkOf(rep, KindOpenPGP); !strings.HasPrefix(pgp.Detail, tc.wantPGP) {
				t.Errorf("openpgp: %s %q", pgp.Status, pgp.Detail)
			}
		})
	}
}
