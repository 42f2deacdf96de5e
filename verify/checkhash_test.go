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

	"github.com/pyverify/pyverify/names"
)

// TestCheckHashing checks what Start decides to hash, and that each choice
// gives the right report: MD5 and SHA-256 only when listed (or, for
// SHA-256, when a signature uses it), never "pass" otherwise; an OpenPGP
// signature made with SHA-256 checked from the digest's own SHA-256 (no
// bytes of its own); any other hash computed by the OpenPGP check.
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
	v.noContent = true // the data is not a .tgz
	m, s := md5.Sum(data), sha256.Sum256(data)
	md5hex, sha256hex := hex.EncodeToString(m[:]), hex.EncodeToString(s[:])
	tampered := bytes.Clone(data)
	tampered[len(tampered)-1] ^= 1
	for _, tc := range []struct {
		name      string
		hash      crypto.Hash // of the OpenPGP signature
		md5       string      // listed
		sha256    string      // listed
		data      []byte
		procs     int
		wantMD5   bool // the hasher computes MD5
		wantSHA   bool // the hasher computes SHA-256 (always: the report carries it)
		wantBytes bool // the OpenPGP check is fed the bytes
		wantOK    bool
		wantPGP   string // detail prefix
	}{
		{"sha256 sig, both listed", crypto.SHA256, md5hex, sha256hex, data, 0, true, true, false, true, "good signature"},
		{"sha256 sig, md5 listed", crypto.SHA256, md5hex, "", data, 0, true, true, false, true, "good signature"},
		{"sha256 sig, sha256 listed", crypto.SHA256, "", sha256hex, data, 0, false, true, false, true, "good signature"},
		{"sha256 sig, n/a listed", crypto.SHA256, " N/A ", "n/a", data, 0, false, true, false, true, "good signature"},
		{"sha512 sig, both listed", crypto.SHA512, md5hex, sha256hex, data, 0, true, true, true, true, "good signature"},
		{"sha512 sig, md5 listed", crypto.SHA512, md5hex, "", data, 0, true, true, true, true, "good signature"},
		{"sha512 sig, sha256 listed", crypto.SHA512, "", sha256hex, data, 0, false, true, true, true, "good signature"},
		{"sha512 sig, nothing listed", crypto.SHA512, "", "", data, 0, false, true, true, true, "good signature"},
		{"sha256 sig, tampered", crypto.SHA256, "", "", tampered, 0, false, true, false, false, "BAD signature"},
		{"sha512 sig, tampered", crypto.SHA512, "", "", tampered, 0, false, true, true, false, "BAD signature"},
		{"sha256 sig, one CPU", crypto.SHA256, md5hex, sha256hex, data, 1, true, true, false, true, "good signature"},
		{"sha512 sig, one CPU", crypto.SHA512, md5hex, sha256hex, data, 1, true, true, true, true, "good signature"},
		{"wrong md5", crypto.SHA256, strings.Repeat("0", 32), sha256hex, data, 0, true, true, false, false, "good signature"},
		{"wrong sha256", crypto.SHA512, md5hex, strings.Repeat("0", 64), data, 0, true, true, true, false, "good signature"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.procs > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(tc.procs))
			}
			c, err := v.Start(Target{Name: "Python-3.10.4.tgz", Version: names.MustParseVersion("3.10.4"),
				Size: int64(len(data)), MD5: tc.md5, SHA256: tc.sha256,
				Signature: Sidecar{Data: sigs[tc.hash], Listed: true}})
			if err != nil {
				t.Fatal(err)
			}
			if got := c.hasher.md5 != nil; got != tc.wantMD5 {
				t.Errorf("MD5 computed: %v, want %v", got, tc.wantMD5)
			}
			if got := c.hasher.sha256 != nil; got != tc.wantSHA {
				t.Errorf("SHA-256 computed: %v, want %v", got, tc.wantSHA)
			}
			if tc.procs == 1 && !c.hasher.inline {
				t.Error("one CPU, but the hasher uses goroutines")
			}
			if !c.pgp.hashed {
				t.Error("the OpenPGP check hashes per signature instead of sharing hash states")
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
			if s := sha256.Sum256(tc.data); rep.SHA256 != hex.EncodeToString(s[:]) {
				t.Errorf("report SHA-256 %q, want the checked bytes' %x", rep.SHA256, s)
			}
			for _, d := range []struct {
				kind   Kind
				listed string
				name   string
			}{{KindMD5, tc.md5, "MD5"}, {KindSHA256, tc.sha256, "SHA-256"}} {
				r := checkOf(rep, d.kind)
				switch {
				case !digestListed(d.listed):
					if r.Status != StatusMissing || r.Detail != "no "+d.name+" listed" {
						t.Errorf("%s not listed: %s %q", d.name, r.Status, r.Detail)
					}
				case strings.Trim(d.listed, "0") == "":
					if r.Status != StatusFail || r.Reason != ReasonDigestMismatch {
						t.Errorf("%s wrong: %s %s %q", d.name, r.Status, r.Reason, r.Detail)
					}
				case tc.data[len(tc.data)-1] == data[len(data)-1] && r.Status != StatusPass:
					t.Errorf("%s listed: %s %q", d.name, r.Status, r.Detail)
				}
			}
			if pgp := checkOf(rep, KindOpenPGP); !strings.HasPrefix(pgp.Detail, tc.wantPGP) {
				t.Errorf("openpgp: %s %q", pgp.Status, pgp.Detail)
			}
		})
	}
}

// TestCheckSHA256ForBundle: a bundle signs the SHA-256, so a check with one
// computes it even when no SHA-256 is listed.
func TestCheckSHA256ForBundle(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	tg := f.target("3.14.0")
	tg.MD5, tg.SHA256 = "", ""
	tg.Bundle = Sidecar{Data: f.bundle, Listed: true}
	c, err := v.Start(tg)
	if err != nil {
		t.Fatal(err)
	}
	if c.hasher.md5 != nil || c.hasher.sha256 == nil {
		t.Errorf("MD5 computed: %v, SHA-256 computed: %v", c.hasher.md5 != nil, c.hasher.sha256 != nil)
	}
	c.Write(f.data)
	if rep, err := c.Finish(); err != nil || !rep.OK {
		t.Errorf("%v (%+v)", err, rep)
	}
}
