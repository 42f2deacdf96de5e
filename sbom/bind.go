package sbom

import (
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/verify"
)

// Bind checks that d describes the artifact whose verified SHA-256 is
// sha256 (hex): the CPython package's SHA-256 must be that digest. It
// returns a *MismatchError if it is not. file names the SBOM in errors.
func (d *Document) Bind(file, sha256 string) error {
	if !strings.EqualFold(d.CPython.SHA256, sha256) {
		return &MismatchError{File: file, Field: fmt.Sprintf("packages[%d].checksums", d.CPython.Index),
			Listed: d.CPython.SHA256, Verified: strings.ToLower(sha256)}
	}
	return nil
}

// Verify adds the sbom check to rep, the report of an artifact that was
// verified: it parses the SBOM sc (file names it) and binds it to rep's
// verified SHA-256. It is the one place the rules below live, for every
// command that checks SBOMs:
//
//   - rep did not verify: skipped; an SBOM is trusted only through a
//     verified digest, so there is nothing to bind it to.
//   - no SBOM, and none listed: skipped.
//   - an SBOM listed but not available: missing, and the artifact fails.
//   - malformed, or another file's SBOM: fail, and the artifact fails.
//   - otherwise: pass.
//
// When the sbom check fails the artifact, Verify sets rep.OK to false and
// returns a *verify.VerificationError; otherwise it returns nil.
func Verify(rep *verify.ArtifactReport, file string, sc verify.Sidecar) error {
	c := verify.CheckResult{Kind: verify.KindSBOM}
	switch {
	case !rep.OK:
		c.Status = verify.StatusSkipped
		c.Detail = "not checked: the file did not verify, and an SBOM is trusted only through a verified digest"
	case sc.Data == nil && !sc.Listed:
		c.Status, c.Detail = verify.StatusSkipped, "no SBOM listed for this file"
	case sc.Data == nil:
		c.Status, c.Required, c.Reason = verify.StatusMissing, true, verify.ReasonSBOMAbsent
		c.Detail = "no " + file + ": the release lists an SBOM for this file, but it is not available"
	default:
		c.Required = true
		doc, err := Parse(file, sc.Data)
		switch {
		case err != nil:
			c.Status, c.Detail, c.Reason = verify.StatusFail, err.Error(), verify.ReasonSBOMMalformed
		case rep.SHA256 == "":
			c.Status, c.Detail = verify.StatusFail, "the verified file's SHA-256 is unknown: nothing to bind the SBOM to"
			c.Reason = verify.ReasonSBOMMismatch
		default:
			if err := doc.Bind(file, rep.SHA256); err != nil {
				c.Status, c.Detail, c.Reason = verify.StatusFail, err.Error(), verify.ReasonSBOMMismatch
			} else {
				c.Status = verify.StatusPass
				c.Detail = fmt.Sprintf("%s describes this file: its CPython package's SHA-256 is the verified %s", file, rep.SHA256)
			}
		}
	}
	rep.Checks = append(rep.Checks, c)
	if c.Required && c.Status != verify.StatusPass {
		rep.OK = false
		return &verify.VerificationError{Name: rep.Name, Failures: []verify.CheckResult{c}}
	}
	return nil
}
