package pipeline

import (
	"testing"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// An artifact that failed before its SBOM was looked at gets a skipped sbom
// check, and stays failed; without Options.SBOM nothing is added.
func TestSBOMSkipped(t *testing.T) {
	res := Result{Artifact: manifest.Artifact{Name: "Python-3.12.4.tgz", SBOMURL: "https://www.python.org/ftp/python/3.12.4/Python-3.12.4.tgz.spdx.json"},
		Report: verify.ArtifactReport{Name: "Python-3.12.4.tgz"}}
	if got := sbomSkipped(res, Options{}); len(got.Report.Checks) != 0 {
		t.Errorf("without SBOM: %+v", got.Report.Checks)
	}
	got := sbomSkipped(res, Options{SBOM: true})
	if len(got.Report.Checks) != 1 || got.Report.Checks[0].Kind != verify.KindSBOM ||
		got.Report.Checks[0].Status != verify.StatusSkipped || got.Report.OK {
		t.Errorf("failed artifact: %+v", got.Report)
	}
	// A report that already has its sbom check is left alone.
	again := sbomSkipped(got, Options{SBOM: true})
	if len(again.Report.Checks) != 1 {
		t.Errorf("checks added twice: %+v", again.Report.Checks)
	}
}
