package verify

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"

	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	openpgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

// The rule for whether a key could make a signature at the time the
// signature says it was made (trust/README.md, "Key validity over time").
//
// go-crypto's openpgp/v2 judges a key by the self-signature that was in
// force when the data signature was made: the newest one made before it. A
// key whose owner refreshed its expiry and re-published it without the old
// self-signatures has none, and every signature it ever made fails ("no
// valid self signature found"), although gpg, which judges a key by its
// newest self-signature, accepts them. signingKeyAt follows go-crypto's
// rule where it can and is lenient in one place only, the way gpg is, and
// says so in the result:
//
//   - The key (primary, or a subkey bound for signing) must have been
//     created no later than the signature.
//   - Its validity at the signature's time T comes from the newest valid
//     self-signature made no later than T, as RFC 9580 reads. When there is
//     none, or it says the key had expired by T, the key's newest valid
//     self-signature decides instead if it was made after T and its expiry
//     covers T: the key was re-certified later for a period that includes T.
//     Otherwise the key had expired (or was never certified) at T: it fails.
//   - A hard revocation (key compromised, no reason, an unknown reason)
//     fails every signature, whenever made; a soft one (superseded,
//     retired) fails the signatures made from its date on.
//   - The algorithms of the keys and of the self-signatures used must be
//     allowed by the configuration.
//
// Every copy of the key (a keyring may hold several, as published at
// different times) counts: their self-signatures are pooled, as gpg merges
// copies on import.

// A validKey is the key chosen to check a signature, with how its validity
// at the signature's time was established.
type validKey struct {
	pub     *packet.PublicKey
	entity  *openpgp.Entity
	primary bool
	// notes say where the rule was more lenient than RFC 9580's strict
	// reading, for the check's detail ("key binding renewed 2026-08-05,
	// after the signature").
	notes []string
}

// signingKeyAt returns the key among copies (every copy of one primary key)
// that made sig, if the rule above says it could have at sig's time.
func signingKeyAt(copies []*openpgp.Entity, sig *packet.Signature, cfg *packet.Config) (validKey, error) {
	if len(copies) == 0 {
		return validKey{}, pgperrors.ErrUnknownIssuer
	}
	var issuer uint64
	if sig.IssuerKeyId != nil {
		issuer = *sig.IssuerKeyId
	}
	matches := func(pk *packet.PublicKey) bool {
		if len(sig.IssuerFingerprint) > 0 {
			return bytes.Equal(sig.IssuerFingerprint, pk.Fingerprint)
		}
		return pk.KeyId == issuer
	}
	at := sig.CreationTime
	primary := copies[0].PrimaryKey

	if matches(primary) && at.Unix() < primary.CreationTime.Unix() {
		return validKey{}, pgperrors.ErrSignatureOlderThanKey
	}
	// The primary key's own validity at T is needed whichever key signed.
	pNotes, pSig, err := primaryValidAt(copies, at, cfg)
	if err != nil {
		return validKey{}, err
	}
	if err := keyAlgorithmAllowed(primary, cfg); err != nil {
		return validKey{}, err
	}

	if matches(primary) {
		if !canSignWith(pSig, primary, cfg) {
			return validKey{}, errors.New("the primary key's self-signature does not allow signing")
		}
		return validKey{pub: primary, entity: copies[0], primary: true, notes: pNotes}, nil
	}

	// A subkey: collect its bindings and revocations from every copy.
	var sub *packet.PublicKey
	var subEntity *openpgp.Entity
	var bindings, revocations []*packet.Signature
	for _, e := range copies {
		for i := range e.Subkeys {
			s := &e.Subkeys[i]
			if !matches(s.PublicKey) {
				continue
			}
			if sub == nil {
				sub, subEntity = s.PublicKey, e
			} else if !bytes.Equal(sub.Fingerprint, s.PublicKey.Fingerprint) {
				continue // two subkeys with one key ID: use the first
			}
			for _, b := range s.Bindings {
				if e.PrimaryKey.VerifyKeySignature(s.PublicKey, b.Packet) == nil &&
					selfSigAllowed(b.Packet, cfg) && (b.Packet.EmbeddedSignature == nil || selfSigAllowed(b.Packet.EmbeddedSignature, cfg)) {
					bindings = appendSig(bindings, b.Packet)
				}
			}
			for _, r := range s.Revocations {
				if e.PrimaryKey.VerifySubkeyRevocationSignature(r.Packet, s.PublicKey) == nil {
					revocations = appendSig(revocations, r.Packet)
				}
			}
		}
	}
	if sub == nil {
		return validKey{}, pgperrors.ErrUnknownIssuer
	}
	if at.Unix() < sub.CreationTime.Unix() {
		return validKey{}, pgperrors.ErrSignatureOlderThanKey
	}
	notes := pNotes
	if len(bindings) == 0 {
		return validKey{}, errors.New("the signing subkey has no valid binding signature")
	}
	rNotes, err := revokedAt(revocations, at, "subkey")
	if err != nil {
		return validKey{}, err
	}
	bind, bNotes, err := inForceAt(sub, bindings, at, cfg.Now(), "subkey binding")
	if err != nil {
		return validKey{}, err
	}
	if !canSignWith(bind, sub, cfg) {
		return validKey{}, errors.New("the subkey is not bound for signing")
	}
	if err := keyAlgorithmAllowed(sub, cfg); err != nil {
		return validKey{}, err
	}
	notes = append(append(notes, bNotes...), rNotes...)
	return validKey{pub: sub, entity: subEntity, notes: notes}, nil
}

// primaryValidAt applies the rule to the primary key at time at. It returns
// the self-signature that establishes its validity (for its key flags).
func primaryValidAt(copies []*openpgp.Entity, at time.Time, cfg *packet.Config) ([]string, *packet.Signature, error) {
	primary := copies[0].PrimaryKey
	var selfSigs, revocations []*packet.Signature
	for _, e := range copies {
		for _, r := range e.Revocations {
			if e.PrimaryKey.VerifyRevocationSignature(r.Packet) == nil {
				revocations = appendSig(revocations, r.Packet)
			}
		}
		for _, d := range e.DirectSignatures {
			if e.PrimaryKey.VerifyDirectKeySignature(d.Packet) == nil && selfSigAllowed(d.Packet, cfg) {
				selfSigs = appendSig(selfSigs, d.Packet)
			}
		}
		for _, id := range e.Identities {
			// A user ID revoked by its owner no longer certifies the key:
			// its self-signatures made up to the revocation are dropped.
			var revokedUntil int64 = -1
			for _, r := range id.Revocations {
				if e.PrimaryKey.VerifyUserIdSignature(id.Name, e.PrimaryKey, r.Packet) == nil {
					revokedUntil = max(revokedUntil, r.Packet.CreationTime.Unix())
				}
			}
			for _, c := range id.SelfCertifications {
				if c.Packet.CreationTime.Unix() <= revokedUntil {
					continue
				}
				if e.PrimaryKey.VerifyUserIdSignature(id.Name, e.PrimaryKey, c.Packet) == nil && selfSigAllowed(c.Packet, cfg) {
					selfSigs = appendSig(selfSigs, c.Packet)
				}
			}
		}
	}
	if len(selfSigs) == 0 {
		return nil, nil, errors.New("no valid self signature found")
	}
	rNotes, err := revokedAt(revocations, at, "key")
	if err != nil {
		return nil, nil, err
	}
	s, notes, err := inForceAt(primary, selfSigs, at, cfg.Now(), "key binding")
	if err != nil {
		return nil, nil, err
	}
	return append(notes, rNotes...), s, nil
}

// inForceAt picks, among the verified self-signatures sigs of key pk, the
// one that says pk was valid at time at (see the rule above), and notes any
// leniency. The newest self-signature is the newest still in force now (not
// expired, not dated in the future). what names the binding in the notes.
func inForceAt(pk *packet.PublicKey, sigs []*packet.Signature, at, now time.Time, what string) (*packet.Signature, []string, error) {
	slices.SortStableFunc(sigs, func(a, b *packet.Signature) int {
		return a.CreationTime.Compare(b.CreationTime)
	})
	var then *packet.Signature // the newest made no later than at
	for _, s := range sigs {
		if s.CreationTime.Unix() <= at.Unix() && !s.SigExpired(at) {
			then = s
		}
	}
	if then != nil && !pk.KeyExpired(then, at) {
		return then, nil, nil
	}
	var newest *packet.Signature
	for _, s := range sigs {
		if !s.SigExpired(now) {
			newest = s
		}
	}
	if newest != nil && newest.CreationTime.Unix() > at.Unix() && !pk.KeyExpired(newest, at) {
		var note string
		if then == nil {
			note = fmt.Sprintf("%s renewed %s, after the signature", what, day(newest.CreationTime))
		} else {
			note = fmt.Sprintf("%s expired %s by the self-signature in force then, lifted %s", what,
				day(keyExpiry(pk, then)), day(newest.CreationTime))
		}
		return newest, []string{note}, nil
	}
	return nil, nil, pgperrors.ErrKeyExpired
}

// revokedAt applies the revocation part of the rule. A soft revocation
// dated after the signature is noted, not a failure.
func revokedAt(revocations []*packet.Signature, at time.Time, what string) ([]string, error) {
	var notes []string
	for _, r := range revocations {
		if !softRevocation(r) || r.CreationTime.Unix() <= at.Unix() {
			return nil, pgperrors.ErrKeyRevoked
		}
		reason := "retired"
		if *r.RevocationReason == packet.KeySuperseded {
			reason = "superseded"
		}
		notes = append(notes, fmt.Sprintf("%s %s %s, after the signature", what, reason, day(r.CreationTime)))
	}
	return notes, nil
}

// softRevocation reports whether r says the key was superseded or retired,
// which leaves the signatures made before it valid. Any other reason, or
// none, means it may have been compromised: nothing it made is trusted.
func softRevocation(r *packet.Signature) bool {
	return r.RevocationReason != nil &&
		(*r.RevocationReason == packet.KeySuperseded || *r.RevocationReason == packet.KeyRetired)
}

// selfSigAllowed reports whether a self-signature's hash and notations are
// acceptable under cfg (its expiry is checked against the time it is used at).
func selfSigAllowed(s *packet.Signature, cfg *packet.Config) bool {
	if cfg.RejectHashAlgorithm(s.Hash) {
		return false
	}
	for _, n := range s.Notations {
		if n.IsCritical && !cfg.KnownNotation(n.Name) {
			return false
		}
	}
	return true
}

// canSignWith reports whether self-signature s lets key pk sign data.
func canSignWith(s *packet.Signature, pk *packet.PublicKey, cfg *packet.Config) bool {
	if !pk.PubKeyAlgo.CanSign() {
		return false
	}
	if s.FlagsValid {
		return s.FlagSign
	}
	return cfg.AllowAllKeyFlagsWhenMissing()
}

// keyAlgorithmAllowed checks a key's algorithm and size against cfg, as
// go-crypto does before it uses a key.
func keyAlgorithmAllowed(pk *packet.PublicKey, cfg *packet.Config) error {
	if cfg.RejectPublicKeyAlgorithm(pk.PubKeyAlgo) {
		return pgperrors.WeakAlgorithmError(fmt.Sprintf("public key algorithm %d", pk.PubKeyAlgo))
	}
	switch pk.PubKeyAlgo {
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly:
		bits, err := pk.BitLength()
		if err != nil || bits < cfg.MinimumRSABits() {
			return pgperrors.WeakAlgorithmError(fmt.Sprintf("minimum rsa length is %d got %d", cfg.MinimumRSABits(), bits))
		}
	case packet.PubKeyAlgoECDSA, packet.PubKeyAlgoEdDSA:
		curve, err := pk.Curve()
		if err != nil || cfg.RejectCurve(curve) {
			return pgperrors.WeakAlgorithmError("elliptic curve " + string(curve))
		}
		if pk.Version == 6 && (curve == packet.Curve25519 || curve == packet.Curve448) {
			return pgperrors.StructuralError("v6 key uses legacy elliptic curve " + string(curve))
		}
	}
	return nil
}

// keyExpiry returns when self-signature s says pk expires (zero: never).
func keyExpiry(pk *packet.PublicKey, s *packet.Signature) time.Time {
	if s.KeyLifetimeSecs == nil || *s.KeyLifetimeSecs == 0 {
		return time.Time{}
	}
	return pk.CreationTime.Add(time.Duration(*s.KeyLifetimeSecs) * time.Second)
}

// appendSig adds s to sigs. Copies of a key repeat signatures; a
// repeated one changes nothing the rule decides.
func appendSig(sigs []*packet.Signature, s *packet.Signature) []*packet.Signature {
	return append(sigs, s)
}

// day formats t as a UTC date.
func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }
