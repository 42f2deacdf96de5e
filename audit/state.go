package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"

	"github.com/pyverify/pyverify/internal/filelock"
	"github.com/pyverify/pyverify/internal/safefs"
	"github.com/pyverify/pyverify/internal/safetext"
)

// StateSchema is the schema of the state file's first line.
const StateSchema = "pyverify.audit-state/v1"

// maxStateLine caps one record of a state file.
const maxStateLine = 4 << 20

// A StateError reports a state file that cannot be used: it is never
// silently ignored, since an audit that trusts a damaged state file could
// skip files it must check.
type StateError struct {
	// Path names the state file.
	Path string
	// Line is the 1-based line of the state file at fault, 0 for the file
	// as a whole.
	Line int
	// Err says what is wrong.
	Err error
}

// ErrStateInUse is wrapped by the *StateError of a state file that another
// audit has open (see OpenState).
var ErrStateInUse = errors.New("in use by another pyverify audit")

// Error says which state file, and what is wrong with it.
func (e *StateError) Error() string {
	if errors.Is(e.Err, ErrStateInUse) {
		return fmt.Sprintf("state file %s is %v", e.Path, e.Err)
	}
	if e.Line > 0 {
		return fmt.Sprintf("state file %s: line %d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("state file %s: %v", e.Path, e.Err)
}

// Unwrap returns e.Err.
func (e *StateError) Unwrap() error { return e.Err }

// A stateRecord is one line of the state file: what was known about one
// artifact when its outcome was recorded.
type stateRecord struct {
	Path    string `json:"path"`
	Size    int64  `json:"size"`
	MtimeNS int64  `json:"mtime_ns"`
	// CtimeNS is the change time, which an edit in place moves even when
	// the modification time is set back (0 where unknown; records
	// without it are re-checked once).
	CtimeNS int64  `json:"ctime_ns"`
	Inode   uint64 `json:"inode"`
	// Context digests everything else the outcome depends on: the
	// sidecars' identities, the listed values and the extra checks.
	Context string `json:"context"`
	// Trust digests the trust material the outcome was reached under.
	Trust string `json:"trust"`
	Entry Entry  `json:"entry"`
	// raw is the record's line in the old state file, when it was read
	// from there: recorded again unchanged, it is written as it was.
	raw []byte
}

type stateHeader struct {
	Schema string `json:"schema"`
}

// A State is an audit's state file, opened for one run: the records of the
// previous run are read on demand from the old file, and the new records
// go to a temporary file beside it that Commit renames over the old one,
// so that the file on disk is always a complete state.
//
// Memory stays small however many files the mirror holds: the State keeps
// only each recorded path and its offset, never the records themselves.
//
// One audit at a time uses a state file: an open State holds an exclusive
// advisory lock on PATH.lock (flock on Unix, LockFileEx on Windows), which
// the system releases when the process ends, however it ends. The lock
// file is left in place. The temporary file a run writes is locked too,
// so that removing the lock file does not let a second audit in: it finds
// the first's temporary file locked and refuses to start.
type State struct {
	path string
	lock *os.File
	old  *os.File
	idx  map[string]*stateRef

	mu       sync.Mutex
	tmp      *os.File
	w        *bufio.Writer
	complete map[string]bool // release directories fully audited in this run
	err      error
}

type stateRef struct {
	off  int64
	n    int
	line int
	done bool // recorded anew in this run
}

// OpenState opens the state file at path, which need not exist yet. A file
// that exists but is not a valid state file is a *StateError, and so is a
// state file another audit has open (wrapping ErrStateInUse: OpenState does
// not wait). Temporary files that a run which died before Commit left
// beside the state file are removed.
func OpenState(path string) (*State, error) {
	s := &State{path: path, idx: map[string]*stateRef{}, complete: map[string]bool{}}
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		return nil, &StateError{Path: path, Err: syscall.EISDIR}
	} else if err == nil && !st.Mode().IsRegular() {
		return nil, &StateError{Path: path, Err: errors.New("not a regular file")}
	}
	lock, err := filelock.Open(path + ".lock")
	var pe *fs.PathError
	switch {
	case errors.Is(err, filelock.ErrLocked):
		return nil, &StateError{Path: path, Err: ErrStateInUse}
	case errors.As(err, &pe):
		return nil, &StateError{Path: path, Err: fmt.Errorf("cannot create its lock file %s: %w", pe.Path, pe.Err)}
	case err != nil:
		return nil, &StateError{Path: path, Err: err}
	}
	s.lock = lock
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		s.Close()
		return nil, &StateError{Path: path, Err: err}
	default:
		s.old = f
		if err := s.index(); err != nil {
			s.Close()
			return nil, err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), tempPrefix(path)+"*.tmp")
	if err != nil {
		s.Close()
		return nil, &StateError{Path: path, Err: err}
	}
	s.tmp = tmp
	// The temporary file is locked for as long as this run writes it: a
	// second audit whose lock file was removed from under the first (or
	// replaced) still finds the first's temporary file locked, and
	// refuses to run instead of deleting it.
	if err := filelock.TryLock(tmp); err != nil {
		s.Close()
		return nil, &StateError{Path: path, Err: ErrStateInUse}
	}
	if err := removeStrayTemps(path, tmp.Name()); err != nil {
		s.Close()
		if errors.Is(err, ErrStateInUse) {
			return nil, &StateError{Path: path, Err: ErrStateInUse}
		}
		return nil, &StateError{Path: path, Err: err}
	}
	s.w = bufio.NewWriterSize(tmp, 1<<16)
	hdr, _ := json.Marshal(stateHeader{Schema: StateSchema})
	s.w.Write(append(hdr, '\n'))
	return s, nil
}

// tempPrefix starts the names of the temporary files of the state file at
// path: ".NAME." then digits (os.CreateTemp), then ".tmp".
func tempPrefix(path string) string { return "." + filepath.Base(path) + "." }

// removeStrayTemps removes the temporary files of the state file at path
// other than own, which only a run that died before Commit leaves: each is
// locked first, and one that another run holds locked (a run whose lock
// file was removed from under it) is left alone, and the error matches
// ErrStateInUse.
func removeStrayTemps(path, own string) error {
	dir := filepath.Dir(path)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	prefix := tempPrefix(path)
	inUse := false
	for _, e := range entries {
		name := e.Name()
		rest, ok := strings.CutPrefix(name, prefix)
		if !ok || !e.Type().IsRegular() || filepath.Join(dir, name) == filepath.Clean(own) {
			continue
		}
		digits, ok := strings.CutSuffix(rest, ".tmp")
		if !ok || digits == "" || strings.Trim(digits, "0123456789") != "" {
			continue
		}
		p := filepath.Join(dir, name)
		f, err := safefs.OpenNoFollow(p)
		if err != nil {
			continue // removed meanwhile, or not a regular file
		}
		switch lerr := filelock.TryLock(f); {
		case errors.Is(lerr, filelock.ErrLocked):
			inUse = true
		case lerr == nil:
			err = os.Remove(p)
		}
		f.Close()
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if inUse {
		return ErrStateInUse
	}
	return nil
}

// index reads the whole old file once, validating every record. Records
// are decoded in batches of about 1 MiB on every CPU (decoding is most of
// the cost of opening a large state file); errors still name the first bad
// line.
func (s *State) index() error {
	r := bufio.NewReaderSize(s.old, 1<<16)
	var off int64
	fail := func(line int, err error) error { return &StateError{Path: s.path, Line: line, Err: err} }
	var batch []stateLine
	size := 0
	flush := func() error {
		paths, errs := decodeBatch(batch)
		for i, l := range batch {
			if errs[i] != nil {
				return fail(l.line, errs[i])
			}
			if _, dup := s.idx[paths[i]]; dup {
				return fail(l.line, fmt.Errorf("%s recorded twice", safetext.Quote(paths[i])))
			}
			s.idx[paths[i]] = &stateRef{off: l.off, n: len(l.data), line: l.line}
		}
		clear(batch)
		batch, size = batch[:0], 0
		return nil
	}
	for line := 1; ; line++ {
		data, err := readLine(r)
		if err == io.EOF && len(data) == 0 {
			if line == 1 {
				return fail(0, errors.New("empty file"))
			}
			return flush()
		}
		if err != nil && err != io.EOF {
			if ferr := flush(); ferr != nil {
				return ferr
			}
			return fail(line, err)
		}
		n := len(data)
		if data[n-1] != '\n' {
			if ferr := flush(); ferr != nil {
				return ferr
			}
			return fail(line, errors.New("truncated record (no end of line)"))
		}
		if line == 1 {
			var h stateHeader
			if json.Unmarshal(data, &h) != nil || h.Schema != StateSchema {
				return fail(line, fmt.Errorf("not a %s file", StateSchema))
			}
		} else {
			batch = append(batch, stateLine{data: data, off: off, line: line})
			if size += n; size >= 1<<20 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		off += int64(n)
	}
}

// A stateLine is a record of the old state file, read but not yet decoded.
type stateLine struct {
	data []byte
	off  int64
	line int
}

// decodeBatch decodes lines on up to GOMAXPROCS goroutines, giving each
// record's path or error.
func decodeBatch(lines []stateLine) ([]string, []error) {
	paths, errs := make([]string, len(lines)), make([]error, len(lines))
	workers := min(runtime.GOMAXPROCS(0), 8, len(lines))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(lines); i += workers {
				rec, err := decodeRecord(lines[i].data)
				paths[i], errs[i] = rec.Path, err
			}
		})
	}
	wg.Wait()
	return paths, errs
}

func readLine(r *bufio.Reader) ([]byte, error) {
	var out []byte
	for {
		chunk, err := r.ReadSlice('\n')
		out = append(out, chunk...)
		if len(out) > maxStateLine {
			return nil, fmt.Errorf("record longer than %d bytes", maxStateLine)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return out, err
	}
}

func decodeRecord(data []byte) (stateRecord, error) {
	var rec stateRecord
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rec); err != nil {
		return rec, fmt.Errorf("malformed record: %v", err)
	}
	if !fs.ValidPath(rec.Path) || rec.Path == "." || rec.Path != rec.Entry.Path || rec.Size < 0 || rec.Trust == "" || rec.Context == "" {
		return rec, fmt.Errorf("malformed record for %s", safetext.Quote(rec.Path))
	}
	return rec, nil
}

// lookup returns the record of path from the previous run.
func (s *State) lookup(path string) (stateRecord, bool, error) {
	ref, ok := s.idx[path]
	if !ok {
		return stateRecord{}, false, nil
	}
	buf := make([]byte, ref.n)
	if _, err := s.old.ReadAt(buf, ref.off); err != nil {
		return stateRecord{}, false, &StateError{Path: s.path, Line: ref.line, Err: err}
	}
	rec, err := decodeRecord(buf)
	if err != nil {
		return stateRecord{}, false, &StateError{Path: s.path, Line: ref.line, Err: fmt.Errorf("changed while in use: %v", err)}
	}
	rec.raw = buf
	return rec, true, nil
}

// completed notes that every artifact of the release directory dir was
// recorded in this run: its old records that were not recorded anew (files
// the mirror no longer holds) are dropped on Commit.
func (s *State) completed(dir string) {
	s.mu.Lock()
	s.complete[dir] = true
	s.mu.Unlock()
}

// record adds the outcome of one artifact to the new state.
func (s *State) record(rec stateRecord) {
	var err error
	data := rec.raw // with its newline
	if data == nil {
		if data, err = json.Marshal(rec); err == nil {
			data = append(data, '\n')
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err == nil {
		_, err = s.w.Write(data)
	}
	if err != nil && s.err == nil {
		s.err = err
	}
	if ref, ok := s.idx[rec.Path]; ok {
		ref.done = true
	}
}

// Commit writes the new state: the records of this run, and the previous
// run's records that this run did not replace, unless their release
// directory was audited completely (then the file is gone from the
// mirror). Records of other shards, and of directories a cancelled run did
// not finish, are kept. The
// new file replaces the old one atomically (a temporary file, synced, then
// renamed). Commit after a cancelled run keeps what was audited so far.
func (s *State) Commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tmp == nil {
		return &StateError{Path: s.path, Err: errors.New("already committed or closed")}
	}
	err := s.err
	for path, ref := range s.idx {
		if err != nil {
			break
		}
		dir, _, _ := strings.Cut(path, "/")
		if ref.done || s.complete[dir] {
			continue
		}
		buf := make([]byte, ref.n)
		if _, err = s.old.ReadAt(buf, ref.off); err == nil {
			_, err = s.w.Write(buf)
		}
	}
	if err == nil {
		err = s.w.Flush()
	}
	if err == nil {
		err = s.tmp.Sync()
	}
	if cerr := s.tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(s.tmp.Name(), s.path)
	}
	if err != nil {
		os.Remove(s.tmp.Name())
	}
	s.tmp = nil
	s.release()
	if err != nil {
		return &StateError{Path: s.path, Err: err}
	}
	return nil
}

// release closes the previous state and gives up the lock.
func (s *State) release() {
	if s.old != nil {
		s.old.Close()
		s.old = nil
	}
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
}

// Close releases the state without writing it (after Commit, a no-op).
func (s *State) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tmp != nil {
		s.tmp.Close()
		os.Remove(s.tmp.Name())
		s.tmp = nil
	}
	s.release()
}
