package report

// A Reason says, in one stable word, why a check fails its artifact, for
// programs that act on the kind of failure (pyverify audit tells a wrong
// file from a bad signature by it) instead of matching Detail, whose
// wording may change. A Check carries a Reason when the check fails
// the artifact (its status is fail, or it is required and did not pass),
// and when it was not run because the file could not be read
// (ReasonNotRead). New reasons may be added; existing ones keep their
// meaning.
type Reason string

// The reasons.
const (
	// ReasonSizeMismatch (size): the file's size is not the listed size,
	// or the server sent more bytes than listed.
	ReasonSizeMismatch Reason = "size-mismatch"
	// ReasonDigestMismatch (md5, sha256, sigstore): the file's digest is
	// not the listed one, or not the one the Sigstore bundle signs: the
	// bytes are wrong, not the signature.
	ReasonDigestMismatch Reason = "digest-mismatch"
	// ReasonBadListing (md5, sha256): the listed value is malformed.
	ReasonBadListing Reason = "bad-listing"
	// ReasonSourcesDisagree (crosscheck): the release data's sources
	// (release page, JSON API) disagree about the file.
	ReasonSourcesDisagree Reason = "sources-disagree"
	// ReasonBadSignature (openpgp, sigstore): the signature was checked
	// and did not verify: malformed, made by someone the policy does not
	// pin for the file, or invalid.
	ReasonBadSignature Reason = "bad-signature"
	// ReasonSignatureAbsent (openpgp, sigstore): the signature file is
	// not there, and it is required.
	ReasonSignatureAbsent Reason = "signature-absent"
	// ReasonNotAccepted (openpgp, sigstore): a signature of this kind
	// cannot count for the file (the policy names no signer of the kind
	// for it, it cannot be checked offline, or it needs the bytes and only
	// a digest was given), yet one is required.
	ReasonNotAccepted Reason = "not-accepted"
	// ReasonPolicyGap (policy): the policy does not say who signs the
	// file; the artifact is a policy gap (ErrPolicyGap).
	ReasonPolicyGap Reason = "policy-gap"
	// ReasonUnsigned (policy): no signature verified.
	ReasonUnsigned Reason = "unsigned"
	// ReasonNotRead (size, md5, sha256, openpgp, sigstore; status
	// skipped): the check was not run because the file's bytes could not
	// be read to the end (a download or a file read failed); the
	// artifact's Error says why.
	ReasonNotRead Reason = "not-read"
	// ReasonSBOMAbsent (sbom): the release lists an SBOM for the file,
	// and it is not there.
	ReasonSBOMAbsent Reason = "sbom-absent"
	// ReasonSBOMMalformed (sbom): the SBOM is not an SPDX 2.x document
	// with one CPython package and its SHA-256 (or is too large).
	ReasonSBOMMalformed Reason = "sbom-malformed"
	// ReasonSBOMMismatch (sbom): the SBOM's CPython SHA-256 is not the
	// verified file's: it describes another file.
	ReasonSBOMMismatch Reason = "sbom-mismatch"
	// ReasonRefused (lifecycle): a lifecycle gate (--deny-eol,
	// --deny-prerelease, --deny-security-only) refuses the release.
	ReasonRefused Reason = "refused"
	// ReasonLifecycleUnknown (lifecycle; status missing): a lifecycle gate
	// was asked for, but the lifecycle data does not know the release's
	// series; the artifact is a policy gap.
	ReasonLifecycleUnknown Reason = "lifecycle-unknown"
	// ReasonWrongRelease (release): the file's name or content names
	// another release than the one it is verified as, or its content
	// lacks the marker its format must have.
	ReasonWrongRelease Reason = "wrong-release"
	// ReasonSignedBeforeRelease (release): a signature was made well
	// before the release it is verified as came out: it was made for an
	// older release.
	ReasonSignedBeforeRelease Reason = "signed-before-release"
)
