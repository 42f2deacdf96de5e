package verify

import "github.com/pyverify/pyverify/report"

// The report types are package report's, which owns the verdict; these
// aliases are the names verify's API has always used, for what its callers
// name (the other reasons of sbom's and lifecycle's checks are report's).

// ReportSchema is the value of Report.Schema; see [report.Schema].
const ReportSchema = report.Schema

type (
	// Report is a [report.Report].
	Report = report.Report
	// LifecycleContext is a [report.LifecycleContext].
	LifecycleContext = report.LifecycleContext
	// ArtifactReport is a [report.Artifact].
	ArtifactReport = report.Artifact
	// CheckResult is a [report.Check].
	CheckResult = report.Check
	// Kind is a [report.Kind].
	Kind = report.Kind
	// Status is a [report.Status].
	Status = report.Status
	// Reason is a [report.Reason].
	Reason = report.Reason
	// VerificationError is a [report.VerificationError].
	VerificationError = report.VerificationError
)

// The kinds of check; see package report.
const (
	KindSize       = report.KindSize
	KindMD5        = report.KindMD5
	KindSHA256     = report.KindSHA256
	KindOpenPGP    = report.KindOpenPGP
	KindSigstore   = report.KindSigstore
	KindCrossCheck = report.KindCrossCheck
	KindPolicy     = report.KindPolicy
	KindSBOM       = report.KindSBOM
	KindLifecycle  = report.KindLifecycle
	KindRelease    = report.KindRelease
)

// The statuses of a check; see package report.
const (
	StatusPass    = report.StatusPass
	StatusFail    = report.StatusFail
	StatusMissing = report.StatusMissing
	StatusSkipped = report.StatusSkipped
	StatusListed  = report.StatusListed
)

// The reasons; see package report.
const (
	ReasonSizeMismatch        = report.ReasonSizeMismatch
	ReasonDigestMismatch      = report.ReasonDigestMismatch
	ReasonBadListing          = report.ReasonBadListing
	ReasonSourcesDisagree     = report.ReasonSourcesDisagree
	ReasonBadSignature        = report.ReasonBadSignature
	ReasonSignatureAbsent     = report.ReasonSignatureAbsent
	ReasonNotAccepted         = report.ReasonNotAccepted
	ReasonPolicyGap           = report.ReasonPolicyGap
	ReasonUnsigned            = report.ReasonUnsigned
	ReasonNotRead             = report.ReasonNotRead
	ReasonSBOMMalformed       = report.ReasonSBOMMalformed
	ReasonWrongRelease        = report.ReasonWrongRelease
	ReasonSignedBeforeRelease = report.ReasonSignedBeforeRelease
)
