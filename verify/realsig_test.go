package verify

import (
	"bufio"
	"bytes"
	"crypto"
	"crypto/sha256"
	"crypto/sha512"
	"encoding"
	"encoding/hex"
	"hash"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/manifest"
)

// A real python.org release signature by a real embedded key: Python
// 3.13.5's source tarball, signed 2025-06-11 by Thomas Wouters's key
// 7169605F62C751356D054A26A821E680E5FA6305 (SHA-512, issuer fingerprint
// subpacket). Debian ships the tarball with python.org's .asc in its
// python3.13 source package (python3.13_3.13.5.orig.tar.xz{,.asc}).
//
// The tarball (22 MB) is not in the repository. testdata/real holds the
// .asc and, in Python-3.13.5.tar.xz.state, the file's size, SHA-256 and the
// state of a SHA-512 hash that has read all of it (crypto/sha512's
// MarshalBinary): the signature is verified from that state exactly as a
// check verifies it from the hash it computed while reading the bytes. When
// PYVERIFY_REAL_ARTIFACTS names a folder holding Python-3.13.5.tar.xz (or
// Debian's python3.13_3.13.5.orig.tar.xz), TestRealReleaseSignatureFile
// checks the file itself and that the recorded state is its own.
const realTarball = "Python-3.13.5.tar.xz"

type realState struct {
	size   string
	sha256 string
	sha512 []byte // marshaled state
}

func readRealState(t testing.TB) realState {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "real", realTarball+".state"))
	if err != nil {
		t.Fatal(err)
	}
	var st realState
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) != 2 {
			continue
		}
		switch f[0] {
		case "size":
			st.size = f[1]
		case "sha256":
			st.sha256 = f[1]
		case "sha512-state":
			if st.sha512, err = hex.DecodeString(f[1]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if st.sha512 == nil || st.sha256 == "" {
		t.Fatal("state file incomplete")
	}
	return st
}

func realRequirement(t testing.TB) Requirement {
	t.Helper()
	req, err := DefaultPolicy().Lookup(manifest.MustParseVersion("3.13.5"), manifest.ClassOf(realTarball))
	if err != nil {
		t.Fatal(err)
	}
	return req
}

// checkFromSHA512State runs the OpenPGP check of the real .asc with the
// embedded policy and keyring, its SHA-512 taken from state plus extra
// bytes after the file's.
func checkFromSHA512State(t *testing.T, keys Keyring, state []byte, extra []byte) CheckResult {
	t.Helper()
	asc := readFixtureIn(t, "real", realTarball+".asc")
	c := startOpenPGP(realTarball, asc, keys, realRequirement(t), pgpOwnHashes)
	if c.decided != nil {
		t.Fatalf("decided before hashing: %s %q", c.decided.Status, c.decided.Detail)
	}
	if _, ok := c.hashes[crypto.SHA512]; !ok || len(c.hashes) != 1 {
		t.Fatalf("the check hashes with %v, want SHA-512 only", c.hashes)
	}
	h := sha512.New()
	if err := h.(encoding.BinaryUnmarshaler).UnmarshalBinary(state); err != nil {
		t.Fatal(err)
	}
	h.Write(extra)
	c.hashes[crypto.SHA512] = h
	res, warnings := c.finish(nil)
	if len(warnings) > 0 {
		t.Errorf("warnings: %q", warnings)
	}
	return res
}

func readFixtureIn(t testing.TB, dir, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const realWantDetail = "good signature made 2025-06-11 by 7169605F62C751356D054A26A821E680E5FA6305"

// TestRealReleaseSignature is the case of issue 14: go-crypto alone
// rejects this signature ("no valid self signature found") when the key
// carries only self-signatures newer than it. With the embedded keyring it
// verifies, and one more byte makes it fail.
func TestRealReleaseSignature(t *testing.T) {
	st := readRealState(t)
	// The embedded key carries the self-signatures of 2021 and 2022 that
	// Debian's copy kept: the one in force in June 2025 covers it.
	res := checkFromSHA512State(t, DefaultKeyring(), st.sha512, nil)
	if res.Status != StatusPass || res.Detail != realWantDetail {
		t.Fatalf("real signature, embedded keyring: %s %q", res.Status, res.Detail)
	}
	if !strings.Contains(res.Signer, "Thomas Wouters") {
		t.Errorf("signer %q", res.Signer)
	}
	res = checkFromSHA512State(t, DefaultKeyring(), st.sha512, []byte{0})
	if res.Status != StatusFail || !strings.HasPrefix(res.Detail, "BAD signature: the file does not match the signature by 0xA821E680E5FA6305") {
		t.Errorf("one byte more: %s %q", res.Status, res.Detail)
	}
	// The copy python.org serves today has only the self-signatures of
	// its 2026-08-05 refresh: go-crypto alone finds none in force in 2025.
	// The time rule accepts it, as gpgv does, and says why.
	current, err := ReadKeyring(bytes.NewReader(readFixtureIn(t, "../trust/keysrc/python.org", "7169605F62C751356D054A26A821E680E5FA6305.asc")))
	if err != nil {
		t.Fatal(err)
	}
	res = checkFromSHA512State(t, current, st.sha512, nil)
	if want := realWantDetail + "; key binding renewed 2026-08-05, after the signature"; res.Status != StatusPass || res.Detail != want {
		t.Errorf("real signature, python.org's current copy: %s %q, want pass %q", res.Status, res.Detail, want)
	}
}

// TestRealReleaseSignatureFile checks the real tarball, when it is there,
// through the whole verifier: OpenPGP passes, a flipped byte fails it
// (and the digest listed for the file).
func TestRealReleaseSignatureFile(t *testing.T) {
	dir := os.Getenv("PYVERIFY_REAL_ARTIFACTS")
	if dir == "" {
		t.Skip("PYVERIFY_REAL_ARTIFACTS not set: the real tarball is not in the repository")
	}
	var data []byte
	for _, name := range []string{realTarball, "python3.13_3.13.5.orig.tar.xz"} {
		if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
			data = b
			break
		}
	}
	if data == nil {
		t.Skipf("%s not in %s", realTarball, dir)
	}
	st := readRealState(t)
	h := sha512.New()
	h.Write(data)
	state, err := h.(encoding.BinaryMarshaler).MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(state, st.sha512) {
		t.Fatal("the recorded SHA-512 state is not the file's")
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != st.sha256 {
		t.Fatal("the recorded SHA-256 is not the file's")
	}
	asc := readFixtureIn(t, "real", realTarball+".asc")
	// The whole verifier, as `pyverify check` runs it: with the release's
	// listed size and SHA-256 and its .asc (no bundle), the file is OK; a
	// flipped byte fails OpenPGP and SHA-256.
	v, err := NewVerifier(DefaultPolicy(), DefaultKeyring(), mustDefaultRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	target := Target{Name: realTarball, Version: manifest.MustParseVersion("3.13.5"), Size: int64(len(data)), SHA256: st.sha256,
		Signature: Sidecar{Data: asc, Listed: true}}
	rep, err := v.VerifyReader(target, bytes.NewReader(data))
	if err != nil || !rep.OK {
		t.Errorf("verifier: OK = %v, %v", rep.OK, err)
	}
	if r := checkOf(rep, KindOpenPGP); r.Status != StatusPass || r.Detail != realWantDetail {
		t.Errorf("verifier: openpgp %s %q", r.Status, r.Detail)
	}
	bad := bytes.Clone(data)
	bad[len(bad)/2] ^= 1
	rep, err = v.VerifyReader(target, bytes.NewReader(bad))
	if err == nil || rep.OK || checkOf(rep, KindOpenPGP).Status != StatusFail || checkOf(rep, KindSHA256).Status != StatusFail {
		t.Errorf("verifier, tampered: OK = %v, %v, openpgp %s, sha256 %s", rep.OK, err, checkOf(rep, KindOpenPGP).Status, checkOf(rep, KindSHA256).Status)
	}
	for _, tampered := range []bool{false, true} {
		b := data
		if tampered {
			b = bytes.Clone(data)
			b[len(b)/3] ^= 0x20
		}
		for _, hashing := range []pgpHashing{pgpPerSignature, pgpOwnHashes, pgpShareSHA256} {
			c := startOpenPGP(realTarball, asc, DefaultKeyring(), realRequirement(t), hashing)
			if c.needsBytes() {
				c.Write(b)
			}
			res, _ := c.finish(func() (hash.Hash, error) {
				h := sha256.New()
				_, err := io.Copy(h, bytes.NewReader(b))
				return h, err
			})
			switch {
			case !tampered && (res.Status != StatusPass || !strings.HasPrefix(res.Detail, realWantDetail)):
				t.Errorf("hashing %d: %s %q", hashing, res.Status, res.Detail)
			case tampered && (res.Status != StatusFail || !strings.HasPrefix(res.Detail, "BAD signature")):
				t.Errorf("hashing %d, tampered: %s %q", hashing, res.Status, res.Detail)
			}
		}
	}
}
