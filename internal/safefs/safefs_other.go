//go:build !unix

package safefs

import (
	"io/fs"
	"os"
)

// open is the portable form: Lstat first (so that a named pipe is never
// opened), then open and check the open file.
func open(path string, flag int, perm fs.FileMode, noFollow, own bool) (*os.File, error) {
	if st, err := os.Lstat(path); err == nil {
		if noFollow && st.Mode()&fs.ModeSymlink != 0 {
			return nil, &fs.PathError{Op: "open", Path: path, Err: NotRegular(fs.ModeSymlink)}
		}
		if st.Mode()&fs.ModeSymlink == 0 && !st.Mode().IsRegular() {
			return nil, &fs.PathError{Op: "open", Path: path, Err: NotRegular(st.Mode())}
		}
	}
	f, err := os.OpenFile(path, flag, perm)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, &fs.PathError{Op: "open", Path: path, Err: NotRegular(st.Mode())}
	}
	return f, nil
}

// SameFile reports whether the open file f is still the file at path.
func SameFile(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Lstat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

// ownedByOther reports whether st is another user's file: never known here.
func ownedByOther(fs.FileInfo) bool { return false }
