package names

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

var classTests = []struct {
	name string
	want Class
}{
	// /work/shared/real/bundles/index.tsv
	{"Python-3.11.0.tgz", ClassSource},
	{"python-3.12.0-amd64.exe", ClassWindows},
	{"python-3.12.0rc2-embed-win32.zip", ClassWindows},
	{"python-3.12.0rc2-embed-amd64.zip", ClassWindows},
	{"python-3.12.0rc2-embed-arm64.zip", ClassWindows},
	{"python-3.12.0rc2.exe", ClassWindows},
	{"python-3.12.0rc2-amd64.exe", ClassWindows},
	{"python-3.12.0rc2-arm64.exe", ClassWindows},
	{"python-3.12.0rc2-macos11.pkg", ClassMacOS},
	{"Python-3.12.0rc2.tgz", ClassSource},
	{"Python-3.12.0rc2.tar.xz", ClassSource},
	{"Python-3.12.13.tgz", ClassSource},
	{"python-3.13.0-macos11.pkg", ClassMacOS},
	{"windows-3.13.9.json", ClassWindowsManifest},
	{"Python-3.14.0.tar.xz", ClassSource},
	{"python-3.14.0a2-embed-win32.zip", ClassWindows},
	{"python-3.14.0a2-embed-amd64.zip", ClassWindows},
	{"python-3.14.0a2-embed-arm64.zip", ClassWindows},
	{"python-3.14.0a2.exe", ClassWindows},
	{"python-3.14.0a2-amd64.exe", ClassWindows},
	{"python-3.14.0a2-arm64.exe", ClassWindows},
	{"python-3.14.0a2-macos11.pkg", ClassMacOS},
	{"Python-3.14.0a2.tgz", ClassSource},
	{"Python-3.14.0a2.tar.xz", ClassSource},
	{"Python-3.7.14.tgz", ClassSource},
	{"Python-3.7.15.tar.xz", ClassSource},
	{"Python-3.8.20.tar.xz", ClassSource},
	// pages/python-333.real.truth.json
	{"Python-3.3.3.tar.bz2", ClassSource},
	{"Python-3.3.3.tgz", ClassSource},
	{"Python-3.3.3.tar.xz", ClassSource},
	{"python-3.3.3-macosx10.5.dmg", ClassMacOS},
	{"python-3.3.3-macosx10.6.dmg", ClassMacOS},
	{"python-3.3.3-pdb.zip", ClassWindows},
	{"python333.chm", ClassDocs},
	{"python-3.3.3.amd64.msi", ClassWindows},
	{"python-3.3.3.msi", ClassWindows},
	// python-org.md §3 naming
	{"python-3.9.13-macosx10.9.pkg", ClassMacOS},
	{"python-2.7.18-macosx10.6.pkg", ClassMacOS},
	{"windows-3.14.0.json", ClassWindowsManifest},
	{"windows-3.14.0b3.json", ClassWindowsManifest},
	{"python-3.14.0-aarch64-linux-android.tar.gz", ClassAndroid},
	{"python-3.14.0-x86_64-linux-android.tar.gz", ClassAndroid},
	{"python-3.14.0-iOS-XCframework.tar.gz", ClassIOS},
	{"python3140.chm", ClassDocs},
	{"Python-2.5.5.tar.bz2", ClassSource},
	{"python-2.7.18.amd64.msi", ClassWindows},
	{"python-2.7.18.amd64-pdb.zip", ClassWindows},
	{"python-3.14.0-docs-html.tar.bz2", ClassDocs},
	{"python-3.14.0-docs-pdf-a4.zip", ClassDocs},
	{"python.3.14.0.nupkg", ClassWindows},
	// sidecars and strangers are not artifacts of a known class
	{"Python-3.14.0.tgz.sigstore", ClassOther},
	{"README.txt", ClassOther},
	{"python-3.14.0.zip", ClassOther},
	{"", ClassOther},
}

func TestClassOf(t *testing.T) {
	for _, tt := range classTests {
		if got := ClassOf(tt.name); got != tt.want {
			t.Errorf("ClassOf(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestClassOfTruth checks that every file of the real pages is in the
// table above, so the table keeps up with the real data.
func TestClassOfTruth(t *testing.T) {
	known := map[string]bool{}
	for _, tt := range classTests {
		known[tt.name] = true
	}
	files, _ := filepath.Glob("../manifest/testdata/pages/*.truth.json")
	if len(files) == 0 {
		t.Fatal("no truth files")
	}
	for _, f := range files {
		for _, a := range readTruthNames(t, f) {
			if !known[a.Name] {
				t.Errorf("%s: %s is not in classTests", f, a.Name)
			}
			if ClassOf(a.Name) == ClassOther {
				t.Errorf("%s: %s has no class", f, a.Name)
			}
		}
	}
}

func TestParseClass(t *testing.T) {
	for _, c := range Classes {
		if got, ok := ParseClass(string(c)); !ok || got != c {
			t.Errorf("ParseClass(%q) = %q, %v", c, got, ok)
		}
	}
	if _, ok := ParseClass("Source"); ok {
		t.Error(`ParseClass("Source") succeeded`)
	}
}

// readTruthNames reads the artifacts of a page's .truth.json.
func readTruthNames(t *testing.T, path string) []struct{ Name string } {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tr struct{ Artifacts []struct{ Name string } }
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return tr.Artifacts
}
