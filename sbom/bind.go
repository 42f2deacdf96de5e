package sbom

import (
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/report"
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
// verified: it parses the SBOM data (file names it; nil when it is not
// available, listed saying whether the release lists one) and binds it to rep's
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
// When the sbom check fails the artifact, the report no longer verifies
// and Verify returns a *report.VerificationError; otherwise it returns nil.
func Verify(rep *report.Artifact, file string, data []byte, listed bool) error {
	c := report.Check{Kind: report.KindSBOM}
	switch {
	case !rep.OK:
		c.Status = report.StatusSkipped
		c.Detail = "not checked: the file did not verify, and an SBOM is trusted only through a verified digest"
	case data == nil && !listed:
		c.Status, c.Detail = report.StatusSkipped, "no SBOM listed for this file"
	case data == nil:
		c.Status, c.Required, c.Reason = report.StatusMissing, true, report.ReasonSBOMAbsent
		c.Detail = "no " + file + ": the release lists an SBOM for this file, but it is not available"
	default:
		c.Required = true
		doc, err := Parse(file, data)
		switch {
		case err != nil:
			c.Status, c.Detail, c.Reason = report.StatusFail, err.Error(), report.ReasonSBOMMalformed
		case rep.SHA256 == "":
			c.Status, c.Detail = report.StatusFail, "the verified file's SHA-256 is unknown: nothing to bind the SBOM to"
			c.Reason = report.ReasonSBOMMismatch
		default:
			if err := doc.Bind(file, rep.SHA256); err != nil {
				c.Status, c.Detail, c.Reason = report.StatusFail, err.Error(), report.ReasonSBOMMismatch
			} else {
				c.Status = report.StatusPass
				c.Detail = fmt.Sprintf("%s describes this file: its CPython package's SHA-256 is the verified %s", file, rep.SHA256)
			}
		}
	}
	return rep.AddAfter(nil, c)
}
