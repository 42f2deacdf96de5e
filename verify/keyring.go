package verify

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	openpgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

// Limits on keyring input, which may come from a user's file.
const (
	// maxKeyringSize caps the bytes ReadKeyring reads.
	maxKeyringSize = 32 << 20
	// maxKeyringBlocks caps the armored blocks in one keyring file.
	maxKeyringBlocks = 4096
)

// A Keyring holds OpenPGP public keys. The same primary key may appear more
// than once (for example a copy from before and a copy from after its
// expiry was extended); a signature verifies if it verifies with any copy.
//
// A Keyring on its own trusts nothing: the Policy pins, per series and
// class, the full fingerprints a signature must come from, and every check
// uses only the keys whose fingerprints the policy names.
//
// go-crypto caches what it learns about a key inside the key's Entity while
// it verifies, so an Entity must not be shared by concurrent checks. A
// Keyring therefore keeps every key in serialized form as well, and each
// check works on its own fresh copy (see clone).
type Keyring struct {
	entities openpgp.EntityList
	raw      [][]byte // raw[i] is entities[i] serialized
}

// newKeyring makes a Keyring of el, serializing each key for clone.
func newKeyring(el openpgp.EntityList) (Keyring, error) {
	k := Keyring{entities: el, raw: make([][]byte, len(el))}
	for i, e := range el {
		var b bytes.Buffer
		if err := e.Serialize(&b); err != nil {
			return Keyring{}, fmt.Errorf("key %s: %v", fingerprintOf(e), err)
		}
		k.raw[i] = b.Bytes()
	}
	return k, nil
}

// clone returns a copy of the keys of k for which keep is true, parsed
// afresh, for use by one check at a time. keep must only read a key's
// fingerprint and key IDs.
func (k Keyring) clone(keep func(*openpgp.Entity) bool) (Keyring, error) {
	var c Keyring
	for i, e := range k.entities {
		if !keep(e) {
			continue
		}
		el, err := readEntities(k.raw[i])
		if err != nil {
			return Keyring{}, err
		}
		if len(el) != 1 {
			return Keyring{}, fmt.Errorf("keyring: a serialized key read back as %d keys", len(el))
		}
		c.entities = append(c.entities, el[0])
		c.raw = append(c.raw, k.raw[i])
	}
	return c, nil
}

// hasKeyID reports whether e's primary key or one of its subkeys has the
// 64-bit key ID id.
func hasKeyID(e *openpgp.Entity, id uint64) bool {
	if e.PrimaryKey.KeyId == id {
		return true
	}
	for _, sk := range e.Subkeys {
		if sk.PublicKey.KeyId == id {
			return true
		}
	}
	return false
}

// ReadKeyring reads every key in r: a file of one or more ASCII-armored
// "PGP PUBLIC KEY BLOCK"s (text between blocks is ignored), or a binary
// keyring. It fails on input with no key, on a block of another type, and on
// a block whose keys cannot be read.
func ReadKeyring(r io.Reader) (Keyring, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxKeyringSize+1))
	if err != nil {
		return Keyring{}, fmt.Errorf("keyring: %w", err)
	}
	if len(data) > maxKeyringSize {
		return Keyring{}, fmt.Errorf("keyring: larger than %d bytes", maxKeyringSize)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0]&0x80 != 0 {
		el, err := readEntities(data)
		if err != nil {
			return Keyring{}, fmt.Errorf("keyring: binary keyring: %w", err)
		}
		k, err := newKeyring(el)
		if err != nil {
			return Keyring{}, fmt.Errorf("keyring: binary keyring: %w", err)
		}
		return k, nil
	}

	br := bufio.NewReaderSize(bytes.NewReader(data), 4096)
	var all openpgp.EntityList
	for n := 1; ; n++ {
		if n > maxKeyringBlocks {
			return Keyring{}, fmt.Errorf("keyring: more than %d armored blocks", maxKeyringBlocks)
		}
		block, err := armor.Decode(br)
		if err == io.EOF {
			if n == 1 {
				return Keyring{}, errors.New("keyring: no armored public key block found")
			}
			break
		}
		if err != nil {
			return Keyring{}, fmt.Errorf("keyring: block %d: malformed armor: %v", n, err)
		}
		if block.Type != openpgp.PublicKeyType {
			return Keyring{}, fmt.Errorf("keyring: block %d: want a %q block, got %q", n, openpgp.PublicKeyType, escape(block.Type))
		}
		body, err := io.ReadAll(block.Body)
		if err != nil {
			return Keyring{}, fmt.Errorf("keyring: block %d: malformed armor: %v", n, err)
		}
		el, err := readEntities(body)
		if err != nil {
			return Keyring{}, fmt.Errorf("keyring: block %d: %w", n, err)
		}
		all = append(all, el...)
	}
	k, err := newKeyring(all)
	if err != nil {
		return Keyring{}, fmt.Errorf("keyring: %w", err)
	}
	return k, nil
}

// readEntities reads the public keys in a binary key block. Secret keys are
// refused: a keyring of trust anchors holds public keys only.
func readEntities(body []byte) (el openpgp.EntityList, err error) {
	defer func() {
		// go-crypto is expected not to panic on malformed packets; this
		// guard keeps untrusted keyring input from ever crashing a caller.
		if r := recover(); r != nil {
			el, err = nil, fmt.Errorf("malformed key data (%v)", r)
		}
	}()
	el, err = openpgp.ReadKeyRing(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("malformed key data: %v", err)
	}
	if len(el) == 0 {
		return nil, errors.New("no public key in block")
	}
	for _, e := range el {
		if e.PrivateKey != nil {
			return nil, fmt.Errorf("key %s is a secret key; a keyring holds public keys only", fingerprintOf(e))
		}
	}
	return el, nil
}

// Len returns the number of keys (copies included) in k.
func (k Keyring) Len() int { return len(k.entities) }

// Fingerprints returns the distinct primary-key fingerprints in k, as
// upper-case hex, sorted.
func (k Keyring) Fingerprints() []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range k.entities {
		f := fingerprintOf(e)
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// Has reports whether k holds a primary key with the full fingerprint fpr
// (hex, any case, spaces ignored).
func (k Keyring) Has(fpr string) bool {
	f := normalizeFingerprint(fpr)
	for _, e := range k.entities {
		if fingerprintOf(e) == f {
			return true
		}
	}
	return false
}

// Merge returns a keyring holding the keys of k and then those of other.
func (k Keyring) Merge(other Keyring) Keyring {
	el := make(openpgp.EntityList, 0, len(k.entities)+len(other.entities))
	el = append(el, k.entities...)
	el = append(el, other.entities...)
	raw := make([][]byte, 0, len(el))
	raw = append(raw, k.raw...)
	raw = append(raw, other.raw...)
	return Keyring{entities: el, raw: raw}
}

// pinned returns the keys of k whose primary fingerprint is one of fprs
// (normalized, upper-case). Only these may ever verify a signature.
func (k Keyring) pinned(fprs []string) openpgp.EntityList {
	want := map[string]bool{}
	for _, f := range fprs {
		want[f] = true
	}
	var out openpgp.EntityList
	for _, e := range k.entities {
		if want[fingerprintOf(e)] {
			out = append(out, e)
		}
	}
	return out
}

// byKeyID returns the keys of k that contain a primary key or subkey with
// the 64-bit key ID id.
func (k Keyring) byKeyID(id uint64) openpgp.EntityList {
	return k.entities.EntitiesById(id)
}

// fingerprintOf returns the primary fingerprint of e in upper-case hex.
func fingerprintOf(e *openpgp.Entity) string {
	return strings.ToUpper(hex.EncodeToString(e.PrimaryKey.Fingerprint))
}

// normalizeFingerprint upper-cases fpr and drops spaces and a 0x prefix.
func normalizeFingerprint(fpr string) string {
	f := strings.ReplaceAll(strings.TrimSpace(fpr), " ", "")
	f = strings.TrimPrefix(strings.TrimPrefix(f, "0x"), "0X")
	return strings.ToUpper(f)
}

// isFingerprint reports whether f is 40 upper-case hex digits: a full v4
// fingerprint, the only kind python.org's release keys have.
func isFingerprint(f string) bool {
	if len(f) != 40 {
		return false
	}
	for _, c := range f {
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}
