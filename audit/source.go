package audit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/pyverify/pyverify/internal/safefs"
)

// A FileInfo describes one entry of a mirror directory.
type FileInfo struct {
	Name string
	// Dir reports a directory.
	Dir bool
	// Link reports a symbolic link to a directory, which the audit does
	// not follow.
	Link bool
	// OutsideRoot reports a symbolic link to a file outside the mirror's
	// root, which the audit never reads (a LinkOutside problem).
	OutsideRoot bool
	// Size is the size in bytes, or -1 when the source does not know it.
	Size int64
	// ModTimeNS, CtimeNS and Inode identify a version of a local file
	// for incremental audits; they are 0 when the source cannot tell (a
	// web server), and such files are always read. The change time
	// (ctime) cannot be set back by the file's owner as the modification
	// time can (touch -d), so an edit in place is seen.
	ModTimeNS int64
	CtimeNS   int64
	Inode     uint64
}

// A Source is the mirror tree an audit reads. Paths are relative to the
// mirror's root, with slashes; "" is the root. Implementations must be safe
// for concurrent use.
type Source interface {
	// ReadDir lists the directory dir, sorted by name.
	ReadDir(ctx context.Context, dir string) ([]FileInfo, error)
	// ReadFile reads a small file (a sidecar) of at most limit bytes; a
	// longer file is an error.
	ReadFile(ctx context.Context, path string, limit int64) ([]byte, error)
	// Stream writes the file's bytes, once, in order, to the writer
	// newSink returns. If a transfer has to start over, Stream calls
	// newSink again; the writer last returned has then seen the whole
	// file. A file longer than limit bytes fails with an error matching
	// ErrTooLarge, after at most limit bytes were written.
	Stream(ctx context.Context, path string, limit int64, newSink func() (io.Writer, error)) error
}

// ErrTooLarge is matched by the error of a Source's Stream or ReadFile for
// a file longer than the limit given.
var ErrTooLarge = errors.New("larger than expected")

// tooLargeError is a file over its limit; it matches ErrTooLarge.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string        { return fmt.Sprintf("larger than %d bytes", e.limit) }
func (e *tooLargeError) Is(target error) bool { return target == ErrTooLarge }

// ErrOutsideRoot is matched by the error of reading, in a local mirror, a
// symbolic link that leads outside its root.
var ErrOutsideRoot = errors.New("a symbolic link to a file outside the mirror")

// Dir returns the Source for the local directory root. Only regular files
// are read (a named pipe or a device is refused, without blocking), and
// symbolic links to files only when they stay inside root.
func Dir(root string) Source { return &dirSource{root: root} }

type dirSource struct {
	root string

	once sync.Once
	real string // root with its links resolved
}

func (d *dirSource) path(rel string) (string, error) {
	if rel != "" && !fs.ValidPath(rel) {
		return "", fmt.Errorf("%q: not a path inside the mirror", rel)
	}
	return filepath.Join(d.root, filepath.FromSlash(rel)), nil
}

// inside reports whether the symbolic link at p leads to a path inside
// the root (and where), resolving every link on the way.
func (d *dirSource) inside(p string) (string, bool) {
	d.once.Do(func() {
		d.real, _ = filepath.EvalSymlinks(d.root)
		if d.real != "" {
			d.real, _ = filepath.Abs(d.real)
		}
	})
	target, err := filepath.EvalSymlinks(p)
	if err != nil || d.real == "" {
		return "", false
	}
	if target, err = filepath.Abs(target); err != nil {
		return "", false
	}
	rel, err := filepath.Rel(d.real, target)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", false
	}
	return target, true
}

// open opens a regular file of the mirror: through a symbolic link only
// when it stays inside the root, never blocking on a named pipe.
func (d *dirSource) open(rel string) (*os.File, error) {
	p, err := d.path(rel)
	if err != nil {
		return nil, err
	}
	st, err := os.Lstat(p)
	if err != nil {
		return nil, err
	}
	if st.Mode()&fs.ModeSymlink == 0 {
		return safefs.OpenNoFollow(p)
	}
	if _, err := os.Stat(p); err != nil {
		return nil, err // a dangling link
	}
	target, ok := d.inside(p)
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: p, Err: ErrOutsideRoot}
	}
	return safefs.OpenNoFollow(target)
}

func (d *dirSource) ReadDir(ctx context.Context, dir string) ([]FileInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := d.path(dir)
	if err != nil {
		return nil, err
	}
	des, err := os.ReadDir(p)
	if err != nil {
		return nil, err
	}
	out := make([]FileInfo, 0, len(des))
	for _, de := range des {
		fi := FileInfo{Name: de.Name(), Size: -1}
		st, err := de.Info()
		if err != nil {
			if os.IsNotExist(err) {
				continue // removed while listing
			}
			return nil, err
		}
		if st.Mode()&fs.ModeSymlink != 0 {
			full := filepath.Join(p, de.Name())
			if target, err := os.Stat(full); err == nil {
				if target.IsDir() {
					fi.Link = true
					out = append(out, fi)
					continue
				}
				if _, ok := d.inside(full); !ok {
					fi.OutsideRoot = true
					out = append(out, fi)
					continue
				}
				st = target
			}
			// A dangling link is listed as a file; reading it fails and
			// the audit reports it unreadable.
		}
		fi.Dir = st.IsDir()
		if st.Mode().IsRegular() {
			fi.Size = st.Size()
			fi.ModTimeNS = st.ModTime().UnixNano()
			fi.CtimeNS = ctime(st)
			fi.Inode = inode(st)
		}
		out = append(out, fi)
	}
	slices.SortFunc(out, func(a, b FileInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (d *dirSource) ReadFile(ctx context.Context, rel string, limit int64) ([]byte, error) {
	f, err := d.open(rel)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &tooLargeError{limit}
	}
	return data, nil
}

func (d *dirSource) Stream(ctx context.Context, rel string, limit int64, newSink func() (io.Writer, error)) error {
	f, err := d.open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := newSink()
	if err != nil {
		return err
	}
	n, err := io.Copy(w, ctxReader{ctx, io.LimitReader(f, limit)})
	if err == nil && n == limit {
		var one [1]byte
		if m, _ := f.Read(one[:]); m > 0 {
			return &tooLargeError{limit}
		}
	}
	return err
}

// ctxReader stops a long read when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
