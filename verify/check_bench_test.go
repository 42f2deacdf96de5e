package verify

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func writeTempFile(b *testing.B, size int64) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "artifact")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(f, io.LimitReader(rand.NewChaCha8([32]byte{1}), size)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}
