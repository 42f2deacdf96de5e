package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pyverify/pyverify/binding"
	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/releasedate"
	"github.com/sigstore/sigstore-go/pkg/root"
)

// A Verifier checks artifacts against a Policy, a Keyring and a Sigstore
// trusted root. Its defaults are the secure ones: what the policy requires
// for an artifact's release and class must verify, whatever sidecar files
// happen to be available. It is safe for concurrent use.
type Verifier struct {
	policy      *Policy
	keys        Keyring
	sigstore    *sigstoreChecker
	require     []Kind
	fingerprint string
	dates       *releasedate.Table // release days, for the release check
	// noContent turns off reading the release from the content; only
	// this package's tests set it, for artifacts whose bytes are not in
	// their name's format.
	noContent bool
}

// An Option changes how a Verifier decides. Options that conflict are
// rejected by NewVerifier.
type Option func(*verifierOptions) error

type verifierOptions struct {
	require    []Kind
	requireSet bool
	dates      *releasedate.Table
}

// WithRequire makes the given signature kinds (KindOpenPGP, KindSigstore)
// mandatory for every artifact, on top of the policy: with both, a release
// that has both kinds of signature passes only if both verify. An artifact
// for which the policy has no signer of a required kind (a Sigstore-only
// release and OpenPGP, or a release older than Sigstore signing and
// Sigstore) then fails.
func WithRequire(kinds ...Kind) Option {
	return func(o *verifierOptions) error {
		if o.requireSet {
			return errors.New("WithRequire given more than once")
		}
		if len(kinds) == 0 {
			return errors.New("WithRequire: no kind given")
		}
		o.requireSet = true
		for _, k := range kinds {
			if k != KindOpenPGP && k != KindSigstore {
				return fmt.Errorf("WithRequire: %q is not a signature kind (want %q or %q)", k, KindOpenPGP, KindSigstore)
			}
			if !slices.Contains(o.require, k) {
				o.require = append(o.require, k)
			}
		}
		return nil
	}
}

// NewVerifier returns a Verifier for policy p, the OpenPGP keys in keys and
// the Sigstore trusted material trustedRoot (see LoadTrustedRoot). Every
// fingerprint the policy pins must be in keys (as Keyring.Has says; a key
// is parsed only when a check needs it, and a key that then fails to parse
// fails that check).
func NewVerifier(p *Policy, keys Keyring, trustedRoot root.TrustedMaterial, opts ...Option) (*Verifier, error) {
	if p == nil {
		return nil, errors.New("verify: no policy")
	}
	if trustedRoot == nil {
		return nil, errors.New("verify: no Sigstore trusted root")
	}
	var o verifierOptions
	for _, opt := range opts {
		if err := opt(&o); err != nil {
			return nil, &TrustError{err}
		}
	}
	for _, s := range p.Signers() {
		for _, f := range s.OpenPGP {
			if !keys.Has(f) {
				return nil, &TrustError{fmt.Errorf("the policy pins key %s for %s, but the keyring does not hold it", f, s.Name)}
			}
		}
	}
	sc, err := newSigstoreChecker(trustedRoot, p.SigstoreRequireSCT())
	if err != nil {
		return nil, &TrustError{err}
	}
	if o.dates == nil {
		o.dates = releasedate.Embedded()
	}
	fp, err := fingerprintOfTrust(p, keys, trustedRoot, o.require)
	if err != nil {
		return nil, &TrustError{err}
	}
	if o.dates != releasedate.Embedded() {
		// The embedded table is part of the build the fingerprint names.
		sum := sha256.Sum256([]byte(fp + " release dates " + o.dates.Digest()))
		fp = hex.EncodeToString(sum[:])
	}
	return &Verifier{policy: p, keys: keys, sigstore: sc, require: o.require, fingerprint: fp, dates: o.dates}, nil
}

// A TrustError reports trust material or options that NewVerifier cannot
// build a verifier from: the policy pins a key the keyring lacks, an option
// is wrong, the trusted root is unusable. Err says what, without the
// package's name, so that a caller can name the file at fault instead.
type TrustError struct{ Err error }

func (e *TrustError) Error() string { return "verify: " + e.Err.Error() }
func (e *TrustError) Unwrap() error { return e.Err }

// A Target describes one artifact to verify and what is known about it.
type Target struct {
	// Name is the file name, such as "Python-3.13.1.tgz".
	Name    string
	Version names.Version
	// Folder is the subfolder of the release's directory the file is in
	// ("amd64" for 3.12.4/amd64/core.msi), or "" for a file of the
	// directory itself or one not in a mirror's tree. The release check
	// judges the name in it (names.CheckReleasePath): python.org names the
	// MSI parts in amd64/, win32/ and arm64/ without a version.
	Folder string
	// Class is the artifact's class; empty means names.ClassOf(Name).
	Class names.Class
	// Size, MD5 and SHA256 are the values the release data lists: 0 or ""
	// when unknown. MD5 and SHA256 are hex.
	Size   int64
	MD5    string
	SHA256 string
	// Signature is the OpenPGP detached signature (.asc).
	Signature Sidecar
	// Bundle is the Sigstore bundle (.sigstore).
	Bundle Sidecar
	// CertSig reports that a detached .crt and .sig exist without a bundle.
	// They cannot be verified offline.
	CertSig bool
	// Sources names where the expected values were read, such as
	// "release page" and "JSON API". When it names two or more, the report
	// has a "crosscheck" check saying whether they agree.
	Sources []string
	// Disagreements lists, one line each, where the sources disagree about
	// the artifact (a different digest, size or sidecar URL, or an artifact
	// only one of them lists). Any disagreement fails the artifact.
	Disagreements []string
	// SHA256Source names where SHA256 was listed ("release page",
	// "JSON API", "release page and JSON API"), for messages; may be empty.
	SHA256Source string
	// ListingHost is the host the release listing (Sources) was read
	// from when it is not python.org; the release check then says the
	// binding of a file with no marker in its content rests on that host.
	ListingHost string
}

// A Sidecar is a signature file of an artifact.
type Sidecar struct {
	// Data is the file's content, or nil when it is not available.
	Data []byte
	// Listed reports whether the release data lists the file; with nil
	// Data it means the server does not have a file it lists.
	Listed bool
	// Path is the local file the signature was looked for next to the
	// artifact (pyverify check), or "" when it was downloaded. With nil
	// Data, the report then says which file is missing.
	Path string
}

// A Check verifies one artifact as its bytes stream through it. Write the
// artifact's bytes exactly once, in order, then call Finish; when the bytes
// could not all be read (a download or a file read failed part-way), call
// Abort instead. One of them must be called, even after a failed write, to
// release the check's goroutines.
type Check struct {
	v        *Verifier
	t        Target
	req      Requirement
	reqErr   error
	pgp      *openpgpCheck
	hasher   *Hasher
	finished bool
	digests  Digests
	head     *binding.Head // reads the release the content names
}

// Start begins the check of t. It fails only for an unusable Target: no
// version, or a name that is not a plain file name.
func (v *Verifier) Start(t Target) (*Check, error) {
	t, err := v.normalize(t)
	if err != nil {
		return nil, err
	}
	c := &Check{v: v, t: t}
	c.req, c.reqErr = v.policy.Lookup(t.Version, t.Class)
	var sinks []io.Writer
	if c.reqErr == nil && t.Signature.Data != nil && len(c.req.OpenPGP) > 0 {
		// A SHA-256 signature is checked from the hasher's SHA-256; any
		// other needs the bytes.
		c.pgp = startOpenPGP(t.Name, t.Signature.Data, v.keys, c.req, pgpShareSHA256)
		if c.pgp.needsBytes() {
			sinks = append(sinks, c.pgp)
		}
	}
	// SHA-256 is always computed: the report carries it (pins, SBOM
	// binding and audit state use it). MD5 only when one is listed; without
	// a listed value the report says "no MD5 listed" either way.
	which := DigestSHA256
	if digestListed(t.MD5) {
		which |= DigestMD5
	}
	format := binding.FormatOf(t.Name)
	if v.noContent {
		format = binding.None
	}
	c.head = binding.NewHead(format)
	if !c.head.Done() {
		sinks = append(sinks, c.head)
	}
	c.hasher = NewHasherOf(which, sinks...)
	return c, nil
}

func (v *Verifier) normalize(t Target) (Target, error) {
	if err := checkName(t.Name); err != nil {
		return t, err
	}
	if t.Version.IsZero() {
		return t, fmt.Errorf("%s: no release version", t.Name)
	}
	if t.Class == "" {
		t.Class = names.ClassOf(t.Name)
	} else if _, ok := names.ParseClass(string(t.Class)); !ok {
		return t, fmt.Errorf("%s: unknown artifact class %q", t.Name, escape(string(t.Class)))
	}
	if t.Size < 0 {
		return t, fmt.Errorf("%s: negative expected size", t.Name)
	}
	return t, nil
}

// checkName accepts plain file names only (see names.CheckFileName).
func checkName(name string) error {
	if name == "" {
		return errors.New("verify: target has no name")
	}
	if err := names.CheckFileName(name); err != nil {
		return fmt.Errorf("%q: not a plain file name", escape(name))
	}
	return nil
}

// Write feeds the next bytes of the artifact to the check.
func (c *Check) Write(p []byte) (int, error) {
	if c.finished {
		return 0, fmt.Errorf("%s: write after Finish", c.t.Name)
	}
	return c.hasher.Write(p)
}

// ReadFrom feeds the rest of r to the check, reading straight into the
// hasher's buffers (io.Copy uses it, saving a copy of every byte).
func (c *Check) ReadFrom(r io.Reader) (int64, error) {
	if c.finished {
		return 0, fmt.Errorf("%s: write after Finish", c.t.Name)
	}
	return c.hasher.ReadFrom(r)
}

// Finish ends the stream and returns the artifact's report, which is always
// filled in. The error is nil if and only if report.OK; otherwise it wraps
// ErrPolicyGap when the policy does not say who signs the artifact (and no
// check failed outright), or is a *VerificationError.
func (c *Check) Finish() (ArtifactReport, error) {
	if c.finished {
		return ArtifactReport{Name: c.t.Name}, fmt.Errorf("%s: Finish called twice", c.t.Name)
	}
	c.finished = true
	d, herr := c.hasher.Close()
	c.digests = d
	var pgp *CheckResult
	var warnings []string
	if c.pgp != nil {
		r, w := c.pgp.finish(c.hasher.sha256State)
		pgp, warnings = &r, w
	}
	if herr != nil {
		// The Hasher reports only errors of its sinks, and the OpenPGP
		// sink never fails; keep the report honest if that ever changes.
		c.digests = Digests{}
		err := fmt.Errorf("%s: hashing: %w", c.t.Name, herr)
		return c.notRead(err), err
	}
	m := c.head.Marker()
	ev := releaseEvidence{marker: &m}
	if c.pgp != nil && !c.pgp.signedAt.IsZero() {
		ev.signed = append(ev.signed, signedAt{KindOpenPGP, c.pgp.signedAt})
	}
	rep, err := c.v.evaluate(c.t, c.req, c.reqErr, &d, d.SHA256, pgp, warnings, ev)
	rep.SHA256 = hex.EncodeToString(d.SHA256)
	return rep, err
}

// Abort ends a check whose bytes could not all be read (a download or a
// file read that failed part-way, cause), in place of Finish. Nothing
// computed from the bytes read so far is a verdict: the report's size,
// digest and signature checks are skipped ("not checked: the file could
// not be read to the end", ReasonNotRead), its Error is cause, and it is
// not OK. What does not depend on the bytes is reported as usual: the
// cross-check of the release data and a policy gap.
func (c *Check) Abort(cause error) ArtifactReport {
	if c.finished {
		return ArtifactReport{Name: c.t.Name, Version: c.t.Version.String(), Class: string(c.t.Class), Error: cause.Error()}
	}
	c.finished = true
	c.hasher.Close()
	if c.pgp != nil {
		c.pgp.abort()
	}
	return c.notRead(cause)
}

// notRead is the report of an artifact whose bytes could not be read.
func (c *Check) notRead(cause error) ArtifactReport {
	rep := ArtifactReport{Name: c.t.Name, Version: c.t.Version.String(), Class: string(c.t.Class), Error: cause.Error()}
	for _, k := range []Kind{KindSize, KindMD5, KindSHA256} {
		rep.Checks = append(rep.Checks, notReadCheck(k))
	}
	if cc, ok := CrossCheckResult(c.t); ok {
		rep.Checks = append(rep.Checks, cc)
	}
	if gap := policyGapOf(c.t, c.req, c.reqErr); gap != nil {
		rep.Checks = append(rep.Checks, policyGapCheck(gap))
	} else {
		rep.Checks = append(rep.Checks, notReadCheck(KindOpenPGP), notReadCheck(KindSigstore), notReadCheck(KindRelease))
	}
	return rep
}

func notReadCheck(k Kind) CheckResult {
	return CheckResult{Kind: k, Status: StatusSkipped, Detail: "not checked: the file could not be read to the end", Reason: ReasonNotRead}
}

// Digests returns the size and digests of the bytes written, once Finish
// has been called (before, the zero Digests). Callers that record what they
// verified (pyverify audit's state file) read them here instead of hashing
// the bytes a second time.
func (c *Check) Digests() Digests { return c.digests }

// VerifyReader verifies the artifact whose bytes r yields. When reading r
// fails, the report is Check.Abort's and the error wraps the read error.
func (v *Verifier) VerifyReader(t Target, r io.Reader) (ArtifactReport, error) {
	c, err := v.Start(t)
	if err != nil {
		return ArtifactReport{Name: t.Name, Version: t.Version.String(), Class: string(t.Class)}, err
	}
	if _, err := io.Copy(c, r); err != nil {
		err = fmt.Errorf("%s: reading: %w", c.t.Name, err)
		return c.Abort(err), err
	}
	return c.Finish()
}

// VerifyDigest verifies an artifact known only by its SHA-256, as cosign
// --digest does: a Sigstore bundle is checked against the digest, and the
// listed SHA-256 compared with it. Size and MD5 cannot be checked, nor can
// an OpenPGP signature, which covers the bytes: when an OpenPGP signature is
// what the policy requires, the artifact fails.
func (v *Verifier) VerifyDigest(t Target, sha256 []byte) (ArtifactReport, error) {
	t, err := v.normalize(t)
	if err != nil {
		return ArtifactReport{Name: t.Name, Version: t.Version.String(), Class: string(t.Class)}, err
	}
	if len(sha256) != 32 {
		return ArtifactReport{Name: t.Name, Version: t.Version.String(), Class: string(t.Class)},
			fmt.Errorf("%s: want a 32-byte SHA-256 digest, got %d bytes", t.Name, len(sha256))
	}
	req, reqErr := v.policy.Lookup(t.Version, t.Class)
	rep, err := v.evaluate(t, req, reqErr, nil, sha256, nil, nil, releaseEvidence{})
	rep.SHA256 = hex.EncodeToString(sha256)
	return rep, err
}

// evaluate applies the rules to what was computed. d is nil when only the
// digest is known; pgp is the OpenPGP outcome when the check ran. The steps:
// digests, the cross-check of the release data's sources, the policy
// lookup's outcome, the signatures, then the verdict.
func (v *Verifier) evaluate(t Target, req Requirement, reqErr error, d *Digests, sha256 []byte, pgp *CheckResult, warnings []string, ev releaseEvidence) (ArtifactReport, error) {
	rep := ArtifactReport{Name: t.Name, Version: t.Version.String(), Class: string(t.Class), Warnings: warnings}
	rep.Checks = append(rep.Checks, digestChecks(t, d, sha256)...)
	if c, ok := CrossCheckResult(t); ok {
		rep.Checks = append(rep.Checks, c)
	}
	if gap := policyGapOf(t, req, reqErr); gap != nil {
		rep.Checks = append(rep.Checks, policyGapCheck(gap))
	} else {
		pgpRes, sigRes, sigAt := v.signatureChecks(t, req, sha256, d != nil, pgp)
		rep.Checks = append(rep.Checks, pgpRes, sigRes)
		if pgpRes.Status != StatusPass {
			ev.signed = nil // only signatures that verified say when the file was signed
		}
		if sigRes.Status == StatusPass && !sigAt.IsZero() {
			ev.signed = append(ev.signed, signedAt{KindSigstore, sigAt})
		}
		ev.authentic = pgpRes.Status == StatusPass || sigRes.Status == StatusPass
		rep.Checks = append(rep.Checks, v.releaseCheck(t, ev))
	}
	rep.Decide()
	return rep, rep.Err()
}

// policyGapOf returns why the policy cannot judge t, or nil: the lookup
// failed (reqErr), or no signature is expected for t and no bundle by the
// series' identity came with it, so there is nothing to verify against.
func policyGapOf(t Target, req Requirement, reqErr error) error {
	if reqErr == nil && req.noneExpected != nil && t.Bundle.Data == nil {
		return req.noneExpected
	}
	return reqErr
}

// policyGapCheck is the report's "policy" check of a policy gap.
func policyGapCheck(gap error) CheckResult {
	return CheckResult{Kind: KindPolicy, Status: StatusFail, Required: true, Detail: gap.Error(), Reason: ReasonPolicyGap}
}

// digestChecks compares the size and checksums with the listed values.
func digestChecks(t Target, d *Digests, sha256 []byte) []CheckResult {
	size := CheckResult{Kind: KindSize}
	switch {
	case d == nil && t.Size > 0:
		size.Status, size.Detail = StatusSkipped, "not checked: verified by digest, without the file's bytes"
	case d == nil:
		size.Status, size.Detail = StatusMissing, "no size listed"
	case t.Size <= 0:
		size.Status, size.Detail = StatusMissing, fmt.Sprintf("no size listed (read %d bytes)", d.Size)
	case d.Size == t.Size:
		size.Status, size.Required, size.Detail = StatusPass, true, fmt.Sprintf("%d bytes, as listed", d.Size)
	default:
		size.Status, size.Required, size.Detail = StatusFail, true, fmt.Sprintf("got %d bytes, want %d", d.Size, t.Size)
		size.Reason = ReasonSizeMismatch
	}

	var md5sum []byte
	if d != nil {
		md5sum = d.MD5
	}
	md5 := compareDigest(KindMD5, "MD5", t.MD5, md5sum, d != nil)
	if md5.Status == StatusPass {
		md5.Detail += " (integrity only: MD5 proves nothing about who made the file)"
	}
	sha := compareDigest(KindSHA256, "SHA-256", t.SHA256, sha256, true)
	if sha.Reason == ReasonDigestMismatch {
		sha.Detail = fmt.Sprintf("got %x, want %s", sha256, listedSHA256(t))
		if signed, ok := bundleSignedDigest(t.Bundle.Data); ok {
			sha.Detail += fmt.Sprintf("; the bundle signs %x", signed)
		}
	}
	return []CheckResult{size, md5, sha}
}

// digestListed reports whether the release data lists a digest: neither
// blank nor "n/a".
func digestListed(want string) bool {
	want = strings.TrimSpace(want)
	return want != "" && !strings.EqualFold(want, "n/a")
}

// compareDigest compares a listed hex digest with a computed one. have
// reports whether the computed value is known.
func compareDigest(kind Kind, name, want string, got []byte, have bool) CheckResult {
	r := CheckResult{Kind: kind}
	want = strings.TrimSpace(want)
	wantLen := 16 // bytes of an MD5 digest
	if kind == KindSHA256 {
		wantLen = 32
	}
	switch {
	case !digestListed(want):
		r.Status, r.Detail = StatusMissing, "no "+name+" listed"
		return r
	case !have:
		r.Status, r.Detail = StatusSkipped, "not checked: verified by digest, without the file's bytes"
		return r
	}
	r.Required = true
	wb, err := hex.DecodeString(want)
	if err != nil || len(wb) != wantLen {
		r.Status, r.Detail = StatusFail, fmt.Sprintf("the listed %s %q is not %d hex digits", name, escape(want), 2*wantLen)
		r.Reason = ReasonBadListing
		return r
	}
	if bytes.Equal(wb, got) {
		r.Status, r.Detail = StatusPass, fmt.Sprintf("%x, as listed", got)
	} else {
		r.Status, r.Detail = StatusFail, fmt.Sprintf("got %x, want %s", got, strings.ToLower(want))
		r.Reason = ReasonDigestMismatch
	}
	return r
}

// sidecarAbsent words a missing signature file.
func sidecarAbsent(what string, s Sidecar) string {
	switch name := filepath.Base(s.Path); {
	case s.Path != "" && s.Listed:
		return "no " + name + " next to the file, though the release lists one"
	case s.Path != "":
		return "no " + name + " next to the file"
	}
	if s.Listed {
		return "no " + what + ": listed on the page but the server does not have it"
	}
	return "no " + what + " (not listed)"
}

// signatureChecks decides the OpenPGP and Sigstore checks: each signature
// is checked as it stands, then the policy's rules say which of them must
// pass. haveBytes is false for VerifyDigest; pgp is the OpenPGP outcome
// when it ran.
func (v *Verifier) signatureChecks(t Target, req Requirement, sha256 []byte, haveBytes bool, pgp *CheckResult) (CheckResult, CheckResult, time.Time) {
	op := openpgpResult(t, req, haveBytes, pgp)
	sg := v.sigstoreResult(t, req, sha256)
	// What the report needs to tell an absent signature nothing needed
	// from one whose absence matters.
	op.Accepted = len(req.OpenPGP) > 0 && !req.SigstoreOnly
	sg.Accepted = req.Sigstore != nil
	v.applyRules(t, req, &op, &sg)
	signatureReason(&op)
	signatureReason(&sg)
	return op.CheckResult, sg.CheckResult, sg.at
}

// A signatureResult is a signature check as it stands, before the rules
// decide whether it is required. present reports that a signature was
// actually checked.
type signatureResult struct {
	CheckResult
	present bool
	at      time.Time // when a verified signature was made
}

// openpgpResult is the OpenPGP check as it stands.
func openpgpResult(t Target, req Requirement, haveBytes bool, pgp *CheckResult) signatureResult {
	op := signatureResult{CheckResult: CheckResult{Kind: KindOpenPGP}}
	switch {
	case t.Signature.Data == nil:
		op.Status, op.Detail = StatusMissing, sidecarAbsent(".asc signature", t.Signature)
	case req.SigstoreOnly:
		op.Status, op.Detail = StatusSkipped, fmt.Sprintf("ignored: %s is Sigstore-only (PEP 761), so OpenPGP signatures are not part of its policy", req.Series)
	case len(req.OpenPGP) == 0:
		op.Status, op.Detail = StatusSkipped, fmt.Sprintf("not checked: no OpenPGP signer is pinned for %s files of %s", t.Class, req.Series)
	case !haveBytes:
		op.Status, op.Detail = StatusSkipped, "not checked: an OpenPGP signature covers the file's bytes, and only its digest is known"
	case pgp != nil:
		op.present, op.CheckResult = true, *pgp
	default:
		op.present = true
		op.Status, op.Detail = StatusFail, "internal error: the OpenPGP check did not run"
	}
	return op
}

// sigstoreResult is the Sigstore check as it stands: a bundle is checked
// against the series' identity whenever the policy names one, whether or
// not the release is one that python.org was expected to sign with
// Sigstore.
func (v *Verifier) sigstoreResult(t Target, req Requirement, sha256 []byte) signatureResult {
	sg := signatureResult{CheckResult: CheckResult{Kind: KindSigstore}}
	switch {
	case t.Bundle.Data == nil && t.CertSig:
		sg.Status, sg.Detail = StatusSkipped, "only a detached .crt and .sig were published, without a bundle: they cannot be verified offline"
	case t.Bundle.Data == nil:
		sg.Status, sg.Detail = StatusMissing, sidecarAbsent(".sigstore bundle", t.Bundle)
	case req.Sigstore == nil:
		sg.Status, sg.Detail = StatusSkipped, fmt.Sprintf("not counted: the policy names no Sigstore identity for series %s, so a bundle is not trust for it", req.Series)
	default:
		sg.present = true
		signer, at, err := v.sigstore.checkAt(t.Bundle.Data, sha256, req.Sigstore.SigstoreIdentity, req.Sigstore.SigstoreIssuer)
		sg.at = at
		sg.Signer = signer
		switch {
		case errors.Is(err, errSigstoreDigestMismatch):
			sg.Status, sg.Detail, sg.Reason = StatusFail, digestMismatch(t, sha256), ReasonDigestMismatch
		case err != nil:
			sg.Status, sg.Detail = StatusFail, sigstoreDetail(err)
		case req.SigstoreExpected:
			sg.Status, sg.Detail = StatusPass, "bundle verified: the signed SHA-256 is the file's"
		default:
			sg.Status, sg.Detail = StatusPass, fmt.Sprintf("bundle verified: the signed SHA-256 is the file's (signed with Sigstore although %s predates Sigstore signing of %s, first: %s)",
				t.Version, req.Series, req.SigstoreSince)
		}
	}
	return sg
}

// applyRules marks which signature checks the policy and WithRequire make
// mandatory, per era of the artifact's release.
func (v *Verifier) applyRules(t Target, req Requirement, op, sg *signatureResult) {
	wantPGP := slices.Contains(v.require, KindOpenPGP)
	wantSig := slices.Contains(v.require, KindSigstore)
	switch {
	case req.SigstoreOnly:
		requireKind(&sg.CheckResult, fmt.Sprintf("and %s is Sigstore-only (PEP 761)", req.Series))
		if wantPGP {
			demandAbsent(&op.CheckResult, fmt.Sprintf("%s is Sigstore-only (PEP 761): it has no OpenPGP signatures", req.Series))
		}
	case req.Sigstore != nil && len(req.OpenPGP) > 0:
		eitherRules(t, req, op, sg, wantPGP, wantSig)
	case len(req.OpenPGP) > 0:
		// The series names no Sigstore identity: OpenPGP only.
		requireKind(&op.CheckResult, "")
		if wantSig {
			demandAbsent(&sg.CheckResult, fmt.Sprintf("the policy names no Sigstore identity for series %s", req.Series))
		}
	default: // Sigstore only, by class: no OpenPGP signer for it.
		requireKind(&sg.CheckResult, "")
		if wantPGP {
			demandAbsent(&op.CheckResult, fmt.Sprintf("no OpenPGP signer is pinned for %s files of %s", t.Class, req.Series))
		}
	}
}

// eitherRules applies the rules of a series with both kinds of signer:
// every signature present must verify, and at least one must. When neither
// is present, what the release was expected to carry is required: either
// kind from the first Sigstore-signed release on, OpenPGP before it.
func eitherRules(t Target, req Requirement, op, sg *signatureResult, wantPGP, wantSig bool) {
	if op.present || wantPGP {
		requireKind(&op.CheckResult, "")
	}
	if sg.present || wantSig {
		why := ""
		if !sg.present && !req.SigstoreExpected {
			why = fmt.Sprintf("and required by the verifier, although %s predates Sigstore signing of %s (first: %s)", t.Version, req.Series, req.SigstoreSince)
		}
		requireKind(&sg.CheckResult, why)
	}
	if op.Required || sg.Required {
		return
	}
	if !req.SigstoreExpected {
		requireKind(&op.CheckResult, "")
		return
	}
	why := "and a release of this era needs a valid OpenPGP or Sigstore signature"
	requireKind(&op.CheckResult, why)
	requireKind(&sg.CheckResult, why)
}

// requireKind makes r required, saying why its absence matters.
func requireKind(r *CheckResult, why string) {
	r.Required = true
	if r.Status == StatusMissing || r.Status == StatusSkipped {
		// A check that ran and failed speaks for itself.
		if r.Status == StatusSkipped {
			r.Status = StatusFail
		}
		if why != "" {
			r.Detail += ", " + why
		}
	}
}

// demandAbsent fails a check that WithRequire demands but the policy has no
// signer for.
func demandAbsent(r *CheckResult, why string) {
	r.Required, r.Status = true, StatusFail
	r.Detail = "required by the verifier, but " + why
}
