package audit

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// A FileInfo describes one entry of a mirror directory.
type FileInfo struct {
	Name string
	// Dir reports a directory.
	Dir bool
	// Link reports a symbolic link to a directory, which the audit does
	// not follow.
	Link bool
	// Size is the size in bytes, or -1 when the source does not know it.
	Size int64
	// ModTimeNS and Inode identify a version of a local file for
	// incremental audits; they are 0 when the source cannot tell (a web
	// server), and such files are always read.
	ModTimeNS int64
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
	// file.
	Stream(ctx context.Context, path string, newSink func() (io.Writer, error)) error
}

// Dir returns the Source for the local directory root.
func Dir(root string) Source { return dirSource{root} }

type dirSource struct{ root string }

func (d dirSource) path(rel string) (string, error) {
	if rel != "" && !fs.ValidPath(rel) {
		return "", fmt.Errorf("%q: not a path inside the mirror", rel)
	}
	return filepath.Join(d.root, filepath.FromSlash(rel)), nil
}

func (d dirSource) open(rel string) (*os.File, error) {
	p, err := d.path(rel)
	if err != nil {
		return nil, err
	}
	return os.Open(p)
}

func (d dirSource) ReadDir(ctx context.Context, dir string) ([]FileInfo, error) {
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
			if target, err := os.Stat(filepath.Join(p, de.Name())); err == nil {
				if target.IsDir() {
					fi.Link = true
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
			fi.Inode = inode(st)
		}
		out = append(out, fi)
	}
	slices.SortFunc(out, func(a, b FileInfo) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (d dirSource) ReadFile(ctx context.Context, rel string, limit int64) ([]byte, error) {
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
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

func (d dirSource) Stream(ctx context.Context, rel string, newSink func() (io.Writer, error)) error {
	f, err := d.open(rel)
	if err != nil {
		return err
	}
	defer f.Close()
	w, err := newSink()
	if err != nil {
		return err
	}
	_, err = io.Copy(w, ctxReader{ctx, f})
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
