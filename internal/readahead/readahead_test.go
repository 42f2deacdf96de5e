package readahead

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestSequential: the advice changes nothing about what is read.
func TestSequential(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f")
	want := []byte("some bytes to read once, start to end")
	if err := os.WriteFile(path, want, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	Sequential(f)
	got, err := io.ReadAll(f)
	if err != nil || string(got) != string(want) {
		t.Fatalf("read %q, %v", got, err)
	}
	// Advice on a closed file is ignored, not a crash.
	g, _ := os.Open(path)
	g.Close()
	Sequential(g)
}
