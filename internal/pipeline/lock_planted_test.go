//go:build unix

package pipeline

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A lock file planted in a shared cache used to fail its artifact on every
// run ("cannot read ….lock: a symbolic link, which is not followed here"):
// it is removed (never its target) and the file downloaded afresh.
func TestPlantedLockFileIsReplacedNotFailedOnEveryRun(t *testing.T) {
	plant := map[string]func(t *testing.T, path string){
		"symlink": func(t *testing.T, path string) {
			if err := os.Symlink(filepath.Join(t.TempDir(), "nowhere"), path); err != nil {
				t.Fatal(err)
			}
		},
		"fifo": func(t *testing.T, path string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
		},
		"folder": func(t *testing.T, path string) {
			if err := os.MkdirAll(filepath.Join(path, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
		},
	}
	for name, plantFn := range plant {
		t.Run(name, func(t *testing.T) {
			h := newHostileRun(t)
			dir := filepath.Join(h.cache, "partial", "3.6.15")
			if err := os.MkdirAll(dir, 0o755); err != nil {
				t.Fatal(err)
			}
			lock := filepath.Join(dir, "Python-3.6.15.tgz.lock")
			plantFn(t, lock)
			if res := h.run(t); res.Err != nil {
				t.Fatalf("with a planted %s as the lock file: %v", name, res.Err)
			}
			regular(t, filepath.Join(h.dest, "Python-3.6.15.tgz"), h.good)
			if st, err := os.Lstat(lock); err != nil || !st.Mode().IsRegular() {
				t.Errorf("lock file after the run: %v, %v; want a regular file", st, err)
			}
			if h.s.Hits(hostilePath) != 1 {
				t.Errorf("%d downloads, want 1", h.s.Hits(hostilePath))
			}
		})
	}
}

// A folder planted where the partial file or the cached file goes used to
// fail its artifact on every run ("it is a directory", "cannot move …:
// file exists"): it is removed, and the file downloaded afresh.
func TestPlantedFolderInTheCacheIsReplacedNotFailedOnEveryRun(t *testing.T) {
	for _, where := range []string{"partial/3.6.15/Python-3.6.15.tgz.part", "files/3.6.15/Python-3.6.15.tgz"} {
		t.Run(filepath.Base(where), func(t *testing.T) {
			h := newHostileRun(t)
			planted := filepath.Join(h.cache, filepath.FromSlash(where))
			if err := os.MkdirAll(filepath.Join(planted, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			if res := h.run(t); res.Err != nil {
				t.Fatalf("with a folder at %s: %v", where, res.Err)
			}
			regular(t, filepath.Join(h.dest, "Python-3.6.15.tgz"), h.good)
			regular(t, filepath.Join(h.cache, "files", "3.6.15", "Python-3.6.15.tgz"), h.good)
		})
	}
}
