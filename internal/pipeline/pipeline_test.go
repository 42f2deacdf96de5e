package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

func TestPlaceReplacesAtomicallyAndLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "cache", "Python-3.12.4.tgz")
	dest := filepath.Join(dir, "dest")
	for _, d := range []string{filepath.Dir(src), dest} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(src, []byte("verified"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dest, "Python-3.12.4.tgz"), []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := place(openFile(t, src), dest, "Python-3.12.4.tgz")
	if err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(got); string(data) != "verified" {
		t.Errorf("%s holds %q, want the verified bytes", got, data)
	}
	entries, _ := os.ReadDir(dest)
	if len(entries) != 1 {
		t.Errorf("dest holds %d entries, want only the verified file", len(entries))
	}
}

func TestPlaceRefusesPaths(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"", ".", "..", "../x", `a\b`, "a/b"} {
		if _, err := place(nil, dir, name); err == nil {
			t.Errorf("place(%q) succeeded", name)
		}
	}
}

func TestSizeLimit(t *testing.T) {
	for _, tt := range []struct {
		a    manifest.Artifact
		want int64
	}{
		{manifest.Artifact{Size: 1234, SizeText: "1234"}, 1234},
		{manifest.Artifact{SizeText: "25.9\u00a0MB"}, 27210547},
		{manifest.Artifact{Class: manifest.ClassSource}, 256 << 20},
		{manifest.Artifact{Class: manifest.ClassMacOS, SizeText: "n/a"}, 1 << 30},
	} {
		if got := sizeLimit(tt.a); got != tt.want {
			t.Errorf("sizeLimit(%+v) = %d, want %d", tt.a, got, tt.want)
		}
	}
}

func TestPlaceVerifiedPlacesOnlySignaturesThatPassed(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	dest := filepath.Join(dir, "dest")
	os.Mkdir(dest, 0o755)
	os.WriteFile(src, []byte("verified"), 0o644)
	target := verify.Target{Name: "Python-3.14.1.tgz",
		Signature: verify.Sidecar{Data: []byte("asc")}, Bundle: verify.Sidecar{Data: []byte("bundle")}}
	rep := verify.ArtifactReport{OK: true, Checks: []verify.CheckResult{
		{Kind: verify.KindOpenPGP, Status: verify.StatusSkipped},
		{Kind: verify.KindSigstore, Status: verify.StatusPass, Required: true},
	}}
	if _, err := placeVerified(openFile(t, src), dest, "Python-3.14.1.tgz", target, rep); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(filepath.Join(dest, "Python-3.14.1.tgz.sigstore")); string(data) != "bundle" {
		t.Errorf("the bundle that verified is not placed: %q", data)
	}
	if _, err := os.Stat(filepath.Join(dest, "Python-3.14.1.tgz.asc")); err == nil {
		t.Error("an .asc the checks skipped was placed")
	}
	if entries, _ := os.ReadDir(dest); len(entries) != 2 {
		t.Errorf("dest holds %d entries, want the file and its bundle", len(entries))
	}
}

// openFile opens path for reading until the test ends.
func openFile(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}
