package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

func TestPlaceBytesLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.spdx.json"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := placeBytes([]byte("bound"), dir, "x.spdx.json")
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(got); string(data) != "bound" {
		t.Errorf("%s holds %q", got, data)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("dir holds %d entries, want 1", len(entries))
	}
	for _, name := range []string{"", ".", "..", "a/b"} {
		if _, err := placeBytes(nil, dir, name); err == nil {
			t.Errorf("placeBytes(%q) succeeded", name)
		}
	}
}

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
