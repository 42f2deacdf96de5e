package pipeline

// Placing verified files into a destination folder. Every file placed is a
// file of its own (a reflink where the file system offers one, else a
// copy), never a hard or symbolic link into the cache: changing the cache
// later cannot change a verified file. It is written under a temporary
// name (.pyverify-NAME.DIGITS.tmp), locked while it is written, and renamed
// to its final name, so that DEST/NAME is either absent or complete.
// Temporary files of that naming that no process holds (a run killed while
// copying) are removed when a run starts (CleanStale).

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/pyverify/pyverify/internal/filelock"
	"github.com/pyverify/pyverify/internal/safefs"
	"github.com/pyverify/pyverify/names"
)

// A PlaceError reports a file that verified but could not be placed in
// the destination folder.
type PlaceError struct {
	Name string // the file's name
	Path string // where it was to be placed
	Err  error  // why it could not be
}

// Error words the failure as "NAME: verified, but cannot be placed at PATH: why".
func (e *PlaceError) Error() string {
	why := e.Err.Error()
	var pe *fs.PathError
	switch {
	case errors.Is(e.Err, syscall.EISDIR):
		why = "a folder is in the way"
	case errors.Is(e.Err, fs.ErrPermission):
		why = "permission denied"
	case errors.Is(e.Err, syscall.ENOSPC):
		why = "no space left on the device"
	case errors.As(e.Err, &pe):
		why = pe.Err.Error()
	}
	return fmt.Sprintf("%s: verified, but cannot be placed at %s: %s", e.Name, e.Path, why)
}

// Unwrap returns e.Err.
func (e *PlaceError) Unwrap() error { return e.Err }

// place copies the verified open file src into dest under name, through a
// temporary file renamed into place.
func place(src *os.File, dest, name string) (string, error) {
	final := filepath.Join(dest, name)
	err := writeVia(dest, name, func(tmp *os.File) error {
		if safefs.Clone(tmp, src) == nil {
			return nil
		}
		if err := tmp.Truncate(0); err != nil {
			return err
		}
		if _, err := tmp.Seek(0, io.SeekStart); err != nil {
			return err
		}
		_, err := io.Copy(tmp, io.NewSectionReader(src, 0, 1<<62))
		return err
	})
	if err != nil {
		return "", err
	}
	return final, nil
}

// writeFile writes data to dest/name through a temporary file, so that
// dest/name is either absent or complete.
func writeFile(dest, name string, data []byte) error {
	return writeVia(dest, name, func(tmp *os.File) error {
		_, err := tmp.Write(data)
		return err
	})
}

// writeVia creates a locked temporary file in dest, fills it with fill,
// syncs it and renames it to dest/name. The file's mode is 0666 less the
// umask, as for any file a program creates.
func writeVia(dest, name string, fill func(*os.File) error) error {
	final := filepath.Join(dest, name)
	if names.CheckFileName(name) != nil {
		return &PlaceError{Name: name, Path: final, Err: errors.New("not a plain file name")}
	}
	fail := func(err error) error { return &PlaceError{Name: name, Path: final, Err: err} }
	if st, err := os.Lstat(final); err == nil && st.IsDir() {
		return fail(&fs.PathError{Op: "rename", Path: final, Err: syscall.EISDIR})
	}
	tmp, err := createTemp(dest, name)
	if err != nil {
		return fail(err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name()) // no-op once renamed
	}()
	err = fill(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		if st, lerr := os.Lstat(final); lerr == nil && st.IsDir() {
			err = &fs.PathError{Op: "rename", Path: final, Err: syscall.EISDIR}
		}
		return fail(err)
	}
	return nil
}

// tempPrefix and tempSuffix frame the names of the temporary files placed
// in a destination folder: ".pyverify-NAME.DIGITS.tmp".
const (
	tempPrefix = ".pyverify-"
	tempSuffix = ".tmp"
)

// createTemp creates and locks a new temporary file for name in dir. The
// lock tells CleanStale that the file is in use.
func createTemp(dir, name string) (*os.File, error) {
	for try := 0; ; try++ {
		p := filepath.Join(dir, tempPrefix+name+"."+strconv.FormatUint(uint64(rand.Uint32()), 10)+tempSuffix)
		f, err := safefs.OpenFile(p, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if errors.Is(err, fs.ErrExist) && try < 100 {
			continue
		}
		if err != nil {
			return nil, err
		}
		if err := filelock.TryLock(f); err == nil && safefs.SameFile(f, p) {
			return f, nil
		}
		// Another run's CleanStale removed it before it was locked.
		f.Close()
		if try >= 100 {
			return nil, fmt.Errorf("%s: cannot create a temporary file", dir)
		}
	}
}

// isTempName reports whether name is one of createTemp's names.
func isTempName(name string) bool {
	rest, ok := strings.CutPrefix(name, tempPrefix)
	if !ok {
		return false
	}
	rest, ok = strings.CutSuffix(rest, tempSuffix)
	if !ok {
		return false
	}
	i := strings.LastIndexByte(rest, '.')
	if i <= 0 || i == len(rest)-1 {
		return false
	}
	return strings.Trim(rest[i+1:], "0123456789") == ""
}

// CleanStale removes from dir the temporary files a run left when it was
// killed while placing a file: regular files named
// ".pyverify-NAME.DIGITS.tmp" that no process holds locked. Files of other
// names, and those a running process is writing, are left alone. It
// returns the names removed.
func CleanStale(dir string) ([]string, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var removed []string
	for _, de := range des {
		if !de.Type().IsRegular() || !isTempName(de.Name()) {
			continue
		}
		p := filepath.Join(dir, de.Name())
		f, err := safefs.OpenFile(p, os.O_RDONLY, 0)
		if err != nil {
			continue
		}
		if filelock.TryLock(f) == nil && safefs.SameFile(f, p) {
			if os.Remove(p) == nil {
				removed = append(removed, de.Name())
			}
		}
		f.Close()
	}
	return removed, nil
}
