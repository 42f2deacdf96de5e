package verify

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pyverify/pyverify/internal/safetext"
	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/fulcio/certificate"
	"github.com/sigstore/sigstore-go/pkg/root"
	sgverify "github.com/sigstore/sigstore-go/pkg/verify"
	"github.com/sigstore/sigstore/pkg/signature"
	"github.com/sigstore/sigstore/pkg/signature/options"
	"google.golang.org/protobuf/encoding/protojson"
)

const (
	// maxSigstoreBundleSize caps a bundle's JSON. python.org's are about 5 KB.
	maxSigstoreBundleSize = 1 << 20
	// maxTrustedRootSize caps a trusted_root.json. The public-good one is
	// about 7 KB.
	maxTrustedRootSize = 4 << 20
)

// The bundle media types python.org has published.
const (
	sigstoreMediaTypeV01  = "application/vnd.dev.sigstore.bundle+json;version=0.1"
	sigstoreMediaTypeV02  = "application/vnd.dev.sigstore.bundle+json;version=0.2"
	sigstoreMediaTypeV03  = "application/vnd.dev.sigstore.bundle+json;version=0.3"
	sigstoreMediaTypeV03b = "application/vnd.dev.sigstore.bundle.v0.3+json"
)

// LoadTrustedRoot parses a Sigstore trusted root (the trusted_root.json a
// Sigstore instance distributes through TUF). It does no network I/O: the
// caller provides the bytes, so verification works offline.
func LoadTrustedRoot(data []byte) (root.TrustedMaterial, error) {
	switch {
	case len(data) == 0:
		return nil, errors.New("sigstore: trusted root: empty")
	case len(data) > maxTrustedRootSize:
		return nil, fmt.Errorf("sigstore: trusted root: too large (%d bytes, limit %d)", len(data), maxTrustedRootSize)
	}
	tr, err := root.NewTrustedRootFromJSON(data)
	if err != nil {
		msg := strings.TrimSpace(strings.TrimPrefix(protoText(err), "failed to proto-json unmarshal trusted root: "))
		if strings.HasSuffix(msg, "media type:") {
			msg = "no mediaType" // sigstore-go names the empty media type as ""
		}
		msg = trustedRootText(data, msg)
		return nil, fmt.Errorf("sigstore: trusted root: %s", msg)
	}
	if len(tr.FulcioCertificateAuthorities()) == 0 {
		return nil, errors.New("sigstore: trusted root: no certificate authorities")
	}
	if len(tr.RekorLogs()) == 0 {
		return nil, errors.New("sigstore: trusted root: no transparency logs")
	}
	return tr, nil
}

// A NotBundleError reports a .sigstore file that is not a Sigstore bundle
// at all (empty, not a JSON object, or without a media type), as opposed to
// a bundle that does not verify. Callers can name the file at fault.
type NotBundleError struct {
	// Why says what the data is instead, such as "the file is empty".
	Why string
}

// Error says why the file is not a Sigstore bundle.
func (e *NotBundleError) Error() string { return "sigstore: " + e.detail() }

func (e *NotBundleError) detail() string {
	return "the .sigstore file is not a Sigstore bundle (" + e.Why + ")"
}

// A sigstoreDetailer is a Sigstore error that can say what went wrong
// without its "sigstore: " subject, for the sigstore check's Detail (the
// report line names the check already).
type sigstoreDetailer interface{ detail() string }

// sigstoreDetail is the Detail of a sigstore check that failed with err.
func sigstoreDetail(err error) string {
	var d sigstoreDetailer
	if errors.As(err, &d) {
		return d.detail()
	}
	return err.Error()
}

// A sigstoreError is any other failure of the Sigstore check.
type sigstoreError string

func (e sigstoreError) Error() string  { return "sigstore: " + string(e) }
func (e sigstoreError) detail() string { return string(e) }

// CheckBundleFormat reports whether data is a Sigstore bundle of a media
// type python.org has published, without verifying it: nil, a
// *NotBundleError, or an error saying how the bundle is malformed. It lets a
// caller name the file at fault before verification.
func CheckBundleFormat(data []byte) error {
	_, err := parseSigstoreBundle(data)
	return err
}

// protoText is the text of a protobuf error, with the non-breaking spaces
// the protobuf module puts in its messages (to discourage matching them)
// made plain spaces, cleaned for printing.
func protoText(err error) string {
	return cleanSigstoreText(strings.ReplaceAll(err.Error(), "\u00a0", " "))
}

// errSigstoreDigestMismatch: the bundle signs a digest other than the file's.
var errSigstoreDigestMismatch = errors.New("sigstore: signed digest does not match the file's SHA-256")

// A sigstoreIdentityError reports a bundle that verified in every respect
// except that someone other than the expected signer signed it.
type sigstoreIdentityError struct {
	Signer string // who signed, as formatSigstoreSigner writes it
	Want   string // who was expected, in the same form
}

func (e *sigstoreIdentityError) Error() string  { return "sigstore: " + e.detail() }
func (e *sigstoreIdentityError) detail() string { return "signed by " + e.Signer + ", want " + e.Want }

// A sigstoreStageError is a failure in one stage of bundle verification:
// "bundle", "transparency log", "timestamps", "certificate",
// "certificate transparency" or "signature".
type sigstoreStageError struct {
	Stage string
	Err   error
}

func (e *sigstoreStageError) Error() string { return "sigstore: " + e.detail() }

func (e *sigstoreStageError) detail() string {
	return e.Stage + ": " + cleanSigstoreText(e.Err.Error())
}

func (e *sigstoreStageError) Unwrap() error { return e.Err }

func sigstoreStage(stage string, err error) error {
	return &sigstoreStageError{Stage: stage, Err: err}
}

// formatSigstoreSigner names a signer as "email (issuer)".
func formatSigstoreSigner(identity, issuer string) string {
	return cleanSigstoreText(identity) + " (" + cleanSigstoreText(issuer) + ")"
}

// A sigstoreChecker verifies python.org's Sigstore bundles offline against
// one trusted root. It is safe for concurrent use.
type sigstoreChecker struct {
	tm         root.TrustedMaterial
	v          *sgverify.Verifier
	requireSCT bool
}

// newSigstoreChecker returns a checker that requires, for every bundle, a
// transparency log entry (verified through its signed entry timestamp or its
// inclusion proof and checkpoint) and an observer timestamp (the log's
// integrated time or an RFC 3161 timestamp) at which the short-lived signing
// certificate was valid. requireSCT also requires the certificate's embedded
// signed certificate timestamp; test instances made with
// sigstore-go's pkg/testing/ca issue certificates without one.
//
// The current time is never used: Fulcio certificates live ten minutes.
func newSigstoreChecker(tm root.TrustedMaterial, requireSCT bool) (*sigstoreChecker, error) {
	if tm == nil {
		return nil, errors.New("sigstore: no trusted root")
	}
	opts := []sgverify.VerifierOption{sgverify.WithTransparencyLog(1), sgverify.WithObserverTimestamps(1)}
	if requireSCT {
		opts = append(opts, sgverify.WithSignedCertificateTimestamps(1))
	}
	v, err := sgverify.NewVerifier(tm, opts...)
	if err != nil {
		return nil, fmt.Errorf("sigstore: %v", err)
	}
	return &sigstoreChecker{tm: tm, v: v, requireSCT: requireSCT}, nil
}

// check verifies a bundle (its JSON) for the file whose SHA-256 is sha256,
// requiring a certificate issued to exactly identity (an email address) by
// exactly the OIDC issuer. It returns the signer as "email (issuer)", for
// example "pablogsal@python.org (https://accounts.google.com)".
//
// On an identity mismatch, the bundle is otherwise valid: check returns the
// signer it found along with a *sigstoreIdentityError. On any other failure
// it returns no signer; the error is errSigstoreDigestMismatch or a
// *sigstoreStageError.
func (c *sigstoreChecker) check(bundleJSON []byte, sha256 []byte, identity, issuer string) (signer string, err error) {
	signer, _, err = c.checkAt(bundleJSON, sha256, identity, issuer)
	return signer, err
}

// checkAt is check, and also returns the earliest of the times the bundle
// proves the signature existed at (its verified log integrated times and
// RFC 3161 timestamps), when it verified.
func (c *sigstoreChecker) checkAt(bundleJSON []byte, sha256 []byte, identity, issuer string) (signer string, signedAt time.Time, err error) {
	if len(sha256) != 32 {
		return "", time.Time{}, sigstoreError(fmt.Sprintf("want a 32-byte SHA-256 digest, got %d bytes", len(sha256)))
	}
	if identity == "" || issuer == "" {
		return "", time.Time{}, sigstoreError("no expected signer identity and issuer")
	}
	b, err := parseSigstoreBundle(bundleJSON)
	if err != nil {
		return "", time.Time{}, err
	}
	sc, err := b.SignatureContent()
	if err != nil {
		return "", time.Time{}, sigstoreStage("bundle", err)
	}
	msg := sc.MessageSignatureContent()
	if msg == nil {
		// python.org signs files directly; a DSSE envelope is not what it
		// publishes, and accepting one would widen what is trusted.
		return "", time.Time{}, sigstoreStage("bundle", errors.New("not a message signature (DSSE envelopes are not accepted)"))
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return "", time.Time{}, sigstoreStage("bundle", err)
	}
	leaf := vc.Certificate()
	if leaf == nil {
		return "", time.Time{}, sigstoreStage("bundle", errors.New("no signing certificate (signed with a bare public key)"))
	}
	summary, err := certificate.SummarizeCertificate(leaf)
	if err != nil {
		return "", time.Time{}, sigstoreStage("certificate", err)
	}
	// The message digest is an unauthenticated hint, checked here only to
	// give a clear message; the signature is verified against sha256 below.
	if msg.DigestAlgorithm() != protocommon.HashAlgorithm_SHA2_256.String() {
		return "", time.Time{}, sigstoreStage("bundle", fmt.Errorf("signs a %s digest, want SHA2_256", cleanSigstoreText(msg.DigestAlgorithm())))
	}
	if !bytes.Equal(msg.Digest(), sha256) {
		return "", time.Time{}, errSigstoreDigestMismatch
	}
	id, err := sgverify.NewShortCertificateIdentity(issuer, "", identity, "")
	if err != nil {
		return "", time.Time{}, sigstoreError(err.Error())
	}

	var times []sgverify.TimestampVerificationResult
	if sigstoreCompatKey(leaf.PublicKey) {
		times, err = c.verifyCompat(b, msg, sha256, id)
	} else {
		policy := sgverify.NewPolicy(sgverify.WithArtifactDigest("sha256", sha256), sgverify.WithCertificateIdentity(id))
		var res *sgverify.VerificationResult
		res, err = c.v.Verify(b, policy)
		err = mapSigstoreError(err)
		err = c.errNoLogEntry(b, err)
		if res != nil {
			times = res.VerifiedTimestamps
		}
	}
	var idErr *sgverify.ErrNoMatchingCertificateIdentity
	if errors.As(err, &idErr) {
		got := formatSigstoreSigner(summary.SubjectAlternativeName, summary.Issuer)
		return got, time.Time{}, &sigstoreIdentityError{Signer: got, Want: formatSigstoreSigner(identity, issuer)}
	}
	if err != nil {
		return "", time.Time{}, err
	}
	for _, ts := range times {
		if signedAt.IsZero() || ts.Timestamp.Before(signedAt) {
			signedAt = ts.Timestamp
		}
	}
	return formatSigstoreSigner(summary.SubjectAlternativeName, summary.Issuer), signedAt.UTC(), nil
}

// sigstoreErrorStages maps the prefixes sigstore-go v1.3.0's Verify puts on
// its errors to the stage names this package reports.
var sigstoreErrorStages = []struct{ prefix, stage string }{
	{"failed to verify log inclusion: ", "transparency log"},
	{"failed to verify timestamps: ", "timestamps"},
	{"failed to verify leaf certificate: ", "certificate"},
	{"failed to summarize certificate: ", "certificate"},
	{"failed to verify signed certificate timestamp: ", "certificate transparency"},
	{"failed to verify signature: ", "signature"},
	{"failed to fetch verification content: ", "bundle"},
	{"failed to fetch signature content: ", "bundle"},
	{"failed to get signature verifier: ", "signature"},
}

func mapSigstoreError(err error) error {
	if err == nil {
		return nil
	}
	var idErr *sgverify.ErrNoMatchingCertificateIdentity
	if errors.As(err, &idErr) {
		return err
	}
	msg := err.Error()
	for _, s := range sigstoreErrorStages {
		if rest, ok := strings.CutPrefix(msg, s.prefix); ok {
			return sigstoreStage(s.stage, errors.New(rest))
		}
	}
	return sigstoreStage("verification", err)
}

// parseSigstoreBundle decodes a bundle of a media type python.org has used.
//
// Some v0.1 bundles python.org published (Python-3.12.5.tgz's, for one)
// carry an inclusion proof without a checkpoint, which sigstore-go refuses
// to parse. An inclusion proof without a checkpoint proves nothing: its root
// hash is not signed by the log, so nothing ties it to the log. What a v0.1
// bundle must carry, and what makes it verifiable, is the signed entry
// timestamp (SET), the log's signature over the entry's body, integrated
// time, index and log ID. So, for the v0.1 media type only, an inclusion
// proof without a checkpoint is dropped from an entry that has a SET, and the
// entry is verified on its SET alone, exactly as a v0.1 bundle without any
// inclusion proof is. This accepts nothing that a bundle an attacker could
// write anyway (a v0.1 bundle with no proof) would not already get; every
// other check (SET signature, entry ↔ bundle equality, certificate chain,
// signature, identity) is unchanged.
func parseSigstoreBundle(data []byte) (*bundle.Bundle, error) {
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		return nil, &NotBundleError{Why: "the file is empty"}
	case len(data) > maxSigstoreBundleSize:
		return nil, sigstoreStage("bundle", fmt.Errorf("too large (%d bytes, limit %d)", len(data), maxSigstoreBundleSize))
	case bytes.TrimSpace(data)[0] != '{':
		return nil, &NotBundleError{Why: "not a JSON object"}
	}
	pb := new(protobundle.Bundle)
	if err := protojson.Unmarshal(data, pb); err != nil {
		return nil, sigstoreStage("bundle", fmt.Errorf("malformed JSON: %s", protoText(err)))
	}
	if pb.GetMediaType() == "" {
		return nil, &NotBundleError{Why: "no mediaType"}
	}
	var opts []bundle.Option
	switch pb.GetMediaType() {
	case sigstoreMediaTypeV01:
		for _, e := range pb.GetVerificationMaterial().GetTlogEntries() {
			if e.GetInclusionProof() != nil && e.GetInclusionProof().GetCheckpoint().GetEnvelope() == "" &&
				len(e.GetInclusionPromise().GetSignedEntryTimestamp()) > 0 {
				e.InclusionProof = nil
			}
		}
	case sigstoreMediaTypeV02:
	case sigstoreMediaTypeV03, sigstoreMediaTypeV03b:
		// Intermediates in a v0.3 chain only help build the path to a
		// trusted Fulcio root; they are never trusted themselves.
		opts = append(opts, bundle.AllowCertificateChain())
	default:
		return nil, sigstoreStage("bundle", fmt.Errorf("unsupported media type %q", safetext.Cut(pb.GetMediaType(), 100)))
	}
	b, err := bundle.NewBundle(pb, opts...)
	if err != nil {
		return nil, sigstoreStage("bundle", err)
	}
	return b, nil
}

// sigstoreCompatKey reports whether a leaf key is one for which sigstore-go
// v1.3.0 enables its "compatibility verifier": ECDSA P-384 and P-521 keys,
// which old Sigstore clients (python.org's v0.1 and v0.2 bundles) used with
// SHA-256. When the default verifier (SHA-384 or SHA-512) fails, as it always
// does for such bundles, that code writes a line straight to os.Stderr
// (pkg/verify/signature.go, compatVerifier.VerifySignature), which would
// corrupt a terminal or a JSON stream. Bundles with such keys are therefore
// verified by verifyCompat instead.
func sigstoreCompatKey(pub any) bool {
	k, ok := pub.(*ecdsa.PublicKey)
	return ok && (k.Curve == elliptic.P384() || k.Curve == elliptic.P521())
}

// sanOID is the Subject Alternative Name extension, which Fulcio marks
// critical when it holds an OtherName that Go's x509 does not handle.
var sanOID = asn1.ObjectIdentifier{2, 5, 29, 17}

// verifyCompat verifies a message-signature bundle with an ECDSA P-384 or
// P-521 leaf key. It runs the same steps, in the same order, as sigstore-go
// v1.3.0's Verifier.Verify for a certificate-signed message signature
// (signed_entity.go), using the library's own functions for each, except
// that the signature is verified directly with ECDSA over the SHA-256 digest
// (what the compatibility verifier does after its default verifier fails),
// so that nothing is written to os.Stderr.
func (c *sigstoreChecker) verifyCompat(b *bundle.Bundle, msg sgverify.MessageSignatureContent, digest []byte, id sgverify.CertificateIdentity) ([]sgverify.TimestampVerificationResult, error) {
	// Transparency log: SET and/or inclusion proof, and entry ↔ bundle
	// equality (signature, certificate, digest).
	tlogTimes, err := c.v.VerifyTransparencyLogInclusion(b)
	if err != nil {
		if strings.Contains(err.Error(), "not enough verified log entries") {
			return nil, c.errNoLogEntry(b, err)
		}
		return nil, sigstoreStage("transparency log", err)
	}
	// Observer timestamps: the verified integrated times and any RFC 3161
	// timestamps, against the configured threshold.
	times, err := c.v.VerifyObserverTimestamps(b, tlogTimes)
	if err != nil {
		return nil, sigstoreStage("timestamps", err)
	}
	vc, err := b.VerificationContent()
	if err != nil {
		return nil, sigstoreStage("bundle", err)
	}
	leaf := vc.Certificate() // a fresh parse, ours to modify
	if leaf == nil {
		return nil, sigstoreStage("bundle", errors.New("no signing certificate"))
	}
	summary, err := certificate.SummarizeCertificate(leaf)
	if err != nil {
		return nil, sigstoreStage("certificate", err)
	}
	if len(leaf.UnhandledCriticalExtensions) > 0 {
		var unhandled []asn1.ObjectIdentifier
		for _, oid := range leaf.UnhandledCriticalExtensions {
			if !oid.Equal(sanOID) {
				unhandled = append(unhandled, oid)
			}
		}
		leaf.UnhandledCriticalExtensions = unhandled
	}
	// Certificate path validation at every verified time.
	intermediates := vc.Intermediates()
	var chains [][]*x509.Certificate
	for _, ts := range times {
		chains, err = verifySigstoreLeaf(ts.Timestamp, leaf, c.tm, intermediates)
		if err != nil {
			return nil, sigstoreStage("certificate", err)
		}
	}
	if c.requireSCT {
		if err := sgverify.VerifySignedCertificateTimestamp(chains, 1, c.tm); err != nil {
			return nil, sigstoreStage("certificate transparency", err)
		}
	}
	// Signature: ECDSA over the SHA-256 digest of the file.
	pub, ok := leaf.PublicKey.(*ecdsa.PublicKey)
	if !ok || !sigstoreCompatKey(pub) {
		return nil, sigstoreStage("signature", fmt.Errorf("unexpected leaf key %T", leaf.PublicKey))
	}
	details := protocommon.PublicKeyDetails_PKIX_ECDSA_P384_SHA_256 //nolint:staticcheck // what old clients used
	if pub.Curve == elliptic.P521() {
		details = protocommon.PublicKeyDetails_PKIX_ECDSA_P521_SHA_256 //nolint:staticcheck // what old clients used
	}
	ad, err := signature.GetAlgorithmDetails(details)
	if err != nil {
		return nil, sigstoreStage("signature", err)
	}
	sv, err := signature.LoadVerifierFromAlgorithmDetails(pub, ad)
	if err != nil {
		return nil, sigstoreStage("signature", err)
	}
	if err := sv.VerifySignature(bytes.NewReader(msg.Signature()), bytes.NewReader(nil), options.WithDigest(digest)); err != nil {
		return nil, sigstoreStage("signature", fmt.Errorf("could not verify message: %w", err))
	}
	// Identity, last, as the library does.
	if _, err := (sgverify.CertificateIdentities{id}).Verify(summary); err != nil {
		return nil, err
	}
	return times, nil
}

// verifySigstoreLeaf is sigstore-go v1.3.0's unexported verifyLeafCertificate:
// path validation of the leaf to a trusted Fulcio root at time t, with the
// bundle's intermediates added to each authority's own.
func verifySigstoreLeaf(t time.Time, leaf *x509.Certificate, tm root.TrustedMaterial, intermediates []*x509.Certificate) ([][]*x509.Certificate, error) {
	for _, ca := range tm.FulcioCertificateAuthorities() {
		if fca, ok := ca.(*root.FulcioCertificateAuthority); ok && len(intermediates) > 0 {
			with := *fca
			with.Intermediates = append(append([]*x509.Certificate{}, fca.Intermediates...), intermediates...)
			ca = &with
		}
		if chains, err := ca.Verify(leaf, t); err == nil {
			return chains, nil
		}
	}
	return nil, errors.New("leaf certificate verification failed")
}
