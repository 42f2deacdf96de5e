package pipeline

// The last steps of a verified artifact. SBOMs (Options.SBOM): after an
// artifact verified, and before it is placed, its listed SBOM is fetched and
// bound to the verified SHA-256 with sbom.Verify. An SBOM that is listed but
// missing, malformed, or names another digest fails the artifact, which is
// then not placed. Then the bound SBOM (Options.SBOMDest) and the artifact
// with its signatures (placeVerified) are placed, each under a temporary
// name and renamed, so that only verified files and bound SBOMs ever appear
// under their final names.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/sbom"
	"github.com/pyverify/pyverify/verify"
)

// finish completes an artifact that verified (res.Report.OK) as target,
// whose verified bytes are the open file src: its SBOM is bound if asked
// for, then the SBOM, and the artifact with its signatures, are placed.
func finish(ctx context.Context, res Result, src *os.File, target verify.Target, opt Options) Result {
	var bound []byte
	if opt.SBOM {
		var err error
		if bound, err = bindSBOM(ctx, &res.Report, res.Artifact.SBOMURL, opt.Client); err != nil {
			res.Err = err
			return res
		}
	}
	if bound != nil && opt.SBOMDest != "" {
		name := res.Artifact.Name + sbom.Suffix
		if err := writeFile(opt.SBOMDest, name, bound); err != nil {
			res.Err = err
			return res
		}
		res.SBOMPath = filepath.Join(opt.SBOMDest, name)
	}
	res.Path, res.Err = placeVerified(src, opt.Dest, res.Artifact.Name, target, res.Report)
	return res
}

// placeVerified places the verified file, then the signatures that
// verified it (FILE.asc, FILE.sigstore), so that 'pyverify check FILE' can
// verify it again offline. A signature the checks did not pass (one the
// policy ignores for the release) is not placed.
func placeVerified(src *os.File, dest, name string, t verify.Target, rep verify.ArtifactReport) (string, error) {
	path, err := place(src, dest, name)
	if err != nil {
		return "", err
	}
	for _, c := range rep.Checks {
		var data []byte
		suffix := ""
		switch {
		case c.Status != verify.StatusPass:
			continue
		case c.Kind == verify.KindOpenPGP:
			data, suffix = t.Signature.Data, ".asc"
		case c.Kind == verify.KindSigstore:
			data, suffix = t.Bundle.Data, ".sigstore"
		}
		if data == nil {
			continue
		}
		if err := writeFile(dest, name+suffix, data); err != nil {
			return path, err
		}
	}
	return path, nil
}

// bindSBOM fetches the SBOM at url (if listed) and adds the sbom check to
// rep. It returns the SBOM's bytes when it bound, nil when there was none to
// bind, and an error when the artifact fails.
func bindSBOM(ctx context.Context, rep *verify.ArtifactReport, url string, c *download.Client) ([]byte, error) {
	file := rep.Name + sbom.Suffix
	var sbomData []byte
	listed := url != ""
	if listed {
		data, err := c.Fetch(ctx, url, sbom.MaxSize)
		switch {
		case errors.Is(err, download.ErrNotFound):
			// Listed, but the server does not have it: sbom.Verify
			// reports it missing.
		case errors.Is(err, download.ErrTooLarge):
			fail := verify.CheckResult{Kind: verify.KindSBOM, Status: verify.StatusFail, Required: true,
				Reason: verify.ReasonSBOMMalformed,
				Detail: fmt.Sprintf("%s: larger than the %d bytes an SBOM may have", file, sbom.MaxSize)}
			return nil, rep.AddAfter(nil, fail)
		case err != nil:
			rep.Add(verify.CheckResult{Kind: verify.KindSBOM, Status: verify.StatusSkipped,
				Required: true, Reason: verify.ReasonNotRead, Detail: "not checked: " + file + " could not be fetched"})
			return nil, fmt.Errorf("%s: %w", file, err)
		default:
			sbomData = data
		}
	}
	if err := sbom.Verify(rep, file, sbomData, listed); err != nil {
		return nil, err
	}
	return sbomData, nil
}

// sbomSkipped adds a skipped sbom check to the report of an artifact that
// did not get as far as its SBOM (it failed, or could not be checked).
func sbomSkipped(res Result, opt Options) Result {
	if !opt.SBOM {
		return res
	}
	for _, c := range res.Report.Checks {
		if c.Kind == verify.KindSBOM {
			return res
		}
	}
	if res.Err != nil && res.Report.OK {
		// It verified, then failed on its way to Dest.
		res.Report.SetError(res.Err.Error())
	}
	sbom.Verify(&res.Report, res.Artifact.Name+sbom.Suffix, nil, res.Artifact.SBOMURL != "")
	return res
}
