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
// RSA keys from 1024 bits, as old python.org releases need. MD5 and
// RIPEMD-160 stay rejected.
func legacyOpenPGPConfig() *packet.Config {
	return &packet.Config{
		MinRSABits:                  1024,
		RejectPublicKeyAlgorithms:   map[packet.PublicKeyAlgorithm]bool{packet.PubKeyAlgoElGamal: true},
		RejectHashAlgorithms:        map[crypto.Hash]bool{crypto.MD5: true, crypto.RIPEMD160: true},
		RejectMessageHashAlgorithms: map[crypto.Hash]bool{crypto.MD5: true, crypto.RIPEMD160: true},
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
	msg := err.Error()
	names := map[string]string{
		"hash function 1": "the MD5 hash", "hash function 3": "the RIPEMD-160 hash",
		"hash function 2": "the SHA-1 hash",
	}
	for k, v := range names {
		if strings.HasSuffix(msg, k) {
			return v
		}
	}
	return strings.TrimPrefix(msg, "openpgp: ")
}

// An openpgpCheck verifies one detached signature of an artifact. Create it
// with startOpenPGP, feed it the artifact's bytes with Write if needsBytes
// says so (Write never returns an error, so it never stops a shared
// stream), then call finish (or, when the bytes could not all be read,
// abort) exactly once.
//
// An OpenPGP signature (version 4, of a binary document) is made over a
// hash of the file's bytes followed by a suffix from the signature packet.
// Such a check hashes the bytes itself, once per hash algorithm its
// signatures use, and at finish hands go-crypto a copy of each hash's state
// to add the suffix to and verify, so that several copies of a key cost no
// extra hashing and no goroutine. When its signatures use SHA-256, as
// python.org's signatures made with some keys do, and the caller computes
// SHA-256 anyway, the check can share it (pgpShareSHA256): it then needs no
// bytes at all, and finish is given copies of the caller's SHA-256 state.
// Other signatures (text documents, v5 and v6 packets) go to go-crypto's
// own streaming reader through a pipe, one per copy of the key.
type openpgpCheck struct {
	name    string
	req     Requirement
	keys    openpgp.EntityList // this check's own copies (see startOpenPGP)
	ps      *parsedSignature
	decided *CheckResult // set when the outcome is known before any byte
	// hashed: the signatures are checked at finish from hash states:
	// those of hashes, and the caller's SHA-256 when shareSHA256.
	hashed      bool
	shareSHA256 bool
	hashes      map[crypto.Hash]hash.Hash
	entities    openpgp.EntityList // the pinned keys the signature names
	cfg         *packet.Config
	runs        []*openpgpRun
	// text, when every signature is a text-mode one, canonicalizes the
	// bytes as GnuPG does before the runs read them (openpgp_text.go).
	text *gpgText
}

// How an openpgpCheck hashes the bytes, at best: the check falls back to
// pgpPipe for signatures that cannot be checked from a hash state, and to
// pgpOwnHashes when SHA-256 states cannot be copied on this build.
type pgpHashing int

const (
	pgpPipe        pgpHashing = iota // go-crypto reads the bytes from a pipe
	pgpOwnHashes                     // the check hashes the bytes itself
	pgpShareSHA256                   // and takes SHA-256 from the caller
)

// An openpgpRun checks the signature with one pinned key (one copy of it:
// a key may appear more than once, as it was at different times).
type openpgpRun struct {
	entity *openpgp.Entity
	pw     *io.PipeWriter // streaming only
	broken bool
	done   chan openpgpOutcome
}

type openpgpOutcome struct {
	md  *openpgp.MessageDetails
	err error
}

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
	// in the report). go-crypto writes to an Entity while verifying with
	// it, so concurrent checks must not share one.
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
	var pinned openpgp.EntityList
	for _, e := range c.keys {
		if slices.Contains(pinnedFprs, fingerprintOf(e)) {
			pinned = append(pinned, e)
		}
	}
	var entities openpgp.EntityList
	for _, sig := range ps.sigs {
		if sig.IssuerKeyId == nil {
			continue
		}
		for _, e := range pinned.EntitiesById(*sig.IssuerKeyId) {
			if !slices.Contains(entities, e) {
				entities = append(entities, e)
			}
		}
	}
	if len(entities) == 0 {
		c.decide(StatusFail, c.wrongSigner(ps.sigs[0]), c.claimedSigner(ps.sigs[0]))
		return c
	}
	cfg := strictOpenPGPConfig()
	if req.OpenPGPLegacy {
		cfg = legacyOpenPGPConfig()
	}
	c.entities, c.cfg = entities, cfg
	if hashing >= pgpOwnHashes && !slices.ContainsFunc(ps.sigs, func(sig *packet.Signature) bool { return !hashableSignature(sig) }) {
		c.hashed = true
		c.shareSHA256 = hashing == pgpShareSHA256 && canShareSHA256() &&
			slices.ContainsFunc(ps.sigs, func(sig *packet.Signature) bool { return sig.Hash == crypto.SHA256 })
		c.hashes = map[crypto.Hash]hash.Hash{}
		for _, sig := range ps.sigs {
			if _, ok := c.hashes[sig.Hash]; !ok && !(sig.Hash == crypto.SHA256 && c.shareSHA256) {
				c.hashes[sig.Hash] = sig.Hash.New()
			}
		}
		return c
	}
	if !slices.ContainsFunc(ps.sigs, func(sig *packet.Signature) bool { return sig.SigType != packet.SigTypeText }) {
		c.text = &gpgText{}
	}
	for _, e := range entities {
		run := &openpgpRun{entity: e, done: make(chan openpgpOutcome, 1)}
		pr, pw := io.Pipe()
		run.pw = pw
		md, err := openpgp.VerifyDetachedSignatureReader(openpgp.EntityList{e}, pr, bytes.NewReader(ps.body), cfg)
		if err != nil {
			run.broken = true
			pr.CloseWithError(err)
			run.done <- openpgpOutcome{err: err}
		} else {
			go func() {
				_, err := io.Copy(io.Discard, md.UnverifiedBody)
				// Unblock the writer whatever happened: later writes fail
				// and the run is marked broken, never waited on.
				pr.CloseWithError(errRunEnded)
				run.done <- openpgpOutcome{md: md, err: err}
			}()
		}
		c.runs = append(c.runs, run)
	}
	return c
}

var errRunEnded = errors.New("openpgp: verification ended")

// verifyHashed checks the signature with key e, as go-crypto checks a
// detached signature, except that each signature's hash is a copy of the
// state of a hash that has already read the file's bytes, instead of a
// fresh hash fed by go-crypto's reader: go-crypto then adds the signature's
// suffix, picks the signing key valid at the signature's time, checks its
// expiry, revocation and algorithms, and verifies the signature, exactly as
// on the streaming path. sha256 gives copies of the caller's SHA-256 state.
func (c *openpgpCheck) verifyHashed(e *openpgp.Entity, sha256 func() (hash.Hash, error)) openpgpOutcome {
	md, err := openpgp.VerifyDetachedSignatureReader(openpgp.EntityList{e}, bytes.NewReader(nil), bytes.NewReader(c.ps.body), c.cfg)
	if err != nil {
		return openpgpOutcome{err: err}
	}
	for _, cand := range md.SignatureCandidates {
		if cand.SignatureError != nil {
			continue // go-crypto will not use its hash
		}
		if cand.SigType != packet.SigTypeBinary || cand.Salt != nil || cand.Hash != cand.WrappedHash {
			// startOpenPGP lets only such signatures come here.
			return openpgpOutcome{err: errors.New("internal error: a signature that needs its own hashing of the bytes reached a check from hash states")}
		}
		var h hash.Hash
		switch own := c.hashes[cand.HashAlgorithm]; {
		case own != nil:
			h, err = cloneHash(own, cand.HashAlgorithm.New)
		case cand.HashAlgorithm == crypto.SHA256 && c.shareSHA256 && sha256 != nil:
			h, err = sha256()
		default:
			err = fmt.Errorf("internal error: no %v hash of the file to check the signature with", cand.HashAlgorithm)
		}
		if err != nil {
			return openpgpOutcome{err: err}
		}
		cand.Hash, cand.WrappedHash = h, h
	}
	// The signed "file" is empty: its bytes are already in the hashes. At
	// its end go-crypto verifies every candidate.
	_, err = io.Copy(io.Discard, md.UnverifiedBody)
	return openpgpOutcome{md: md, err: err}
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
	return c.decided == nil && (!c.hashed || len(c.hashes) > 0)
}

// Write feeds the artifact's bytes to the check's hashes, or to every run
// of a streaming check. It always reports success: a run that ended early
// is skipped, and its outcome is read by finish.
func (c *openpgpCheck) Write(p []byte) (int, error) {
	for _, h := range c.hashes {
		h.Write(p)
	}
	n := len(p)
	if c.text != nil {
		p = c.text.canon(p)
	}
	for _, r := range c.runs {
		if r.broken || r.pw == nil {
			continue
		}
		if _, err := r.pw.Write(p); err != nil {
			r.broken = true
		}
	}
	return n, nil
}

// finish ends the check and returns the outcome and any warnings. The
// result's Required field is left for the caller. sha256 is used by a check
// that shares the caller's SHA-256 only: it returns a fresh copy of the
// SHA-256 state after the artifact's last byte each time it is called.
func (c *openpgpCheck) finish(sha256 func() (hash.Hash, error)) (CheckResult, []string) {
	if c.hashed && c.decided == nil {
		for _, e := range c.entities {
			run := &openpgpRun{entity: e, done: make(chan openpgpOutcome, 1)}
			run.done <- c.verifyHashed(e, sha256)
			c.runs = append(c.runs, run)
		}
	}
	outcomes := c.endRuns()
	if c.decided != nil {
		return *c.decided, nil
	}
	var best error
	for i, o := range outcomes {
		err := o.err
		if err == nil {
			err = o.md.SignatureError
		}
		if err == nil && (o.md.Signature == nil || o.md.SignedBy == nil) {
			err = errors.New("no signature verified")
		}
		if err == nil {
			fpr := fingerprintOf(o.md.SignedBy.Entity)
			signer, ok := c.signerFor(fpr)
			if !ok || fingerprintOf(c.runs[i].entity) != fpr {
				// Cannot happen: only pinned keys are in the run's keyring.
				err = fmt.Errorf("verified with key %s, which is not pinned", fpr)
			} else {
				return c.pass(o.md, signer, fpr)
			}
		}
		if best == nil || errorRank(err) > errorRank(best) {
			best = err
		}
	}
	res := CheckResult{Kind: KindOpenPGP, Status: StatusFail, Detail: c.describeFailure(best)}
	if c.text != nil && !errors.Is(best, pgperrors.ErrUnknownIssuer) {
		res.Detail += " (a text-mode signature, gpg --textmode: checked over the file's text with CRLF line endings)"
	}
	if errors.Is(best, pgperrors.ErrUnknownIssuer) {
		res.Signer = c.claimedSigner(c.ps.sigs[0])
	}
	return res, nil
}

// abort ends a check whose bytes could not all be read, in place of
// finish: it releases the streaming runs' goroutines and verifies nothing.
func (c *openpgpCheck) abort() { c.endRuns() }

// endRuns closes the runs' pipes and waits for their outcomes.
func (c *openpgpCheck) endRuns() []openpgpOutcome {
	for _, r := range c.runs {
		if r.pw != nil {
			r.pw.Close()
		}
	}
	outcomes := make([]openpgpOutcome, len(c.runs))
	for i, r := range c.runs {
		outcomes[i] = <-r.done
	}
	return outcomes
}

// pass builds the result of a good signature, with warnings for the legacy
// algorithms it needed.
func (c *openpgpCheck) pass(md *openpgp.MessageDetails, s Signer, fpr string) (CheckResult, []string) {
	sig := md.Signature
	var legacy []string
	if sig.Hash == crypto.SHA1 {
		legacy = append(legacy, "SHA-1 signature")
	}
	if l := legacyKey(md.SignedBy.PublicKey); l != "" {
		legacy = append(legacy, l+" key")
	}
	if l := legacyKey(md.SignedBy.Entity.PrimaryKey); l != "" && md.SignedBy.PublicKey != md.SignedBy.Entity.PrimaryKey {
		legacy = append(legacy, l+" primary key")
	}
	var warnings []string
	if len(legacy) > 0 {
		warnings = append(warnings, fmt.Sprintf("%s: openpgp: accepted legacy algorithms (%s) because the policy allows them for %s (openpgp_legacy)",
			c.name, strings.Join(legacy, ", "), c.req.Series))
	}
	detail := fmt.Sprintf("good signature made %s by %s", sig.CreationTime.UTC().Format(time.DateOnly), fpr)
	if !md.SignedBy.IsPrimary() {
		detail += fmt.Sprintf(" (subkey %X)", md.SignedBy.PublicKey.Fingerprint)
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
		for _, r := range c.runs {
			el := openpgp.EntityList{r.entity}
			for _, k := range el.KeysById(*sig.IssuerKeyId) {
				if l := legacyKey(k.PublicKey); l != "" {
					add(l + " key")
				}
				if l := legacyKey(r.entity.PrimaryKey); l != "" && k.PublicKey != r.entity.PrimaryKey {
					add(l + " primary key")
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
	switch {
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return 5
	case errors.As(err, &se) && !strings.Contains(string(se), "insecure"):
		return 4
	case isWeak(err):
		return 3
	case errors.Is(err, pgperrors.ErrKeyExpired):
		return 2
	}
	return 1
}

func isWeak(err error) bool {
	var we pgperrors.WeakAlgorithmError
	var se pgperrors.SignatureError
	return errors.As(err, &we) || errors.As(err, &se) && strings.Contains(string(se), "insecure")
}

// describeFailure words a verification error for the report.
func (c *openpgpCheck) describeFailure(err error) string {
	sig := c.ps.sigs[0]
	made := sig.CreationTime.UTC().Format(time.DateOnly)
	want := c.wantSigners()
	switch {
	case errors.Is(err, pgperrors.ErrKeyRevoked):
		return fmt.Sprintf("key %s has been revoked: not a valid signature by %s", c.claimedKey(sig), want)
	case errors.Is(err, pgperrors.ErrKeyExpired):
		return fmt.Sprintf("key %s had expired when the signature was made (%s)", c.claimedKey(sig), made)
	case errors.Is(err, pgperrors.ErrSignatureExpired):
		return fmt.Sprintf("signature made %s has expired or is dated in the future", made)
	case isWeak(err):
		what := strings.Join(c.legacyFeatures(), ", ")
		if what == "" {
			what = strings.ToValidUTF8(strings.TrimPrefix(err.Error(), "openpgp: "), "?")
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
			c.claimedKey(sig), escape(strings.TrimPrefix(err.Error(), "openpgp: ")))
	}
	if errors.Is(err, pgperrors.ErrUnknownIssuer) {
		return c.wrongSigner(sig)
	}
	return fmt.Sprintf("signature by key %s could not be verified: %s", c.claimedKey(sig), escape(strings.TrimPrefix(err.Error(), "openpgp: ")))
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
