package audit

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/verify"
)

// CheckSBOM binds every SBOM of the mirror to its verified artifact: the
// fixture SBOMs bind, a planted mismatch and a malformed SBOM are sbom
// problems, and an artifact that failed on its own gets no SBOM problem.
func TestCheckSBOM(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	opt := ft.options(root)
	opt.Extra, opt.ExtraKey = []ExtraCheck{CheckSBOM}, SBOMKey
	opt.KeepEntries = true

	rep, _ := mustRun(t, opt)
	wantProblems(t, rep)
	passed := 0
	for _, e := range rep.Entries {
		for _, c := range e.Checks {
			if c.Kind == verify.KindSBOM && c.Status == verify.StatusPass {
				passed++
			}
		}
	}
	if passed != 5 {
		t.Errorf("%d sbom checks passed, want the 5 SBOMs of the fixture mirror", passed)
	}

	edit := func(name, old, new string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(name))
		data, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(data), old) {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(p, []byte(strings.Replace(string(data), old, new, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// The .tar.xz's SBOM names the .tgz's digest; the .tgz's is malformed.
	edit("3.14.1/Python-3.14.1.tar.xz.spdx.json", "f9483549dde5ac4d8fb6d3f912bce56028b4db967ec083b69c9af922e9f38383",
		"7a3f5323cb22d0150acc33ca6883e7576a6f605011cb9f7500e6585528026ed2")
	edit("3.14.1/Python-3.14.1.tgz.spdx.json", `"packages": [`, `"packages": 7, "x": [`)
	// The installer fails on its own: its SBOM is not judged.
	flipByte(t, filepath.Join(root, "3.14.1", "python-3.14.1-amd64.exe"))

	rep, _ = mustRun(t, opt)
	wantProblems(t, rep, "digest 3.14.1/python-3.14.1-amd64.exe",
		"sbom 3.14.1/Python-3.14.1.tar.xz.spdx.json", "sbom 3.14.1/Python-3.14.1.tgz.spdx.json")
	for _, e := range rep.Entries {
		for _, p := range e.Problems {
			switch p.Path {
			case "3.14.1/Python-3.14.1.tar.xz.spdx.json":
				if !strings.Contains(p.Detail, "Python-3.14.1.tar.xz.spdx.json: packages[0].checksums: the CPython package's SHA-256 is 7a3f5323") {
					t.Errorf("mismatch detail: %s", p.Detail)
				}
			case "3.14.1/Python-3.14.1.tgz.spdx.json":
				if p.Detail != "Python-3.14.1.tgz.spdx.json: packages: want an array, got a number" {
					t.Errorf("malformed detail: %s", p.Detail)
				}
			}
		}
	}
}
