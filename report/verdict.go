package report

import (
	"errors"
	"strings"
)

// ErrPolicyGap is wrapped by errors that say the policy does not name who
// signs an artifact: the artifact is neither verified nor known bad.
var ErrPolicyGap = errors.New("policy gap")

// FailsArtifact reports whether c keeps its artifact from verifying: it
// failed, or it is required and did not pass.
func (c Check) FailsArtifact() bool {
	return c.Status == StatusFail || c.Required && c.Status != StatusPass
}

// isGap reports whether c fails its artifact only because the rules cannot
// judge it (a policy gap, or lifecycle data that does not know the release).
func (c Check) isGap() bool {
	return c.Reason == ReasonPolicyGap || c.Reason == ReasonLifecycleUnknown
}

// isSignature reports whether c is a signature check.
func (c Check) isSignature() bool { return c.Kind == KindOpenPGP || c.Kind == KindSigstore }

// unsignedCheck is the failure of an artifact for which no check failed and
// yet no signature verified: the rules never get there, and it keeps an
// unsigned artifact from ever passing if they change.
var unsignedCheck = Check{Kind: KindPolicy, Status: StatusFail, Required: true,
	Detail: "no signature verified", Reason: ReasonUnsigned}

// Decide sets the verdict from what the report holds: the artifact
// verifies when it was read to the end (Error is empty), no check fails it
// and a signature check passed. The verifier calls it once its checks are
// in.
func (a *Artifact) Decide() {
	a.OK = a.Error == "" && a.signed() && len(a.Failures()) == 0
}

func (a *Artifact) signed() bool {
	for _, c := range a.Checks {
		if c.isSignature() && c.Status == StatusPass {
			return true
		}
	}
	return false
}

// Add appends checks decided after the verifier's (an SBOM binding, a
// lifecycle gate, the release data's cross-check). A check can take the
// verdict away, never give it: the artifact stays verified only if none of
// them fails it.
func (a *Artifact) Add(cs ...Check) {
	for _, c := range cs {
		a.Checks = append(a.Checks, c)
		if c.FailsArtifact() {
			a.OK = false
		}
	}
}

// Replace puts c in place of the check of its kind (or appends it when
// there is none) and decides the verdict again (see [Artifact.Decide]).
func (a *Artifact) Replace(c Check) {
	if i := a.index(c.Kind); i >= 0 {
		a.Checks[i] = c
	} else {
		a.Checks = append(a.Checks, c)
	}
	a.Decide()
}

// Check returns the artifact's check of kind k, if it has one.
func (a *Artifact) Check(k Kind) (Check, bool) {
	if i := a.index(k); i >= 0 {
		return a.Checks[i], true
	}
	return Check{}, false
}

func (a *Artifact) index(k Kind) int {
	for i, c := range a.Checks {
		if c.Kind == k {
			return i
		}
	}
	return -1
}

// SetError records why the artifact could not be checked to the end (a
// download, file system or placement failure); the artifact then does not
// verify.
func (a *Artifact) SetError(msg string) {
	a.Error, a.OK = msg, false
}

// Failures returns the checks that keep the artifact from verifying, in
// report order.
func (a *Artifact) Failures() []Check {
	var out []Check
	for _, c := range a.Checks {
		if c.FailsArtifact() {
			out = append(out, c)
		}
	}
	return out
}

// Err returns the error that the report's verdict stands for, as x/mod's
// zip.CheckedFiles.Err does for a checked zip file: nil when the artifact
// verified; a policy gap (matching [ErrPolicyGap]) when the only checks that
// fail it are ones the rules could not judge; the artifact's Error when it
// could not be checked and no check failed; otherwise a
// [*VerificationError] listing every check that fails it.
func (a *Artifact) Err() error {
	if a.OK {
		return nil
	}
	failures := a.Failures()
	if len(failures) == 0 {
		if a.Error != "" {
			return errors.New(a.Error)
		}
		return &VerificationError{Name: a.Name, Failures: []Check{unsignedCheck}}
	}
	gaps := 0
	for _, c := range failures {
		if c.isGap() {
			gaps++
		}
	}
	if gaps == len(failures) {
		return &gapError{name: a.Name, detail: failures[0].Detail}
	}
	return &VerificationError{Name: a.Name, Failures: failures}
}

// AddAfter adds c to the report of an artifact whose verification ended
// with prior, and returns the outcome: prior when c does not fail the
// artifact; otherwise a [*VerificationError] listing what prior listed (if
// it was one) and c. A check that fails outranks a policy gap or an error
// that kept the artifact from being checked; those stay in the report.
func (a *Artifact) AddAfter(prior error, c Check) error {
	a.Add(c)
	if !c.FailsArtifact() {
		return prior
	}
	var failures []Check
	var ve *VerificationError
	if errors.As(prior, &ve) {
		failures = append(failures, ve.Failures...)
	}
	return &VerificationError{Name: a.Name, Failures: append(failures, c)}
}

// A gapError is the outcome of an artifact the rules cannot judge; its
// detail is the failing check's.
type gapError struct{ name, detail string }

func (e *gapError) Error() string        { return e.name + ": " + e.detail }
func (e *gapError) Is(target error) bool { return target == ErrPolicyGap }

// A VerificationError reports an artifact that failed verification. It
// lists every failed check.
type VerificationError struct {
	// Name is the artifact's file name.
	Name string
	// Failures are the checks that fail it, in report order.
	Failures []Check
}

// Error words every failed check on one line, the artifact first:
// "NAME: kind: detail; kind: detail".
func (e *VerificationError) Error() string {
	var parts []string
	for _, f := range e.Failures {
		parts = append(parts, string(f.Kind)+": "+f.Detail)
	}
	return e.Name + ": " + strings.Join(parts, "; ")
}

// Seal readies the report for writing: it sets the schema, makes every
// list a JSON array (never null), and sets OK when every artifact verified.
func (r *Report) Seal() {
	r.Schema, r.OK = Schema, true
	if r.Artifacts == nil {
		r.Artifacts = []Artifact{}
	}
	for i := range r.Artifacts {
		if r.Artifacts[i].Checks == nil {
			r.Artifacts[i].Checks = []Check{}
		}
		r.OK = r.OK && r.Artifacts[i].OK
	}
}
