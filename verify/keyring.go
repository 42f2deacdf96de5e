package verify

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
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
// expiry was extended): a check pools the self-signatures of every copy, as
// gpg merges copies, and judges the key by the time rule of keyvalidity.go.
//
// A Keyring on its own trusts nothing: the Policy pins, per series and
// class, the full fingerprints a signature must come from, and every check
// uses only the keys whose fingerprints the policy names.
//
// A Keyring keeps each key as the binary packets it was read from, indexed
// by fingerprint and key IDs, and parses a key only when a check needs it:
// a check of one artifact parses the one or two keys its series pins, not
// the whole keyring. Each check parses its own copy, because go-crypto
// caches what it learns about a key inside the key's Entity while it
// verifies, so an Entity must not be shared by concurrent checks.
type Keyring struct {
	keys []*keyringEntry
}

// A keyringEntry is one transferable public key: its packets, as found in
// the keyring, from its primary key packet to the next primary key.
type keyringEntry struct {
	fpr  string   // primary fingerprint, upper-case hex
	ids  []uint64 // key IDs of the primary key and of every subkey
	data []byte
}

// has reports whether the primary key or a subkey has key ID id.
func (e *keyringEntry) has(id uint64) bool { return slices.Contains(e.ids, id) }

// parse returns the entries for which keep is true, each parsed afresh, for
// use by one check at a time. A key that does not parse into exactly the
// key the index names is an error: the check fails rather than use
// something else.
func (k Keyring) parse(keep func(*keyringEntry) bool) (openpgp.EntityList, error) {
	var out openpgp.EntityList
	for _, e := range k.keys {
		if !keep(e) {
			continue
		}
		el, err := readEntities(e.data)
		if err != nil {
			return nil, fmt.Errorf("key %s: %w", e.fpr, err)
		}
		if len(el) != 1 || fingerprintOf(el[0]) != e.fpr {
			return nil, fmt.Errorf("key %s: its packets read back as %d other keys", e.fpr, len(el))
		}
		out = append(out, el[0])
	}
	return out, nil
}

// ReadKeyring reads every key in r: a file of one or more ASCII-armored
// "PGP PUBLIC KEY BLOCK"s (text between blocks is ignored), or a binary
// keyring. It fails on input with no key, on a block of another type, and on
// a block whose keys cannot be read. Every key is parsed and checked once
// here, so that a bad keyring file is reported at once.
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
		keys, err := readKeyBlock(data)
		if err != nil {
			return Keyring{}, fmt.Errorf("keyring: binary keyring: %w", err)
		}
		return Keyring{keys: keys}, nil
	}

	br := bufio.NewReaderSize(bytes.NewReader(data), 4096)
	var all []*keyringEntry
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
		keys, err := readKeyBlock(body)
		if err != nil {
			return Keyring{}, fmt.Errorf("keyring: block %d: %w", n, err)
		}
		all = append(all, keys...)
	}
	return Keyring{keys: all}, nil
}

// readKeyBlock parses the keys in a binary key block, as go-crypto reads
// them, and indexes them. go-crypto skips keys it does not support; so does
// the index, which must otherwise name the same keys, in the same order.
func readKeyBlock(body []byte) ([]*keyringEntry, error) {
	el, err := readEntities(body)
	if err != nil {
		return nil, err
	}
	index, err := indexKeyBlock(body)
	if err != nil {
		return nil, fmt.Errorf("malformed key data: %v", err)
	}
	keys := make([]*keyringEntry, 0, len(el))
	for _, e := range el {
		f := fingerprintOf(e)
		for len(index) > 0 && index[0].fpr != f {
			index = index[1:]
		}
		if len(index) == 0 {
			return nil, fmt.Errorf("malformed key data: key %s has no primary key packet of its own", f)
		}
		keys = append(keys, index[0])
		index = index[1:]
	}
	return keys, nil
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

// Has reports whether k holds a primary key with the full fingerprint fpr
// (hex, any case, spaces ignored).
func (k Keyring) Has(fpr string) bool {
	f := normalizeFingerprint(fpr)
	for _, e := range k.keys {
		if e.fpr == f {
			return true
		}
	}
	return false
}

// fingerprintOf returns the primary fingerprint of e in upper-case hex.
func fingerprintOf(e *openpgp.Entity) string { return fingerprintHex(e.PrimaryKey) }

// fingerprintHex returns the fingerprint of pk in upper-case hex.
func fingerprintHex(pk *packet.PublicKey) string {
	return strings.ToUpper(hex.EncodeToString(pk.Fingerprint))
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
