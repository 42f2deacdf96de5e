package audit

import (
	"context"
	"path"

	"github.com/pyverify/pyverify/sbom"
)

// SBOMKey is the ExtraKey of CheckSBOM: recorded outcomes made without it
// (or with another version of its rules) are not reused.
const SBOMKey = "sbom/v1"

// CheckSBOM is an ExtraCheck that binds the SBOM found next to an artifact
// (FILE.spdx.json) to the artifact's verified SHA-256, with sbom.Verify, and
// adds the sbom check to the artifact's checks. An SBOM that is malformed or
// describes another file is an SBOM problem. An artifact without an SBOM,
// or one that failed verification (there is no verified digest to bind
// to), gets no SBOM problem: a listed SBOM the mirror lacks is already
// reported as Missing.
func CheckSBOM(_ context.Context, a *Artifact) []Problem {
	if a.SBOM == nil {
		return nil
	}
	rep := &a.Report
	err := sbom.Verify(rep, path.Base(a.Path)+sbom.Suffix, a.SBOM, true)
	if err == nil {
		return nil
	}
	c := rep.Checks[len(rep.Checks)-1]
	return []Problem{{Kind: SBOM, Path: a.Path + sbom.Suffix, Detail: c.Detail}}
}
