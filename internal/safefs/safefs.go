// Package safefs opens files in folders that others can write to (a
// download cache shared between CI jobs, a mirror tree rsync'ed as root)
// without being led astray: a named pipe or a device never blocks or feeds
// a reader forever, a symbolic link planted where pyverify keeps its own
// files is never followed, and a file another user owns is never taken for
// one of ours.
//
// Every open is non-blocking (a FIFO opens at once instead of waiting for
// a writer), then the open descriptor is checked with fstat, so that what
// is checked is what is read.
package safefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// ErrNotRegular is the cause (in an *fs.PathError) of opening something
// that is not a regular file: a directory, named pipe, device or socket.
var ErrNotRegular = errors.New("not a regular file")

// ErrSymlink is the cause of opening, with a function that never follows
// one, a path whose last element is a symbolic link.
var ErrSymlink = errors.New("a symbolic link, which is not followed here")

// ErrNotOwned is the cause of opening one of pyverify's own files (cache,
// partial download) that another user owns.
var ErrNotOwned = errors.New("owned by another user")

// kindError words a file mode that is not a regular file.
type kindError struct{ mode fs.FileMode }

func (e *kindError) Error() string {
	switch {
	case e.mode.IsDir():
		return "it is a directory"
	case e.mode&fs.ModeNamedPipe != 0:
		return "not a regular file (a named pipe)"
	case e.mode&fs.ModeCharDevice != 0:
		return "not a regular file (a character device)"
	case e.mode&fs.ModeDevice != 0:
		return "not a regular file (a device)"
	case e.mode&fs.ModeSocket != 0:
		return "not a regular file (a socket)"
	case e.mode&fs.ModeSymlink != 0:
		return ErrSymlink.Error()
	}
	return ErrNotRegular.Error()
}

func (e *kindError) Is(target error) bool {
	return target == ErrNotRegular || target == ErrSymlink && e.mode&fs.ModeSymlink != 0
}

// NotRegular returns the error for a file of the given mode, which is not
// a regular file: it matches ErrNotRegular and words the file's kind.
func NotRegular(mode fs.FileMode) error { return &kindError{mode} }

// Open opens path for reading, following symbolic links (a path the user
// gave), and fails with an error matching ErrNotRegular, without blocking,
// if it is not a regular file.
func Open(path string) (*os.File, error) { return open(path, os.O_RDONLY, 0, false, false) }

// OpenNoFollow is Open, except that a symbolic link as the last element of
// path is refused (ErrSymlink) instead of followed.
func OpenNoFollow(path string) (*os.File, error) {
	return open(path, os.O_RDONLY, 0, true, false)
}

// OpenFile opens (with flag and perm, as os.OpenFile) a regular file, never
// following a symbolic link as the last element of path, and without
// blocking on a named pipe.
func OpenFile(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return open(path, flag, perm, true, false)
}

// OpenOwn opens one of pyverify's own files (in the cache): a regular file,
// not a symbolic link, owned by the effective user. flag may add O_RDWR,
// O_CREATE, O_EXCL, O_TRUNC to the defaults.
func OpenOwn(path string, flag int, perm fs.FileMode) (*os.File, error) {
	return open(path, flag, perm, true, true)
}

// OpenOwnReplacing is OpenOwn for a file that pyverify may (re)create: if
// what is at path is a symbolic link, a named pipe, a device, a folder or
// a file of another user, that entry (never a link's target) is removed
// (see RemoveEntry) and a new file is created in its place.
func OpenOwnReplacing(path string, flag int, perm fs.FileMode) (*os.File, error) {
	f, err := OpenOwn(path, flag, perm)
	if err == nil {
		return f, nil
	}
	st, lerr := os.Lstat(path)
	if lerr != nil || st.Mode().IsRegular() && !errors.Is(err, ErrNotOwned) && !ownedByOther(st) {
		return nil, err // nothing planted: another failure
	}
	if rerr := RemoveEntry(path); rerr != nil {
		return nil, fmt.Errorf("%w (and it cannot be removed: %v)", err, rerr)
	}
	return OpenOwn(path, flag|os.O_CREATE|os.O_EXCL, perm)
}

// RemoveEntry removes what is at path in a folder pyverify owns, never
// following a symbolic link: a file, link, named pipe or device is
// unlinked, a folder removed with all it holds (os.RemoveAll follows no
// link inside it). Nothing at path is not an error.
func RemoveEntry(path string) error {
	st, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case st.IsDir():
		return os.RemoveAll(path)
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// MkdirAll creates the folder root/rel and the folders between, as
// os.MkdirAll does, except that a symbolic link (or anything else not a
// folder) found below root in the way is removed and replaced with a real
// folder: pyverify's own folders (the cache's) never lead outside root.
// root itself is used as is.
func MkdirAll(root, rel string, perm fs.FileMode) error {
	if err := os.MkdirAll(root, perm); err != nil {
		return err
	}
	p := root
	for _, elem := range splitPath(rel) {
		p = p + string(os.PathSeparator) + elem
		st, err := os.Lstat(p)
		switch {
		case err == nil && st.IsDir():
			continue
		case err == nil:
			if err := os.Remove(p); err != nil {
				return err
			}
		case !errors.Is(err, fs.ErrNotExist):
			return err
		}
		if err := os.Mkdir(p, perm); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		if st, err := os.Lstat(p); err != nil || !st.IsDir() {
			return &fs.PathError{Op: "mkdir", Path: p, Err: errors.New("replaced while being created")}
		}
	}
	return nil
}

func splitPath(rel string) []string {
	var out []string
	cur := ""
	for _, r := range rel {
		if r == '/' || r == os.PathSeparator {
			if cur != "" && cur != "." {
				out = append(out, cur)
			}
			cur = ""
			continue
		}
		cur += string(r)
	}
	if cur != "" && cur != "." {
		out = append(out, cur)
	}
	return out
}
