package report

// Schema is the value of Report.Schema for the format this package writes.
const Schema = "pyverify.report/v1"

// A Report is the outcome of verifying a set of artifacts. Its JSON form is a
// stable contract (see the README).
type Report struct {
	// Schema names the report's format ([Schema]); set by [Report.Seal].
	Schema string `json:"schema"`
	// OK is true when every artifact verified; set by [Report.Seal].
	OK bool `json:"ok"`
	// Sources lists the release data read (the release page, the JSON
	// API), when any was: `verify` reads both and cross-checks them.
	Sources []Source `json:"sources,omitempty"`
	// ListingFrom and FilesFrom are the addresses the release listing
	// (page, API) and the files (artifacts and their signatures) were read
	// from, set when either is not python.org (--base-url, --mirror).
	ListingFrom string `json:"listing_from,omitempty"`
	FilesFrom   string `json:"files_from,omitempty"`
	// Warnings are facts about the run a person should know, such as an
	// unreachable JSON API (the run then went on with the page alone).
	Warnings  []string   `json:"warnings,omitempty"`
	Artifacts []Artifact `json:"artifacts"`
	// Lifecycle says which release-cycle data the lifecycle gates
	// (--deny-eol, --deny-prerelease, --deny-security-only) were evaluated
	// with; nil when no gate was asked for.
	Lifecycle *LifecycleContext `json:"lifecycle,omitempty"`
}

// A LifecycleContext records what the lifecycle gates of a report were
// evaluated against, so that a reader knows how old the data was.
type LifecycleContext struct {
	// Data is "embedded" (the copy built into pyverify) or the file given
	// with --release-cycle.
	Data string `json:"data"`
	// DataDate is how old the data is (YYYY-MM-DD): the day the embedded
	// copy was taken, or the file's modification day.
	DataDate string `json:"data_date,omitempty"`
	// DataDateKind says what DataDate is: "copied" or "modified".
	DataDateKind string `json:"data_date_kind,omitempty"`
	// Today is the day the gates were evaluated for (YYYY-MM-DD).
	Today string `json:"today"`
	// Gates lists the gates asked for: "deny-eol", "deny-prerelease",
	// "deny-security-only".
	Gates []string `json:"gates"`
}

// A Source is one document of release data that was read.
type Source struct {
	// Name is "release page", "JSON API v2" or "JSON API v1".
	Name string `json:"name"`
	// URL is the document's python.org address (a mirror serves the same
	// path).
	URL string `json:"url"`
}

// An Artifact says what was checked for one artifact and how each check
// ended. OK is the verdict: true only when the artifact was read, no check
// fails it and a signature verified. It is decided by this package's
// methods ([Artifact.Decide], [Artifact.Add], [Artifact.Replace],
// [Artifact.SetError]); read it, never set it.
type Artifact struct {
	Name    string  `json:"name"`
	Version string  `json:"version"`
	Class   string  `json:"class"`
	OK      bool    `json:"ok"`
	Checks  []Check `json:"checks"`
	// SHA256 is the hex SHA-256 of the bytes that were checked (or of the
	// digest given to VerifyDigest), whether or not they verified; empty
	// when the artifact could not be read. Only when OK is it a digest a
	// signature backs.
	SHA256 string `json:"sha256,omitempty"`
	// Warnings are facts a person should know that did not fail the
	// artifact, such as a legacy OpenPGP algorithm accepted for an old release.
	Warnings []string `json:"warnings,omitempty"`
	// Error, if set, says why the artifact could not be checked at all
	// (a download or file system failure). Checks then hold no verdict
	// computed from the bytes: those checks are skipped, with
	// ReasonNotRead (see verify's Check.Abort).
	Error string `json:"error,omitempty"`
}

// A Kind names a check.
type Kind string

// The kinds of check.
const (
	KindSize     Kind = "size"
	KindMD5      Kind = "md5"
	KindSHA256   Kind = "sha256"
	KindOpenPGP  Kind = "openpgp"
	KindSigstore Kind = "sigstore"
	// KindCrossCheck compares the sources of the expected values (the
	// release page and the JSON API); it appears when more than one was
	// read, or when only one of them lists the artifact.
	KindCrossCheck Kind = "crosscheck"
	// KindPolicy is the lookup of the artifact in the trust policy; it
	// appears in a report only when it failed (a policy gap).
	KindPolicy Kind = "policy"
	// KindSBOM is the binding of the artifact's SPDX SBOM to its verified
	// SHA-256 (package sbom); it appears only when SBOMs were asked for.
	KindSBOM Kind = "sbom"
	// KindLifecycle is the release lifecycle gate (package lifecycle),
	// evaluated after the signatures; it appears only when a gate was
	// asked for.
	KindLifecycle Kind = "lifecycle"
	// KindRelease is the binding of the bytes to the release they are
	// verified as: the name is one python.org gives it, the content names
	// it where the format allows, and no signature predates it (package
	// verify). Its status is pass (bound by content), listed (bound only
	// by the release listing), fail or skipped.
	KindRelease Kind = "release"
)

// A Status is how a check ended.
type Status string

// The statuses of a check.
const (
	// StatusPass: the check ran and succeeded.
	StatusPass Status = "pass"
	// StatusFail: the check ran and failed, or its input was malformed.
	StatusFail Status = "fail"
	// StatusMissing: the check's input (an expected value or a signature)
	// was not available.
	StatusMissing Status = "missing"
	// StatusSkipped: the check was not run, and Detail says why (for
	// example an .asc for a release the policy says is Sigstore-only).
	StatusSkipped Status = "skipped"
	// StatusListed (release check only): nothing in the file names its
	// release; it is bound to it only by the release listing, and by its
	// name and signing time agreeing with it. It does not fail the artifact.
	StatusListed Status = "listed"
)

// A Check is the outcome of one check on one artifact.
type Check struct {
	// Kind names the check; an artifact has at most one of each kind.
	Kind Kind `json:"kind"`
	// Status is how the check ended.
	Status Status `json:"status"`
	// Detail says, in one line, what was compared or why the check failed.
	Detail string `json:"detail"`
	// Signer names who signed, for signature checks that passed or that
	// failed on a signer mismatch: "pablogsal@python.org (https://accounts.google.com)"
	// or "Thomas Wouters <thomas@python.org> 7169605F62C751356D054A26A821E680E5FA6305".
	Signer string `json:"signer,omitempty"`
	// Required reports whether the policy required this check to pass.
	Required bool `json:"required"`
	// Accepted reports, for a signature check (openpgp, sigstore), whether
	// the policy names a signer of its kind for the artifact: a signature
	// of this kind would have counted, whether or not one was there. A
	// report tells by it an absent signature nothing needed from one whose
	// absence leaves the artifact without any valid signature. It is not
	// part of the JSON form.
	Accepted bool `json:"-"`
	// Reason, set when the check fails the artifact (and on checks not
	// run because the file could not be read), says why in one stable
	// word, such as "digest-mismatch" (see Reason).
	Reason Reason `json:"reason,omitempty"`
}
