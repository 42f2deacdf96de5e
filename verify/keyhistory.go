package verify

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// A KeyHistory is what a key's self-signatures say about when it was valid,
// pooled from every copy of the key in a keyring: what the time rule
// (trust/README.md) judges a signature by.
type KeyHistory struct {
	Fingerprint string
	Name        string    // the primary user ID, unverified text
	Created     time.Time // the primary key's creation
	// Expires is the expiry its newest self-signature sets (zero: never).
	Expires time.Time
	// Bindings lists the periods the key's valid self-signatures, then
	// its subkeys' signing bindings, cover, in order of creation.
	Bindings []KeyBinding
	// Revocations lists its valid revocations (of the key or a subkey).
	Revocations []KeyRevocation
}

// A KeyBinding is one self-signature (or subkey binding): made at Made, it
// says the key (or Subkey, a fingerprint in hex) is valid until Until (zero:
// no expiry).
type KeyBinding struct {
	Subkey      string
	Made, Until time.Time
}

// A KeyRevocation is a revocation of the key (or of Subkey): Soft when its
// reason is "superseded" or "retired", which leaves earlier signatures
// valid.
type KeyRevocation struct {
	Subkey string
	Made   time.Time
	Reason string
	Soft   bool
}

// KeyHistory returns the history of the primary key with fingerprint fpr
// (hex, any case), from every copy of it in k. Only self-signatures that
// verify count; algorithm policy is not applied.
func (k Keyring) KeyHistory(fpr string) (KeyHistory, error) {
	f := normalizeFingerprint(fpr)
	copies, err := k.parse(func(e *keyringEntry) bool { return e.fpr == f })
	if err != nil {
		return KeyHistory{}, err
	}
	if len(copies) == 0 {
		return KeyHistory{}, fmt.Errorf("keyring: no key %s", f)
	}
	pk := copies[0].PrimaryKey
	h := KeyHistory{Fingerprint: f, Created: pk.CreationTime.UTC()}
	if _, id := copies[0].PrimaryIdentity(time.Time{}, nil); id != nil {
		h.Name = id.Name
	}
	var newest *packet.Signature
	addBinding := func(sub *packet.PublicKey, s *packet.Signature) {
		b := KeyBinding{Made: s.CreationTime.UTC()}
		key := pk
		if sub != nil {
			b.Subkey, key = fingerprintHex(sub), sub
		} else if newest == nil || s.CreationTime.After(newest.CreationTime) {
			newest = s
		}
		if u := keyExpiry(key, s); !u.IsZero() {
			b.Until = u.UTC()
		}
		if !slices.Contains(h.Bindings, b) {
			h.Bindings = append(h.Bindings, b)
		}
	}
	addRevocation := func(sub *packet.PublicKey, s *packet.Signature) {
		r := KeyRevocation{Made: s.CreationTime.UTC(), Soft: softRevocation(s), Reason: revocationReason(s)}
		if sub != nil {
			r.Subkey = fingerprintHex(sub)
		}
		if !slices.Contains(h.Revocations, r) {
			h.Revocations = append(h.Revocations, r)
		}
	}
	for _, e := range copies {
		for _, d := range e.DirectSignatures {
			if pk.VerifyDirectKeySignature(d.Packet) == nil {
				addBinding(nil, d.Packet)
			}
		}
		for _, id := range e.Identities {
			for _, c := range id.SelfCertifications {
				if pk.VerifyUserIdSignature(id.Name, pk, c.Packet) == nil {
					addBinding(nil, c.Packet)
				}
			}
		}
		for _, r := range e.Revocations {
			if pk.VerifyRevocationSignature(r.Packet) == nil {
				addRevocation(nil, r.Packet)
			}
		}
		for _, s := range e.Subkeys {
			for _, b := range s.Bindings {
				if b.Packet.FlagsValid && b.Packet.FlagSign && pk.VerifyKeySignature(s.PublicKey, b.Packet) == nil {
					addBinding(s.PublicKey, b.Packet)
				}
			}
			for _, r := range s.Revocations {
				if pk.VerifySubkeyRevocationSignature(r.Packet, s.PublicKey) == nil {
					addRevocation(s.PublicKey, r.Packet)
				}
			}
		}
	}
	if newest == nil {
		return h, errors.New("keyring: key " + f + " has no valid self-signature")
	}
	if u := keyExpiry(pk, newest); !u.IsZero() {
		h.Expires = u.UTC()
	}
	slices.SortStableFunc(h.Bindings, func(a, b KeyBinding) int {
		if c := strings.Compare(a.Subkey, b.Subkey); c != 0 {
			return c
		}
		return a.Made.Compare(b.Made)
	})
	slices.SortStableFunc(h.Revocations, func(a, b KeyRevocation) int { return a.Made.Compare(b.Made) })
	return h, nil
}

// revocationReason words a revocation's reason.
func revocationReason(s *packet.Signature) string {
	if s.RevocationReason == nil {
		return "no reason given"
	}
	switch *s.RevocationReason {
	case packet.NoReason:
		return "no reason"
	case packet.KeySuperseded:
		return "superseded"
	case packet.KeyCompromised:
		return "compromised"
	case packet.KeyRetired:
		return "retired"
	}
	return fmt.Sprintf("reason %d", *s.RevocationReason)
}
