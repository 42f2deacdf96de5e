package verify

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

// TestEmbeddedKeyring checks the fast index of the built-in keyring
// against ReadKeyring, which reads it with go-crypto's armor reader and
// parses every key: the same keys, in the same order, with the same key
// IDs and bytes, each of which parses into exactly the key it is indexed as.
func TestEmbeddedKeyring(t *testing.T) {
	strict, err := ReadKeyring(bytes.NewReader(embeddedKeyring))
	if err != nil {
		t.Fatal(err)
	}
	fast := DefaultKeyring()
	if fast.Len() != strict.Len() || fast.Len() == 0 {
		t.Fatalf("index: %d keys, ReadKeyring: %d", fast.Len(), strict.Len())
	}
	for i, e := range fast.keys {
		s := strict.keys[i]
		if e.fpr != s.fpr || !slices.Equal(e.ids, s.ids) || !bytes.Equal(e.data, s.data) {
			t.Errorf("key %d: index %s %x (%d bytes), ReadKeyring %s %x (%d bytes)", i, e.fpr, e.ids, len(e.data), s.fpr, s.ids, len(s.data))
		}
	}
	el, err := fast.parse(func(*keyringEntry) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range el {
		if fingerprintOf(e) != fast.keys[i].fpr {
			t.Errorf("key %d parses as %s, indexed as %s", i, fingerprintOf(e), fast.keys[i].fpr)
		}
		if !slices.Contains(fast.keys[i].ids, e.PrimaryKey.KeyId) {
			t.Errorf("key %d: primary key ID %X not indexed", i, e.PrimaryKey.KeyId)
		}
		for _, sk := range e.Subkeys {
			if !slices.Contains(fast.keys[i].ids, sk.PublicKey.KeyId) {
				t.Errorf("key %d: subkey ID %X not indexed", i, sk.PublicKey.KeyId)
			}
		}
	}
	// Every fingerprint the built-in policy pins is in the index, which is
	// what NewVerifier checks.
	for _, s := range DefaultPolicy().Signers() {
		for _, f := range s.OpenPGP {
			if !fast.Has(f) {
				t.Errorf("pinned key %s of %s is not in the built-in keyring", f, s.Name)
			}
		}
	}
}

// TestKeyringParseFailsClosed: a key that no longer reads as the key it is
// indexed as makes the check fail; it is never skipped or replaced.
func TestKeyringParseFailsClosed(t *testing.T) {
	s := gpgSigners(t)
	rm := fixtureKeyring(t, "rm.pub.asc")
	other := fixtureKeyring(t, "other.pub.asc")
	data := readFixture(t, "artifact.bin")
	asc := readFixture(t, "artifact.bin.rm.asc")
	e := rm.keys[0]
	for name, bad := range map[string]*keyringEntry{
		"truncated": {fpr: e.fpr, ids: e.ids, data: e.data[:len(e.data)/2]},
		"another":   {fpr: e.fpr, ids: e.ids, data: other.keys[0].data},
	} {
		keys := Keyring{keys: []*keyringEntry{bad}}
		res, _ := runOpenPGP(t, keys, testReq(false, s["rm"]), data, asc)
		if res.Status != StatusFail || !strings.HasPrefix(res.Detail, "keyring: key "+e.fpr+": ") {
			t.Errorf("%s: %s %q", name, res.Status, res.Detail)
		}
	}
}

func TestIndexKeyBlockErrors(t *testing.T) {
	good := dearmoredFixture(t, "rm.pub.asc")
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no public key"},
		{"not a header", "\x01\x02", "at byte 0: byte 0x01 is not a packet header"},
		{"truncated header", "\xc6", "at byte 0: truncated packet header"},
		{"truncated body", "\xc6\x10abc", "at byte 0: packet of type 6 is truncated"},
		{"partial length", "\xc6\xe0abc", "at byte 0: packet of type 6 has a partial body length"},
		{"user ID first", "\xcd\x01a", "a packet of type 13 before any primary key"},
		{"subkey first", "\xce\x01a", "a subkey before any primary key"},
		{"secret key", "\xc5\x01a", "a secret key; a keyring holds public keys only"},
		{"cut", string(good[:len(good)-1]), "is truncated"},
	} {
		_, err := indexKeyBlock([]byte(tc.in))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	keys, err := indexKeyBlock(good)
	if err != nil || len(keys) != 1 || keys[0].fpr != fixtureFingerprints(t)["rm"] {
		t.Errorf("good block: %v, %d keys", err, len(keys))
	}
}

func TestIndexArmoredKeyring(t *testing.T) {
	multi := readFixture(t, "multi.keyring.asc")
	keys, err := indexArmoredKeyring(multi)
	if err != nil {
		t.Fatal(err)
	}
	strict := fixtureKeyring(t, "multi.keyring.asc")
	if len(keys) != strict.Len() {
		t.Fatalf("%d keys, ReadKeyring finds %d", len(keys), strict.Len())
	}
	for i := range keys {
		if keys[i].fpr != strict.keys[i].fpr || !bytes.Equal(keys[i].data, strict.keys[i].data) {
			t.Errorf("key %d differs from ReadKeyring's", i)
		}
	}
	rm := string(readFixture(t, "rm.pub.asc"))
	for _, tc := range []struct{ name, in, want string }{
		{"empty", "", "no armored public key block found"},
		{"no end", rm[:len(rm)-20], "block 1: no end line"},
		{"bad base64", strings.Replace(rm, "\n\n", "\n\n!!!!", 1), "block 1: illegal base64 data"},
	} {
		if _, err := indexArmoredKeyring([]byte(tc.in)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
}

// FuzzKeyIndex: the indexes never panic, and whenever ReadKeyring accepts
// a keyring, its keys are those the packet index names.
func FuzzKeyIndex(f *testing.F) {
	for _, name := range []string{"rm.pub.asc", "multi.keyring.asc", "dsa.pub.asc", "subkey.pub.asc"} {
		f.Add(readFixture(f, name))
		f.Add(dearmoredFixture(f, name))
	}
	f.Add([]byte("\xc6\x05\x04abcd\xce\x01a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		indexArmoredKeyring(data)
		index, ierr := indexKeyBlock(data)
		k, err := ReadKeyring(bytes.NewReader(data))
		if err != nil || data[0]&0x80 == 0 {
			return
		}
		if ierr != nil {
			t.Fatalf("ReadKeyring accepted what the index refuses: %v", ierr)
		}
		for _, e := range k.keys {
			if !slices.ContainsFunc(index, func(x *keyringEntry) bool { return x.fpr == e.fpr }) {
				t.Fatalf("key %s not in the index", e.fpr)
			}
		}
	})
}
