package verify

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"hash"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/armor"
	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
	openpgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

// Limits on a detached signature file (python.org's are under 1 KiB).
const (
	maxSignatureSize    = 64 << 10
	maxSignaturePackets = 16
)

// minRSABits is the RSA key size below which a key is legacy.
const minRSABits = 2047

// strictOpenPGPConfig is go-crypto's default: DSA, SHA-1 message signatures,
// MD5, RIPEMD-160 and RSA under 2047 bits are rejected.
func strictOpenPGPConfig() *packet.Config { return &packet.Config{} }

// legacyOpenPGPConfig also accepts DSA keys, SHA-1 message signatures and
// RSA keys from 1024 bits, as old python.org releases need, and keys whose
// self-signatures carry no key flags (made before gpg wrote them, like
// Martin v. Löwis's key of 2002): their use then follows from their
// algorithm, as gpg decides it. MD5 and RIPEMD-160 stay rejected.
func legacyOpenPGPConfig() *packet.Config {
	return &packet.Config{
		InsecureAllowAllKeyFlagsWhenMissing: true,
		MinRSABits:                          1024,
		RejectPublicKeyAlgorithms:           map[packet.PublicKeyAlgorithm]bool{packet.PubKeyAlgoElGamal: true},
		RejectHashAlgorithms:                map[crypto.Hash]bool{crypto.MD5: true, crypto.RIPEMD160: true},
		RejectMessageHashAlgorithms:         map[crypto.Hash]bool{crypto.MD5: true, crypto.RIPEMD160: true},
	}
}

// A parsedSignature is a detached signature file, decoded.
type parsedSignature struct {
	body []byte // the binary packets
	sigs []*packet.Signature
	// unsupported says why signature packets were skipped, such as
	// "hash function 1 (MD5)".
	unsupported []string
}

// parseDetachedSignature decodes an armored (or binary) detached signature
// and checks that it holds signature packets only.
func parseDetachedSignature(data []byte) (ps *parsedSignature, err error) {
	defer func() {
		if r := recover(); r != nil {
			ps, err = nil, fmt.Errorf("malformed signature (%v)", r)
		}
	}()
	if len(data) > maxSignatureSize {
		return nil, fmt.Errorf("signature file larger than %d bytes", maxSignatureSize)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	var body []byte
	switch {
	case len(trimmed) == 0:
		return nil, errors.New("empty signature file")
	case bytes.HasPrefix(trimmed, []byte("-----BEGIN ")):
		block, err := armor.Decode(bytes.NewReader(trimmed))
		if err != nil {
			return nil, fmt.Errorf("malformed armor: %v", err)
		}
		if block.Type != openpgp.SignatureType {
			return nil, fmt.Errorf("want a %q block, got %q", openpgp.SignatureType, escape(block.Type))
		}
		body, err = io.ReadAll(io.LimitReader(block.Body, maxSignatureSize))
		if err != nil {
			return nil, fmt.Errorf("malformed armor: %v", err)
		}
	case trimmed[0]&0x80 != 0:
		body = data
	default:
		return nil, errors.New("not an OpenPGP signature (no armor header)")
	}
	ps = &parsedSignature{body: body}
	r := packet.NewReader(bytes.NewReader(body))
	for n := 0; ; n++ {
		if n >= maxSignaturePackets {
			return nil, fmt.Errorf("more than %d packets", maxSignaturePackets)
		}
		p, err := r.NextWithUnsupported()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("malformed packet: %v", err)
		}
		switch p := p.(type) {
		case *packet.Signature:
			if p.SigType != packet.SigTypeBinary && p.SigType != packet.SigTypeText {
				return nil, fmt.Errorf("signature of type 0x%02x is not a document signature", uint8(p.SigType))
			}
			ps.sigs = append(ps.sigs, p)
		case *packet.UnsupportedPacket:
			if _, isSig := p.IncompletePacket.(*packet.Signature); !isSig {
				return nil, fmt.Errorf("unsupported packet: %v", p.Error)
			}
			ps.unsupported = append(ps.unsupported, describeUnsupported(p.Error))
		default:
			return nil, fmt.Errorf("holds %s, not a detached signature (gpg --detach-sign)", packetKind(p))
		}
	}
	if len(ps.sigs) == 0 && len(ps.unsupported) == 0 {
		return nil, errors.New("no signature packet")
	}
	return ps, nil
}

// describeUnsupported names the algorithm behind an unsupported-packet
// error, so that an MD5 or RIPEMD-160 signature is not reported as an
// unknown signer.
func describeUnsupported(err error) string {
	ue, ok := err.(pgperrors.UnsupportedError)
	if !ok {
		return pgpText(err)
	}
	msg := string(ue)
	names := map[string]string{
		"hash function 1": "the MD5 hash", "hash function 3": "the RIPEMD-160 hash",
		"hash function 2": "the SHA-1 hash",
	}
	for k, v := range names {
		if strings.HasSuffix(msg, k) {
			return v
		}
	}
	return pgpText(err)
}

// An openpgpCheck verifies one detached signature of an artifact. Create it
// with startOpenPGP, feed it the artifact's bytes with Write if needsBytes
// says so (Write never returns an error, so it never stops a shared
// stream), then call finish (or, when the bytes could not all be read,
// abort) exactly once.
//
// An OpenPGP signature is made over a hash of the file's bytes followed by
// a suffix from the signature packet. The check hashes the bytes itself and
// verifies with go-crypto's packet API: signingKeyAt picks the key that
// made the signature and decides, by the rule in keyvalidity.go, whether
// it could at the signature's time; packet.PublicKey.VerifySignature checks
// the signature over a copy of the hash. A version 4 signature of a binary
// document hashes the bytes as they are, so one hash per algorithm serves
// every such signature (pgpOwnHashes); when it is SHA-256 and the caller
// computes SHA-256 anyway, the check can share the caller's
// (pgpShareSHA256) and then needs no bytes at all. Other signatures (text
// documents, salted v6 ones) get a hash of their own.
type openpgpCheck struct {
	name    string
	req     Requirement
	keys    openpgp.EntityList // this check's own copies (see startOpenPGP)
	ps      *parsedSignature
	decided *CheckResult // set when the outcome is known before any byte
	// hashed: every signature is checked from a shared hash state: one of
	// hashes, or the caller's SHA-256 when shareSHA256.
	hashed      bool
	shareSHA256 bool
	hashes      map[crypto.Hash]hash.Hash
	// own holds, for each signature of ps.sigs that needs one, a hash of
	// its own (nil for the others).
	own []*sigHash
	// groups: the pinned keys the signatures name, each group every copy
	// of one primary key in the keyring.
	groups [][]*openpgp.Entity
	cfg    *packet.Config
	// signedAt is the creation time of the signature that verified.
	signedAt time.Time
}

// A sigHash hashes the file's bytes for one signature.
type sigHash struct {
	direct  hash.Hash // the hash the signature is verified with
	wrapped hash.Hash // what Write feeds: direct, or a canonical-text view of it
	used    bool      // direct has been handed out and could not be copied
	err     error     // the signature's hash cannot be computed
}

// How an openpgpCheck hashes the bytes.
type pgpHashing int

const (
	pgpPerSignature pgpHashing = iota // each signature hashes the bytes itself
	pgpOwnHashes                      // one hash per algorithm for v4 binary signatures
	pgpShareSHA256                    // and SHA-256 taken from the caller
)

// startOpenPGP prepares the check of asc for artifact name under req, using
// only the keys of keys that req pins. It hashes the bytes as hashing says,
// as far as its signatures allow (see openpgpCheck).
func startOpenPGP(name string, asc []byte, keys Keyring, req Requirement, hashing pgpHashing) *openpgpCheck {
	c := &openpgpCheck{name: name, req: req}
	ps, err := parseDetachedSignature(asc)
	if err != nil {
		c.decide(StatusFail, "malformed .asc: "+escape(err.Error()), "")
		return c
	}
	c.ps = ps
	// This check's own copy of the keys it may need: those with a key ID a
	// signature names (the pinned ones verify; the others name the signer
	// in the report), parsed afresh so that no check shares an Entity.
	var ids []uint64
	for _, sig := range ps.sigs {
		if sig.IssuerKeyId != nil {
			ids = append(ids, *sig.IssuerKeyId)
		}
	}
	c.keys, err = keys.parse(func(e *keyringEntry) bool { return slices.ContainsFunc(ids, e.has) })
	if err != nil {
		c.decide(StatusFail, "keyring: "+escape(err.Error()), "")
		return c
	}
	if len(ps.sigs) == 0 {
		c.decide(StatusFail, fmt.Sprintf("the signature uses %s, which cannot be checked securely: not a valid signature by %s",
			escape(strings.Join(ps.unsupported, ", ")), c.wantSigners()), "")
		return c
	}
	pinnedFprs := req.OpenPGPFingerprints()
	for _, sig := range ps.sigs {
		if sig.IssuerKeyId == nil {
			continue
		}
		for _, e := range c.keys.EntitiesById(*sig.IssuerKeyId) {
			fpr := fingerprintOf(e)
			if !slices.Contains(pinnedFprs, fpr) || slices.ContainsFunc(c.groups, func(g []*openpgp.Entity) bool { return fingerprintOf(g[0]) == fpr }) {
				continue
			}
			var g []*openpgp.Entity
			for _, o := range c.keys {
				if fingerprintOf(o) == fpr {
					g = append(g, o)
				}
			}
			c.groups = append(c.groups, g)
		}
	}
	if len(c.groups) == 0 {
		c.decide(StatusFail, c.wrongSigner(ps.sigs[0]), c.claimedSigner(ps.sigs[0]))
		return c
	}
	c.cfg = strictOpenPGPConfig()
	if req.OpenPGPLegacy {
		c.cfg = legacyOpenPGPConfig()
	}
	c.shareSHA256 = hashing == pgpShareSHA256 && canShareSHA256() &&
		slices.ContainsFunc(ps.sigs, func(sig *packet.Signature) bool { return hashableSignature(sig) && sig.Hash == crypto.SHA256 })
	c.hashes = map[crypto.Hash]hash.Hash{}
	c.own = make([]*sigHash, len(ps.sigs))
	c.hashed = true
	for i, sig := range ps.sigs {
		switch {
		case hashing >= pgpOwnHashes && hashableSignature(sig):
			if _, ok := c.hashes[sig.Hash]; !ok && !(sig.Hash == crypto.SHA256 && c.shareSHA256) {
				c.hashes[sig.Hash] = sig.Hash.New()
			}
		default:
			c.hashed = false
			c.own[i] = newSigHash(sig)
		}
	}
	return c
}

// newSigHash prepares the hash of the file's bytes for sig, as RFC 9580
// says: salted for v6 signatures, over canonical line endings for text.
func newSigHash(sig *packet.Signature) *sigHash {
	h, err := sig.PrepareVerify()
	if err != nil {
		return &sigHash{err: err}
	}
	sh := &sigHash{direct: h, wrapped: h}
	if sig.SigType == packet.SigTypeText {
		sh.wrapped = newGPGTextHash(h) // as GnuPG canonicalizes (openpgp_text.go)
	}
	return sh
}

// hashFor returns a hash of the file's bytes to verify signature i with,
// which the caller may consume. sha256 gives copies of the caller's
// SHA-256 state.
func (c *openpgpCheck) hashFor(i int, sha256 func() (hash.Hash, error)) (hash.Hash, error) {
	sig := c.ps.sigs[i]
	if sh := c.own[i]; sh != nil {
		switch {
		case sh.err != nil:
			return nil, sh.err
		case sh.used:
			return nil, errors.New("internal error: a signature's hash was needed twice")
		}
		if h, err := cloneHash(sh.direct, sig.Hash.New); err == nil {
			return h, nil
		}
		sh.used = true
		return sh.direct, nil
	}
	switch own := c.hashes[sig.Hash]; {
	case own != nil:
		return cloneHash(own, sig.Hash.New)
	case sig.Hash == crypto.SHA256 && c.shareSHA256 && sha256 != nil:
		return sha256()
	}
	return nil, fmt.Errorf("internal error: no %v hash of the file to check the signature with", sig.Hash)
}

func (c *openpgpCheck) decide(st Status, detail, signer string) {
	c.decided = &CheckResult{Kind: KindOpenPGP, Status: st, Detail: detail, Signer: signer}
}

// hashableSignature reports whether a signature can be checked from the
// state of a hash that has read the file's bytes as they are: a version 4
// signature of a binary document (no salt, no text canonicalization, no v5
// metadata) whose hash this build can compute and copy.
func hashableSignature(sig *packet.Signature) bool {
	return sig.Version == 4 && sig.SigType == packet.SigTypeBinary && sig.Salt() == nil && canCloneHash(sig.Hash)
}

// needsBytes reports whether the check must be given the artifact's bytes
// with Write: false only when it shares the caller's SHA-256 alone.
func (c *openpgpCheck) needsBytes() bool {
	if c.decided != nil {
		return false
	}
	return len(c.hashes) > 0 || slices.ContainsFunc(c.own, func(sh *sigHash) bool { return sh != nil && sh.err == nil })
}

// Write feeds the artifact's bytes to the check's hashes. It always
// reports success.
func (c *openpgpCheck) Write(p []byte) (int, error) {
	for _, h := range c.hashes {
		h.Write(p)
	}
	for _, sh := range c.own {
		if sh != nil && sh.err == nil {
			sh.wrapped.Write(p)
		}
	}
	return len(p), nil
}

// finish ends the check and returns the outcome and any warnings. The
// result's Required field is left for the caller. sha256 is used by a check
// that shares the caller's SHA-256 only: it returns a fresh copy of the
// SHA-256 state after the artifact's last byte each time it is called.
//
// A signature verifies when a pinned key it names could make it at its
// time (signingKeyAt), the signature is good over the bytes, and its own
// algorithms and dates are acceptable; the first that does decides.
func (c *openpgpCheck) finish(sha256 func() (hash.Hash, error)) (CheckResult, []string) {
	if c.decided != nil {
		return *c.decided, nil
	}
	var best error
	for i, sig := range c.ps.sigs {
		if sig.IssuerKeyId == nil {
			continue
		}
		for _, g := range c.groups {
			if !slices.ContainsFunc(g, func(e *openpgp.Entity) bool {
				return len(openpgp.EntityList{e}.KeysById(*sig.IssuerKeyId)) > 0
			}) {
				continue
			}
			k, err := signingKeyAt(g, sig, c.cfg)
			var h hash.Hash
			if err == nil {
				h, err = c.hashFor(i, sha256)
			}
			if err == nil {
				err = k.pub.VerifySignature(h, sig)
			}
			if err == nil {
				err = messageSignatureAllowed(sig, c.cfg)
			}
			if err == nil && sig.SigType == packet.SigTypeText && !textFileName(c.name) {
				err = &textOfBinaryError{fpr: fingerprintOf(g[0]), made: sig.CreationTime}
			}
			if err == nil {
				fpr := fingerprintOf(g[0])
				if signer, ok := c.signerFor(fpr); ok {
					return c.pass(sig, k, signer, fpr)
				}
				// Cannot happen: only pinned keys are in c.groups.
				err = fmt.Errorf("verified with key %s, which is not pinned", fpr)
			}
			if best == nil || errorRank(err) > errorRank(best) {
				best = err
			}
		}
	}
	if best == nil {
		best = pgperrors.ErrUnknownIssuer
	}
	res := CheckResult{Kind: KindOpenPGP, Status: StatusFail, Detail: c.describeFailure(best)}
	var tb *textOfBinaryError
	if !slices.ContainsFunc(c.ps.sigs, func(sig *packet.Signature) bool { return sig.SigType != packet.SigTypeText }) &&
		!errors.Is(best, pgperrors.ErrUnknownIssuer) && !errors.As(best, &tb) {
		res.Detail += " (a text-mode signature, gpg --textmode: checked over the file's text with CRLF line endings)"
	}
	if errors.Is(best, pgperrors.ErrUnknownIssuer) {
		res.Signer = c.claimedSigner(c.ps.sigs[0])
	}
	return res, nil
}

// messageSignatureAllowed checks a data signature's own hash, notations and
// dates, as go-crypto does after verifying it: a rejected message hash
// (SHA-1 outside legacy series), an unknown critical notation, or a
// signature that has expired or is dated in the future fails.
func messageSignatureAllowed(sig *packet.Signature, cfg *packet.Config) error {
	if cfg.RejectMessageHashAlgorithm(sig.Hash) {
		return pgperrors.SignatureError("insecure message hash algorithm: " + sig.Hash.String())
	}
	if cfg.RejectHashAlgorithm(sig.Hash) {
		return pgperrors.SignatureError("insecure hash algorithm: " + sig.Hash.String())
	}
	for _, n := range sig.Notations {
		if n.IsCritical && !cfg.KnownNotation(n.Name) {
			return pgperrors.SignatureError("unknown critical notation: " + n.Name)
		}
	}
	if sig.SigExpired(cfg.Now()) {
		return pgperrors.ErrSignatureExpired
	}
	return nil
}

// abort ends a check whose bytes could not all be read, in place of
// finish. The check holds no goroutine or other resource, so there is
// nothing to release; it is kept so that callers end every check.
func (c *openpgpCheck) abort() {}

// pass builds the result of a good signature, with warnings for the legacy
// algorithms it needed. Where the key's validity at the signature's time
// needed the rule's leniency, the detail says so.
func (c *openpgpCheck) pass(sig *packet.Signature, k validKey, s Signer, fpr string) (CheckResult, []string) {
	var legacy []string
	if sig.Hash == crypto.SHA1 {
		legacy = append(legacy, "SHA-1 signature")
	}
	if l := legacyKey(k.pub); l != "" {
		legacy = append(legacy, l+" key")
	}
	if l := legacyKey(k.entity.PrimaryKey); l != "" && !k.primary {
		legacy = append(legacy, l+" primary key")
	}
	var warnings []string
	if len(legacy) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: openpgp: accepted legacy algorithms (%s) because the policy allows them for %s (openpgp_legacy)",
			c.name, strings.Join(legacy, ", "), c.req.Series))
	}
	c.signedAt = sig.CreationTime.UTC()
	detail := fmt.Sprintf("good signature made %s by %s", sig.CreationTime.UTC().Format(time.DateOnly), fpr)
	if sig.SigType == packet.SigTypeText {
		detail += "; " + textSignatureNote
		warnings = append(warnings, fmt.Sprintf("%s: openpgp: %s", c.name, textSignatureNote))
	}
	if !k.primary {
		detail += fmt.Sprintf(" (subkey %X)", k.pub.Fingerprint)
	}
	if len(k.notes) > 0 {
		detail += "; " + strings.Join(k.notes, "; ")
	}
	return CheckResult{Kind: KindOpenPGP, Status: StatusPass, Detail: detail,
		Signer: s.String() + " " + fpr}, warnings
}

// legacyFeatures lists what, in the signature and the pinned keys that
// could have made it, the strict configuration rejects.
func (c *openpgpCheck) legacyFeatures() []string {
	var out []string
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	for _, sig := range c.ps.sigs {
		if sig.Hash == crypto.SHA1 {
			add("SHA-1 signature")
		}
		if sig.IssuerKeyId == nil {
			continue
		}
		for _, g := range c.groups {
			for _, e := range g {
				el := openpgp.EntityList{e}
				for _, k := range el.KeysById(*sig.IssuerKeyId) {
					if l := legacyKey(k.PublicKey); l != "" {
						add(l + " key")
					}
					if l := legacyKey(e.PrimaryKey); l != "" && k.PublicKey != e.PrimaryKey {
						add(l + " primary key")
					}
				}
			}
		}
	}
	return out
}

// legacyKey names a key's algorithm if the strict configuration rejects it.
func legacyKey(k *packet.PublicKey) string {
	switch k.PubKeyAlgo {
	case packet.PubKeyAlgoDSA:
		bits, _ := k.BitLength()
		return fmt.Sprintf("DSA-%d", bits)
	case packet.PubKeyAlgoRSA, packet.PubKeyAlgoRSASignOnly:
		if bits, err := k.BitLength(); err == nil && bits < minRSABits {
			return fmt.Sprintf("RSA-%d", bits)
		}
	}
	return ""
}

// errorRank orders failures so that the most telling one is reported when
// several copies of a key all fail.
func errorRank(err error) int {
	var se pgperrors.SignatureError
	var tb *textOfBinaryError
	switch {
	case errors.As(err, &tb):
		return 6 // a good signature, of the text only
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return 5
	case errors.As(err, &se) && !strings.Contains(string(se), "insecure"):
		return 4
	case isWeak(err):
		return 3
	case errors.Is(err, pgperrors.ErrKeyExpired), errors.Is(err, pgperrors.ErrSignatureOlderThanKey):
		return 2
	}
	return 1
}

func isWeak(err error) bool {
	var we pgperrors.WeakAlgorithmError
	var se pgperrors.SignatureError
	return errors.As(err, &we) || errors.As(err, &se) && strings.Contains(string(se), "insecure")
}

// describeFailure words a verification error for the report. The time
// rule's failures (keyvalidity.go) come as go-crypto's sentinels.
func (c *openpgpCheck) describeFailure(err error) string {
	sig := c.ps.sigs[0]
	made := sig.CreationTime.UTC().Format(time.DateOnly)
	want := c.wantSigners()
	var tb *textOfBinaryError
	switch {
	case errors.As(err, &tb):
		return tb.Error()
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return fmt.Sprintf("key %s has been revoked: not a valid signature by %s", c.claimedKey(sig), want)
	case errors.Is(err, pgperrors.ErrKeyExpired):
		return fmt.Sprintf("key %s had expired when the signature was made (%s)", c.claimedKey(sig), made)
	case errors.Is(err, pgperrors.ErrSignatureOlderThanKey):
		return fmt.Sprintf("signature made %s predates key %s: a key cannot sign before it exists", made, c.claimedKey(sig))
	case errors.Is(err, pgperrors.ErrSignatureExpired):
		return fmt.Sprintf("signature made %s has expired or is dated in the future", made)
	case isWeak(err):
		what := strings.Join(c.legacyFeatures(), ", ")
		if what == "" {
			what = strings.ToValidUTF8(pgpText(err), "?")
		}
		if !c.req.OpenPGPLegacy {
			return fmt.Sprintf("signature or key uses legacy algorithms (%s), which the policy does not allow for %s (openpgp_legacy is false)",
				escape(what), c.req.Series)
		}
		return fmt.Sprintf("signature or key uses a rejected algorithm (%s)", escape(what))
	}
	var se pgperrors.SignatureError
	if errors.As(err, &se) {
		return fmt.Sprintf("BAD signature: the file does not match the signature by %s (%s): tampered or corrupt",
			c.claimedKey(sig), escape(pgpText(err)))
	}
	if errors.Is(err, pgperrors.ErrUnknownIssuer) {
		return c.wrongSigner(sig)
	}
	return fmt.Sprintf("signature by key %s could not be verified: %s", c.claimedKey(sig), escape(pgpText(err)))
}

// wantSigners lists the signers the policy expects, with fingerprints.
func (c *openpgpCheck) wantSigners() string {
	var parts []string
	for _, s := range c.req.OpenPGP {
		parts = append(parts, s.Name+" "+strings.Join(s.OpenPGP, "/"))
	}
	if len(parts) == 0 {
		return "nobody (no OpenPGP signer pinned)"
	}
	return strings.Join(parts, " or ")
}

// claimedKey names the key a signature says it was made by (unverified).
func (c *openpgpCheck) claimedKey(sig *packet.Signature) string {
	if sig.IssuerKeyId != nil {
		return fmt.Sprintf("0x%016X", *sig.IssuerKeyId)
	}
	if len(sig.IssuerFingerprint) > 0 {
		return fmt.Sprintf("%X", sig.IssuerFingerprint)
	}
	return "(no issuer)"
}

// claimedSigner names, for the report, who a key in the full keyring with
// the signature's key ID is. It is a claim, not a verified fact.
func (c *openpgpCheck) claimedSigner(sig *packet.Signature) string {
	if sig.IssuerKeyId == nil {
		return ""
	}
	for _, e := range c.keys.EntitiesById(*sig.IssuerKeyId) {
		fpr := fingerprintOf(e)
		if len(sig.IssuerFingerprint) > 0 && !strings.EqualFold(fmt.Sprintf("%X", sig.IssuerFingerprint), fpr) &&
			!slices.ContainsFunc(e.Subkeys, func(s openpgp.Subkey) bool { return bytes.Equal(s.PublicKey.Fingerprint, sig.IssuerFingerprint) }) {
			continue
		}
		if _, id := e.PrimaryIdentity(time.Time{}, nil); id != nil {
			return escape(id.Name) + " " + fpr
		}
		return fpr
	}
	return ""
}

// wrongSigner words a signature made by a key the policy does not pin.
func (c *openpgpCheck) wrongSigner(sig *packet.Signature) string {
	who := ""
	if s := c.claimedSigner(sig); s != "" {
		who = " (" + s + ")"
	}
	return fmt.Sprintf("signed by key %s%s, not by %s", c.claimedKey(sig), who, c.wantSigners())
}

// signerFor returns the pinned signer owning fingerprint fpr.
func (c *openpgpCheck) signerFor(fpr string) (Signer, bool) {
	for _, s := range c.req.OpenPGP {
		if slices.Contains(s.OpenPGP, fpr) {
			return s, true
		}
	}
	return Signer{}, false
}
