package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/pyverify/pyverify/manifest"
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
	got, err := place(src, dest, "Python-3.12.4.tgz")
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
		if _, err := place(filepath.Join(dir, "src"), dir, name); err == nil {
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
		{manifest.Artifact{}, maxUnknownSize},
		{manifest.Artifact{SizeText: "n/a"}, maxUnknownSize},
	} {
		if got := sizeLimit(tt.a); got != tt.want {
			t.Errorf("sizeLimit(%+v) = %d, want %d", tt.a, got, tt.want)
		}
	}
}
