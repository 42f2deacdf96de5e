//go:build unix

package filelock

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// A lock file planted in a shared cache (a link, a named pipe, a folder)
// is removed and replaced by OpenOwn, never followed; Open refuses it.
func TestOpenOwnReplacesPlantedLockFile(t *testing.T) {
	plant := map[string]func(t *testing.T, path, victim string){
		"symlink": func(t *testing.T, path, victim string) {
			if err := os.Symlink(victim, path); err != nil {
				t.Fatal(err)
			}
		},
		"dangling symlink": func(t *testing.T, path, _ string) {
			if err := os.Symlink(filepath.Join(t.TempDir(), "nowhere"), path); err != nil {
				t.Fatal(err)
			}
		},
		"fifo": func(t *testing.T, path, _ string) {
			if err := syscall.Mkfifo(path, 0o644); err != nil {
				t.Fatal(err)
			}
		},
		"folder": func(t *testing.T, path, _ string) {
			if err := os.MkdirAll(filepath.Join(path, "sub"), 0o755); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(filepath.Join(path, "sub", "f"), nil, 0o644)
		},
	}
	for name, plantFn := range plant {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			victim := filepath.Join(t.TempDir(), "victim")
			os.WriteFile(victim, []byte("precious"), 0o600)
			path := filepath.Join(dir, "x.lock")
			plantFn(t, path, victim)
			if f, err := Open(path); err == nil {
				f.Close()
				t.Fatal("Open took a planted entry for a lock file")
			}
			f, err := OpenOwn(path)
			if err != nil {
				t.Fatalf("OpenOwn: %v", err)
			}
			defer f.Close()
			st, err := os.Lstat(path)
			if err != nil || !st.Mode().IsRegular() {
				t.Fatalf("lock file after OpenOwn: %v, %v; want a regular file", st, err)
			}
			if data, _ := os.ReadFile(victim); string(data) != "precious" {
				t.Errorf("a link's target was changed: %q", data)
			}
			if _, err := OpenOwn(path); err != ErrLocked {
				t.Errorf("second OpenOwn: %v, want ErrLocked", err)
			}
		})
	}
}
