package verify

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	openpgp "github.com/ProtonMail/go-crypto/openpgp/v2"
	"github.com/pyverify/pyverify/names"
)

func mustVersion(s string) names.Version { return names.MustParseVersion(s) }

// The fixtures in testdata/openpgp were made with real gpg by gen.sh.

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "openpgp", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixtureFingerprints reads testdata/openpgp/fingerprints.txt.
func fixtureFingerprints(t testing.TB) map[string]string {
	t.Helper()
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(readFixture(t, "fingerprints.txt")))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 {
			out[f[0]] = f[1]
		}
	}
	return out
}

func fixtureKeyring(t testing.TB, files ...string) Keyring {
	t.Helper()
	var all Keyring
	for _, f := range files {
		k, err := ReadKeyring(bytes.NewReader(readFixture(t, f)))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		all = all.Merge(k)
	}
	return all
}

func testReq(legacy bool, signers ...Signer) Requirement {
	return Requirement{Series: "3.13", OpenPGP: signers, OpenPGPLegacy: legacy}
}

// runOpenPGP checks asc over data in each way a check can hash the bytes,
// fed in uneven chunks: a hash per signature, one hash per algorithm, and
// sharing the caller's SHA-256. Every way must give the same result; the
// per-signature one is returned.
func runOpenPGP(t testing.TB, keys Keyring, req Requirement, data, asc []byte) (CheckResult, []string) {
	t.Helper()
	return runOpenPGPNamed(t, "Python-3.13.1.tgz", keys, req, data, asc)
}

// runOpenPGPNamed is runOpenPGP for a file named name.
func runOpenPGPNamed(t testing.TB, name string, keys Keyring, req Requirement, data, asc []byte) (CheckResult, []string) {
	t.Helper()
	var res CheckResult
	var warnings []string
	for _, hashing := range []pgpHashing{pgpPerSignature, pgpOwnHashes, pgpShareSHA256} {
		c := startOpenPGP(name, asc, keys, req, hashing)
		if c.shareSHA256 && len(c.hashes) == 0 && c.needsBytes() {
			t.Fatalf("a check sharing SHA-256 alone says it needs the bytes")
		}
		rest := data
		for c.needsBytes() && len(rest) > 0 {
			n := min(len(rest), 7919)
			if m, err := c.Write(rest[:n]); m != n || err != nil {
				t.Fatalf("Write = %d, %v", m, err)
			}
			rest = rest[n:]
		}
		h := sha256.New()
		h.Write(data)
		r, w := c.finish(func() (hash.Hash, error) { return cloneHash(h, sha256.New) })
		if hashing == pgpPerSignature {
			res, warnings = r, w
		} else if !reflect.DeepEqual(r, res) || !slices.Equal(w, warnings) {
			t.Errorf("hashing %d: %+v %q, but hashing per signature gives %+v %q", hashing, r, w, res, warnings)
		}
	}
	return res, warnings
}

func gpgSigners(t testing.TB) map[string]Signer {
	fp := fixtureFingerprints(t)
	return map[string]Signer{
		"rm":      {ID: "rm", Name: "Release Manager", Email: "rm@example.org", OpenPGP: []string{fp["rm"]}},
		"other":   {ID: "other", Name: "Someone Else", OpenPGP: []string{fp["other"]}},
		"exp":     {ID: "exp", Name: "Expiring", OpenPGP: []string{fp["exp"]}},
		"revoked": {ID: "revoked", Name: "Revoked", OpenPGP: []string{fp["revoked"]}},
		"sub":     {ID: "sub", Name: "Subkey Signer", OpenPGP: []string{fp["sub"]}},
		"dsa":     {ID: "dsa", Name: "Legacy DSA", OpenPGP: []string{fp["dsa"]}},
		"two":     {ID: "two", Name: "Two Copies", OpenPGP: []string{fp["two"]}},
	}
}

func TestOpenPGPWithGPGFixtures(t *testing.T) {
	data := readFixture(t, "artifact.bin")
	tampered := bytes.Clone(data)
	tampered[len(tampered)/2] ^= 1
	keys := fixtureKeyring(t, "rm.pub.asc", "other.pub.asc", "expiring.pub.asc", "revoked.pub.asc",
		"subkey.pub.asc", "dsa.pub.asc", "two.old.pub.asc", "two.new.pub.asc")
	s := gpgSigners(t)
	fp := fixtureFingerprints(t)
	tests := []struct {
		name     string
		sig      string
		data     []byte
		req      Requirement
		status   Status
		detail   string // prefix, or exact when exact is set
		exact    bool
		warning  string // substring of the only warning, "" for none
		signerRe string // substring of Signer
	}{
		{name: "good", sig: "artifact.bin.rm.asc", data: data, req: testReq(false, s["rm"]),
			status: StatusPass, detail: "good signature made ", signerRe: "Release Manager <rm@example.org> " + fp["rm"]},
		{name: "tampered", sig: "artifact.bin.rm.asc", data: tampered, req: testReq(false, s["rm"]),
			status: StatusFail, detail: "BAD signature: the file does not match the signature by "},
		{name: "wrong signer", sig: "artifact.bin.other.asc", data: data, req: testReq(false, s["rm"]),
			status: StatusFail, exact: true,
			detail:   "signed by key 0x" + fp["other"][24:] + " (Someone Else <other@example.org> " + fp["other"] + "), not by Release Manager " + fp["rm"],
			signerRe: fp["other"]},
		{name: "second of two pinned signers", sig: "artifact.bin.other.asc", data: data, req: testReq(false, s["rm"], s["other"]),
			status: StatusPass, detail: "good signature made "},
		{name: "expired after signing", sig: "artifact.bin.expiring.asc", data: data, req: testReq(false, s["exp"]),
			status: StatusPass, detail: "good signature made 2020-06-01 by " + fp["exp"]},
		{name: "revoked", sig: "artifact.bin.revoked.asc", data: data, req: testReq(false, s["revoked"]),
			status: StatusFail, detail: "key 0x" + fp["revoked"][24:] + " has been revoked: not a valid signature by Revoked " + fp["revoked"], exact: true},
		{name: "subkey", sig: "artifact.bin.subkey.asc", data: data, req: testReq(false, s["sub"]),
			status: StatusPass, detail: "good signature made ", signerRe: fp["sub"]},
		{name: "subkey tampered", sig: "artifact.bin.subkey.asc", data: tampered, req: testReq(false, s["sub"]),
			status: StatusFail, detail: "BAD signature"},
		{name: "legacy rejected", sig: "artifact.bin.dsa-sha1.asc", data: data, req: testReq(false, s["dsa"]),
			status: StatusFail, detail: "signature or key uses legacy algorithms (SHA-1 signature, DSA-1024 key), which the policy does not allow for 3.13 (openpgp_legacy is false)", exact: true},
		{name: "legacy accepted", sig: "artifact.bin.dsa-sha1.asc", data: data, req: testReq(true, s["dsa"]),
			status: StatusPass, detail: "good signature made ", warning: "accepted legacy algorithms (SHA-1 signature, DSA-1024 key) because the policy allows them for 3.13"},
		{name: "legacy tampered", sig: "artifact.bin.dsa-sha1.asc", data: tampered, req: testReq(true, s["dsa"]),
			status: StatusFail, detail: "BAD signature"},
		{name: "ripemd160", sig: "artifact.bin.rm-ripemd160.asc", data: data, req: testReq(true, s["rm"]),
			status: StatusFail, exact: true,
			detail: "the signature uses the RIPEMD-160 hash, which cannot be checked securely: not a valid signature by Release Manager " + fp["rm"]},
		{name: "key copy valid then", sig: "artifact.bin.two-2020.asc", data: data, req: testReq(false, s["two"]),
			status: StatusPass, detail: "good signature made 2020-06-01"},
		{name: "key copy valid now", sig: "artifact.bin.two-2022.asc", data: data, req: testReq(false, s["two"]),
			status: StatusPass, detail: "good signature made 2022-06-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, warnings := runOpenPGP(t, keys, tt.req, tt.data, readFixture(t, tt.sig))
			if res.Kind != KindOpenPGP || res.Status != tt.status {
				t.Fatalf("got %s %s (%s), want %s", res.Kind, res.Status, res.Detail, tt.status)
			}
			if tt.exact && res.Detail != tt.detail || !tt.exact && !strings.HasPrefix(res.Detail, tt.detail) {
				t.Errorf("detail = %q\nwant     %q", res.Detail, tt.detail)
			}
			if !strings.Contains(res.Signer, tt.signerRe) {
				t.Errorf("signer = %q, want it to contain %q", res.Signer, tt.signerRe)
			}
			switch {
			case tt.warning == "" && len(warnings) > 0:
				t.Errorf("unexpected warnings %q", warnings)
			case tt.warning != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], tt.warning)):
				t.Errorf("warnings = %q, want one containing %q", warnings, tt.warning)
			}
		})
	}
}

func TestOpenPGPKeyCopies(t *testing.T) {
	// Only the old copy: the 2022 signature was made after it expired.
	data := readFixture(t, "artifact.bin")
	s := gpgSigners(t)
	old := fixtureKeyring(t, "two.old.pub.asc")
	res, _ := runOpenPGP(t, old, testReq(false, s["two"]), data, readFixture(t, "artifact.bin.two-2022.asc"))
	if res.Status != StatusFail || !strings.Contains(res.Detail, "had expired when the signature was made (2022-06-01)") {
		t.Errorf("old copy, 2022 signature: %s %q", res.Status, res.Detail)
	}
	// Only the new, minimal copy: its one self-signature is from 2022, after
	// the 2020 signature, and its expiry (2060) covers 2020. go-crypto alone
	// finds no self-signature in force in 2020 and fails; gpg accepts it,
	// and so does the time rule, saying so in the detail.
	nw := fixtureKeyring(t, "two.new.pub.asc")
	res, _ = runOpenPGP(t, nw, testReq(false, s["two"]), data, readFixture(t, "artifact.bin.two-2020.asc"))
	if res.Status != StatusPass || !strings.HasSuffix(res.Detail, "; key binding renewed 2022-01-01, after the signature") {
		t.Errorf("new copy, 2020 signature: %s %q", res.Status, res.Detail)
	}
}

// newTestEntity makes an Ed25519 key with go-crypto.
func newTestEntity(t testing.TB, name string, created time.Time, lifetime uint32) *openpgp.Entity {
	t.Helper()
	cfg := &packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: func() time.Time { return created }, KeyLifetimeSecs: lifetime}
	e, err := openpgp.NewEntity(name, "", strings.ToLower(strings.Fields(name)[0])+"@example.org", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// publicKeyring serializes the public part of entities and reads it back,
// as a keyring file would be.
func publicKeyring(t testing.TB, entities ...*openpgp.Entity) Keyring {
	t.Helper()
	var b bytes.Buffer
	for _, e := range entities {
		w, err := armor.Encode(&b, openpgp.PublicKeyType, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := e.Serialize(w); err != nil {
			t.Fatal(err)
		}
		w.Close()
		b.WriteString("\n")
	}
	k, err := ReadKeyring(&b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// rawSign makes an armored detached signature of data with priv, dated
// when and naming issuer as its key ID, without any of the validity checks
// a signing tool makes: it is how an attacker would make one.
func rawSign(t testing.TB, priv *packet.PrivateKey, data []byte, when time.Time, h crypto.Hash, issuer uint64) []byte {
	t.Helper()
	hh := h.New()
	hh.Write(data)
	return signHashed(t, priv, hh, when, h, issuer)
}

// signHashed signs, as rawSign does, data already written to hh, a hash of
// kind h, which it consumes.
func signHashed(t testing.TB, priv *packet.PrivateKey, hh hash.Hash, when time.Time, h crypto.Hash, issuer uint64) []byte {
	t.Helper()
	sig := &packet.Signature{
		SigType: packet.SigTypeBinary, PubKeyAlgo: priv.PubKeyAlgo, Hash: h,
		CreationTime: when, IssuerKeyId: &issuer,
	}
	deterministic := false // go-crypto's salt notation does not support SHA-1
	if err := sig.Sign(hh, priv, &packet.Config{NonDeterministicSignaturesViaNotation: &deterministic}); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	w, err := armor.Encode(&b, openpgp.SignatureType, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := sig.Serialize(w); err != nil {
		t.Fatal(err)
	}
	w.Close()
	return b.Bytes()
}

func signerOf(e *openpgp.Entity, name string) Signer {
	return Signer{ID: "x", Name: name, OpenPGP: []string{fingerprintOf(e)}}
}

func TestOpenPGPWithGoCryptoKeys(t *testing.T) {
	data := []byte(strings.Repeat("CPython release bytes\n", 5000))
	t0 := time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)
	good := newTestEntity(t, "Good Signer", t0, 0)
	short := newTestEntity(t, "Short Lived", t0, 86400*30) // expires 2019-03-31
	revoked := newTestEntity(t, "Revoked Signer", t0, 0)
	if err := revoked.Revoke(packet.KeyCompromised, "lost", &packet.Config{Time: func() time.Time { return t0.Add(time.Hour) }}); err != nil {
		t.Fatal(err)
	}
	withSub := newTestEntity(t, "Sub Signer", t0, 0)
	if err := withSub.AddSigningSubkey(&packet.Config{Algorithm: packet.PubKeyAlgoEdDSA, Time: func() time.Time { return t0 }}); err != nil {
		t.Fatal(err)
	}
	keys := publicKeyring(t, good, short, revoked, withSub)

	var detached bytes.Buffer
	if err := openpgp.ArmoredDetachSign(&detached, []*openpgp.Entity{good}, bytes.NewReader(data), nil); err != nil {
		t.Fatal(err)
	}
	sub := withSub.Subkeys[len(withSub.Subkeys)-1]

	tests := []struct {
		name   string
		req    Requirement
		asc    []byte
		status Status
		detail string
	}{
		{"good", testReq(false, signerOf(good, "Good")), detached.Bytes(), StatusPass, "good signature made "},
		{"expired after signing", testReq(false, signerOf(short, "Short")),
			rawSign(t, short.PrivateKey, data, t0.AddDate(0, 0, 10), crypto.SHA256, short.PrimaryKey.KeyId), StatusPass, "good signature made 2019-03-11"},
		{"expired before signing", testReq(false, signerOf(short, "Short")),
			rawSign(t, short.PrivateKey, data, t0.AddDate(0, 2, 0), crypto.SHA256, short.PrimaryKey.KeyId), StatusFail,
			"key 0x" + fingerprintOf(short)[24:] + " had expired when the signature was made (2019-05-01)"},
		{"revoked, signed before revocation", testReq(false, signerOf(revoked, "Revoked")),
			rawSign(t, revoked.PrivateKey, data, t0.Add(time.Minute), crypto.SHA256, revoked.PrimaryKey.KeyId), StatusFail,
			"key 0x" + fingerprintOf(revoked)[24:] + " has been revoked"},
		{"subkey signature against pinned primary", testReq(false, signerOf(withSub, "Sub")),
			rawSign(t, sub.PrivateKey, data, t0.AddDate(0, 1, 0), crypto.SHA256, sub.PublicKey.KeyId), StatusPass, "good signature made 2019-04-01"},
		{"primary pinned elsewhere", testReq(false, signerOf(good, "Good")),
			rawSign(t, sub.PrivateKey, data, t0.AddDate(0, 1, 0), crypto.SHA256, sub.PublicKey.KeyId), StatusFail, "signed by key 0x"},
		{"sha1 strict", testReq(false, signerOf(good, "Good")),
			rawSign(t, good.PrivateKey, data, t0.AddDate(0, 1, 0), crypto.SHA1, good.PrimaryKey.KeyId), StatusFail,
			"signature or key uses legacy algorithms (SHA-1 signature), which the policy does not allow for 3.13 (openpgp_legacy is false)"},
		{"sha1 legacy", testReq(true, signerOf(good, "Good")),
			rawSign(t, good.PrivateKey, data, t0.AddDate(0, 1, 0), crypto.SHA1, good.PrimaryKey.KeyId), StatusPass, "good signature made"},
		{"future-dated signature", testReq(false, signerOf(good, "Good")),
			rawSign(t, good.PrivateKey, data, time.Now().AddDate(1, 0, 0), crypto.SHA256, good.PrimaryKey.KeyId), StatusFail,
			"signature made "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := runOpenPGP(t, keys, tt.req, data, tt.asc)
			if res.Status != tt.status || !strings.HasPrefix(res.Detail, tt.detail) {
				t.Errorf("got %s %q\nwant %s %q…", res.Status, res.Detail, tt.status, tt.detail)
			}
		})
	}
}

// rewriteArmored replaces, in an armored signature, every occurrence of
// the fingerprint from (and then of its key ID) with to's.
func rewriteArmored(t testing.TB, asc, from, to []byte) []byte {
	t.Helper()
	block, err := armor.Decode(bytes.NewReader(asc))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(block.Body)
	raw := bytes.ReplaceAll(body.Bytes(), from, to)
	raw = bytes.ReplaceAll(raw, from[len(from)-8:], to[len(to)-8:])
	var b bytes.Buffer
	w, _ := armor.Encode(&b, openpgp.SignatureType, nil)
	w.Write(raw)
	w.Close()
	return b.Bytes()
}

func TestOpenPGPDecoyShortIDCollision(t *testing.T) {
	// python.org's old pubkeys.txt ships keys whose 32-bit short IDs equal
	// the real release managers'. A signature claiming such a key must
	// never verify, even when the decoy is in the keyring.
	decoys := fixtureKeyring(t, "decoys-short-id-collisions.asc")
	if decoys.Len() < 10 {
		t.Fatalf("decoy file: %d keys", decoys.Len())
	}
	keys := DefaultKeyring().Merge(decoys)
	req, err := DefaultPolicy().Lookup(mustVersion("3.13.1"), "windows")
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("python-3.13.1-amd64.exe")
	attacker := newTestEntity(t, "Mallory", time.Now().Add(-time.Hour), 0)
	// The decoy's short ID 487034E5 is Steve Dower's. Make the signature
	// name the decoy in both its issuer subpackets.
	asc := rawSign(t, attacker.PrivateKey, data, time.Now().Add(-time.Minute), crypto.SHA256, attacker.PrimaryKey.KeyId)
	decoyFpr, _ := hex.DecodeString("BA749AC731BE5A28A65446C02056FF2E487034E5")
	asc = rewriteArmored(t, asc, attacker.PrimaryKey.Fingerprint, decoyFpr)
	res, _ := runOpenPGP(t, keys, req, data, asc)
	if res.Status != StatusFail {
		t.Fatalf("decoy signature: %s %q", res.Status, res.Detail)
	}
	want := "signed by key 0x2056FF2E487034E5 (Totally Legit Signing Key <mallory@example.org> BA749AC731BE5A28A65446C02056FF2E487034E5), not by Steve Dower 7ED10B6531D7C8E1BC296021FC624643487034E5"
	if res.Detail != want {
		t.Errorf("detail = %q\nwant     %q", res.Detail, want)
	}
	// Even a policy that (wrongly) pinned a decoy's short ID could not
	// name it: fingerprints must be 40 hex digits.
	bad := strings.Replace(minimalPolicy, "7169605f62c751356d054a26a821e680e5fa6305", "487034E5", 1)
	if _, err := ParsePolicy([]byte(bad)); err == nil {
		t.Error("policy with a short key ID parsed")
	}
}

func TestOpenPGPMD5Signature(t *testing.T) {
	// gpg refuses to make MD5 signatures; patch the hash algorithm of a
	// real one to MD5 (1). go-crypto skips such packets, which would
	// otherwise surface as an unknown signer.
	asc := readFixture(t, "artifact.bin.rm.asc")
	block, err := armor.Decode(bytes.NewReader(asc))
	if err != nil {
		t.Fatal(err)
	}
	var body bytes.Buffer
	body.ReadFrom(block.Body)
	raw := body.Bytes()
	// Old or new format header, then version 4, type, key algorithm, hash.
	hdr := 2
	if raw[0]&0x40 == 0 {
		hdr = 1 + (1 << (raw[0] & 3))
	} else if raw[1] >= 192 {
		hdr = 3
	}
	if raw[hdr] != 4 || raw[hdr+3] != 10 {
		t.Fatalf("unexpected packet layout % x", raw[:hdr+4])
	}
	raw[hdr+3] = 1
	var b bytes.Buffer
	w, _ := armor.Encode(&b, openpgp.SignatureType, nil)
	w.Write(raw)
	w.Close()
	s := gpgSigners(t)
	res, _ := runOpenPGP(t, fixtureKeyring(t, "rm.pub.asc"), testReq(true, s["rm"]), readFixture(t, "artifact.bin"), b.Bytes())
	want := "the signature uses the MD5 hash, which cannot be checked securely: not a valid signature by Release Manager " + s["rm"].OpenPGP[0]
	if res.Status != StatusFail || res.Detail != want {
		t.Errorf("got %s %q\nwant %q", res.Status, res.Detail, want)
	}
}

func TestOpenPGPMalformed(t *testing.T) {
	s := gpgSigners(t)
	keys := fixtureKeyring(t, "rm.pub.asc")
	good := readFixture(t, "artifact.bin.rm.asc")
	tests := []struct {
		name, asc, want string
	}{
		{"empty", "", "malformed .asc: empty signature file"},
		{"garbage", "hello, world\n", "malformed .asc: not an OpenPGP signature (no armor header)"},
		{"public key instead", string(readFixture(t, "rm.pub.asc")), `malformed .asc: want a "PGP SIGNATURE" block, got "PGP PUBLIC KEY BLOCK"`},
		{"truncated", string(good[:len(good)/2]), "malformed .asc: malformed armor: "},
		{"corrupt base64", strings.Replace(string(good), "\n=", "\n!", 1), "malformed .asc: "},
		{"binary garbage", "\x88\x05\x04\x00\x00\x00\x00", "malformed .asc: "},
		{"html error page", "<html><body>404 Not Found</body></html>", "malformed .asc: not an OpenPGP signature (no armor header)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, _ := runOpenPGP(t, keys, testReq(false, s["rm"]), readFixture(t, "artifact.bin"), []byte(tt.asc))
			if res.Status != StatusFail || !strings.HasPrefix(res.Detail, tt.want) {
				t.Errorf("got %s %q, want fail %q…", res.Status, res.Detail, tt.want)
			}
		})
	}
}

func TestOpenPGPEmptyFileAndNoWrites(t *testing.T) {
	s := gpgSigners(t)
	c := startOpenPGP("x", readFixture(t, "artifact.bin.rm.asc"), fixtureKeyring(t, "rm.pub.asc"), testReq(false, s["rm"]), pgpPerSignature)
	res, _ := c.finish(nil)
	if res.Status != StatusFail || !strings.HasPrefix(res.Detail, "BAD signature") {
		t.Errorf("no bytes: %s %q", res.Status, res.Detail)
	}
}

func TestReadKeyringMultipleBlocks(t *testing.T) {
	k := fixtureKeyring(t, "multi.keyring.asc")
	fp := fixtureFingerprints(t)
	want := []string{fp["rm"], fp["sub"], fp["dsa"]}
	if k.Len() != 3 {
		t.Errorf("Len = %d, want 3", k.Len())
	}
	for _, f := range want {
		if !k.Has(f) {
			t.Errorf("missing %s", f)
		}
	}
	// go-crypto's ReadArmoredKeyRing would stop after the first block.
	el, err := openpgp.ReadArmoredKeyRing(bytes.NewReader(readFixture(t, "multi.keyring.asc")))
	if err != nil || len(el) != 1 {
		t.Logf("note: ReadArmoredKeyRing read %d keys (%v)", len(el), err)
	}
	// The embedded keyring is one file of many blocks.
	if n := len(DefaultKeyring().Fingerprints()); n != 15 {
		t.Errorf("embedded keyring: %d distinct keys, want 15", n)
	}
}

// dearmoredFixture returns the binary packets of an armored fixture.
func dearmoredFixture(t testing.TB, name string) []byte {
	t.Helper()
	block, err := armor.Decode(bytes.NewReader(readFixture(t, name)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := b.ReadFrom(block.Body); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadKeyringBinary(t *testing.T) {
	k, err := ReadKeyring(bytes.NewReader(dearmoredFixture(t, "rm.pub.asc")))
	if err != nil {
		t.Fatal(err)
	}
	if !k.Has(fixtureFingerprints(t)["rm"]) {
		t.Error("binary keyring: key missing")
	}
}

func TestReadKeyringErrors(t *testing.T) {
	rm := string(readFixture(t, "rm.pub.asc"))
	tests := []struct{ name, in, want string }{
		{"empty", "", "keyring: no armored public key block found"},
		{"text", "no keys here\n", "keyring: no armored public key block found"},
		{"signature block", string(readFixture(t, "artifact.bin.rm.asc")), `keyring: block 1: want a "PGP PUBLIC KEY BLOCK" block, got "PGP SIGNATURE"`},
		{"second block bad", rm + "\n" + strings.Replace(rm, "\n=", "\n!", 1), "keyring: block 2: "},
		{"truncated", rm[:len(rm)/2], "keyring: block 1: malformed armor: "},
		{"binary garbage", "\x99\x00\x01\x04", "keyring: binary keyring: malformed key data: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadKeyring(strings.NewReader(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q…", err, tt.want)
			}
		})
	}
}

func FuzzReadKeyring(f *testing.F) {
	for _, name := range []string{"rm.pub.asc", "multi.keyring.asc", "revoked.pub.asc", "dsa.pub.asc"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n=AAAA\n-----END PGP PUBLIC KEY BLOCK-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := ReadKeyring(bytes.NewReader(data))
		if err == nil && k.Len() == 0 {
			t.Fatal("no error and no key")
		}
	})
}

func FuzzOpenPGPSignature(f *testing.F) {
	for _, name := range []string{"artifact.bin.rm.asc", "artifact.bin.subkey.asc", "artifact.bin.dsa-sha1.asc", "artifact.bin.rm-ripemd160.asc"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte("-----BEGIN PGP SIGNATURE-----\n\n=AAAA\n-----END PGP SIGNATURE-----\n"))
	keys := fixtureKeyring(f, "rm.pub.asc", "subkey.pub.asc", "dsa.pub.asc")
	s := gpgSigners(f)
	req := testReq(true, s["rm"], s["sub"], s["dsa"])
	data := []byte("fuzzed artifact")
	f.Fuzz(func(t *testing.T, asc []byte) {
		res, _ := runOpenPGP(t, keys, req, data, asc)
		// None of these keys signed data: nothing may verify.
		if res.Status != StatusFail || res.Detail == "" {
			t.Fatalf("got %s %q", res.Status, res.Detail)
		}
	})
}

func BenchmarkOpenPGPStream(b *testing.B) {
	s := gpgSigners(b)
	keys := fixtureKeyring(b, "rm.pub.asc")
	asc := readFixture(b, "artifact.bin.rm.asc")
	chunk := make([]byte, 256<<10)
	const size = 64 << 20
	b.SetBytes(size)
	for b.Loop() {
		c := startOpenPGP("x", asc, keys, testReq(false, s["rm"]), pgpPerSignature)
		for n := 0; n < size; n += len(chunk) {
			c.Write(chunk)
		}
		if res, _ := c.finish(nil); res.Status != StatusFail {
			b.Fatal("zeros verified")
		}
	}
}

// TestOpenPGPLiveGPG cross-checks against whatever gpg is installed: a key
// and signature made now, in a throw-away GNUPGHOME.
func TestOpenPGPLiveGPG(t *testing.T) {
	home, run := liveGPG(t)
	data := []byte(strings.Repeat("live gpg\n", 1000))
	file := filepath.Join(home, "artifact")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	run("--quick-gen-key", "Live Signer <live@example.org>", "ed25519", "sign", "never")
	asc := run("--armor", "--detach-sign", "-o", "-", file)
	keys, err := ReadKeyring(bytes.NewReader(run("--armor", "--export", "live@example.org")))
	if err != nil {
		t.Fatal(err)
	}
	fprs := keys.Fingerprints()
	if len(fprs) != 1 {
		t.Fatalf("fingerprints = %v", fprs)
	}
	req := testReq(false, Signer{Name: "Live", OpenPGP: fprs})
	if res, _ := runOpenPGP(t, keys, req, data, asc); res.Status != StatusPass {
		t.Errorf("good: %s %q", res.Status, res.Detail)
	}
	data[0] ^= 1
	if res, _ := runOpenPGP(t, keys, req, data, asc); res.Status != StatusFail || !strings.HasPrefix(res.Detail, "BAD signature") {
		t.Errorf("tampered: %s %q", res.Status, res.Detail)
	}
}

// TestOpenPGPConcurrentChecksShareKeyring verifies with the same keys from
// several goroutines at once; go-crypto writes to an Entity while it
// verifies, so under -race this fails if checks share Entities.
func TestOpenPGPConcurrentChecksShareKeyring(t *testing.T) {
	data := readFixture(t, "artifact.bin")
	asc := readFixture(t, "artifact.bin.rm.asc")
	keys := fixtureKeyring(t, "rm.pub.asc", "other.pub.asc")
	req := testReq(false, gpgSigners(t)["rm"])
	var wg sync.WaitGroup
	results := make([]CheckResult, 6)
	for i := range results {
		wg.Go(func() {
			c := startOpenPGP("Python-3.13.1.tgz", asc, keys, req, pgpHashing(i%3))
			c.Write(data)
			results[i], _ = c.finish(func() (hash.Hash, error) {
				h := sha256.New()
				h.Write(data)
				return h, nil
			})
		})
	}
	wg.Wait()
	for i, r := range results {
		if r.Status != StatusPass {
			t.Errorf("check %d: %s: %s", i, r.Status, r.Detail)
		}
	}
}

// liveGPG gives a throw-away GNUPGHOME and a function that runs the
// installed gpg in it (failing the test on error), or skips the test when
// gpg is not installed or with -short.
func liveGPG(t *testing.T) (home string, run func(args ...string) []byte) {
	t.Helper()
	gpg, err := exec.LookPath("gpg")
	if err != nil || testing.Short() {
		t.Skip("gpg not installed or -short")
	}
	home = t.TempDir()
	run = func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(gpg, append([]string{"--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback",
			"--passphrase", "", "--no-tty", "-q"}, args...)...)
		cmd.Env = append(os.Environ(), "GNUPGHOME="+home)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %v: %v\n%s", args, err, stderr.String())
		}
		return out
	}
	t.Cleanup(func() { exec.Command("gpgconf", "--homedir", home, "--kill", "all").Run() })
	return home, run
}
