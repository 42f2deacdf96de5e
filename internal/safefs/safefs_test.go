//go:build unix

package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestOpenRefusesANamedPipeWithoutBlocking(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, open := range map[string]func(string) (*os.File, error){"Open": Open, "OpenNoFollow": OpenNoFollow} {
		_, err := open(p)
		var pe *fs.PathError
		if !errors.Is(err, ErrNotRegular) || !errors.As(err, &pe) || pe.Err.Error() != "not a regular file (a named pipe)" {
			t.Errorf("%s(fifo): %v", name, err)
		}
	}
	if _, err := Open(t.TempDir()); !errors.Is(err, ErrNotRegular) {
		t.Errorf("Open(dir): %v", err)
	}
}

func TestOpenNoFollowRefusesALink(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target")
	os.WriteFile(target, []byte("x"), 0o644)
	link := filepath.Join(dir, "link")
	os.Symlink(target, link)
	if _, err := OpenNoFollow(link); !errors.Is(err, ErrSymlink) {
		t.Errorf("OpenNoFollow(link): %v, want ErrSymlink", err)
	}
	f, err := Open(link) // a path the user gave: followed
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
}

func TestOpenOwnReplacingRemovesThePlantedLinkNotItsTarget(t *testing.T) {
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	part := filepath.Join(dir, "x.part")
	os.Symlink(victim, part)
	f, err := OpenOwnReplacing(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString("downloaded")
	f.Close()
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Errorf("victim written through the link: %q", data)
	}
	if st, err := os.Lstat(part); err != nil || !st.Mode().IsRegular() {
		t.Errorf("part is %v, %v; want a regular file", st, err)
	}
}

func TestMkdirAllReplacesALinkedFolder(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	os.Mkdir(filepath.Join(root, "partial"), 0o755)
	os.Symlink(outside, filepath.Join(root, "partial", "3.14.1"))
	if err := MkdirAll(root, "partial/3.14.1", 0o755); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(filepath.Join(root, "partial", "3.14.1")); err != nil || !st.IsDir() {
		t.Errorf("not a real folder: %v %v", st, err)
	}
}
