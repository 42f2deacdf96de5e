package audit

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unicode/utf8"

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
// each recorded path with its offset and identity (size, times, inode,
// context, trust: what decides reuse, about 150 bytes), never the records'
// entries, which are read again only for the files that did not change.
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

	// block is the part of old at blockOff last read (see readRecord).
	blockMu  sync.Mutex
	block    []byte
	blockOff int64

	mu       sync.Mutex
	tmp      *os.File
	w        *bufio.Writer
	complete map[string]bool // release directories fully audited in this run
	err      error
}

// A stateRef is what the index keeps of one record: where its line is,
// a hash of the line (to notice a state file changed while in use), and
// the record's identity fields, which decide whether it can be reused
// without reading the line again.
type stateRef struct {
	off  int64
	n    int
	line int
	done bool // recorded anew in this run
	sum  uint64

	size, mtimeNS, ctimeNS int64
	inode                  uint64
	context                string
	trust                  string // interned: one string per trust fingerprint
	// entryOff and entryLen place the record's entry in its line.
	entryOff, entryLen int
}

// matches reports whether the record was made for a file of this identity
// (size, modification and change time, inode), in this context.
func (r *stateRef) matches(f FileInfo, context string) bool {
	return r.size == f.Size && r.mtimeNS == f.ModTimeNS && r.ctimeNS == f.CtimeNS && r.inode == f.Inode && r.context == context
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
	trusts := map[string]string{}
	flush := func() error {
		refs, errs := decodeBatch(batch)
		for i, l := range batch {
			if errs[i] != nil {
				return fail(l.line, errs[i])
			}
			path := refs[i].path
			if _, dup := s.idx[path]; dup {
				return fail(l.line, fmt.Errorf("%s recorded twice", safetext.Quote(path)))
			}
			ref := &refs[i].stateRef
			ref.off, ref.n, ref.line = l.off, len(l.data), l.line
			t, ok := trusts[ref.trust]
			if !ok {
				t = ref.trust
				trusts[t] = t
			}
			ref.trust = t
			s.idx[path] = ref
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

// An indexedRecord is a record's path and what the index keeps of it.
type indexedRecord struct {
	path string
	stateRef
}

// decodeBatch indexes lines on up to GOMAXPROCS goroutines, giving each
// record's path and identity, or its error.
func decodeBatch(lines []stateLine) ([]indexedRecord, []error) {
	refs, errs := make([]indexedRecord, len(lines)), make([]error, len(lines))
	workers := min(runtime.GOMAXPROCS(0), 8, len(lines))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(lines); i += workers {
				refs[i], errs[i] = indexRecord(lines[i].data)
			}
		})
	}
	wg.Wait()
	return refs, errs
}

// A recordHead is a record with its entry left undecoded: what opening a
// state file decodes. The entry is decoded in full (and validated field
// by field) when the record is used (decodeRecord).
type recordHead struct {
	Path    string          `json:"path"`
	Size    int64           `json:"size"`
	MtimeNS int64           `json:"mtime_ns"`
	CtimeNS int64           `json:"ctime_ns"`
	Inode   uint64          `json:"inode"`
	Context string          `json:"context"`
	Trust   string          `json:"trust"`
	Entry   json.RawMessage `json:"entry"`
}

// indexRecord validates a record's line as far as the index needs: well
// formed JSON with no unknown field at the top, a valid path that its
// entry's path repeats, a context and a trust.
func indexRecord(data []byte) (indexedRecord, error) {
	if r, ok := indexFast(data); ok {
		return r, nil
	}
	var h recordHead
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&h); err != nil {
		return indexedRecord{}, fmt.Errorf("malformed record: %v", err)
	}
	var e struct {
		Path string `json:"path"`
	}
	if len(h.Entry) == 0 || h.Entry[0] != '{' || json.Unmarshal(h.Entry, &e) != nil ||
		!fs.ValidPath(h.Path) || h.Path == "." || h.Path != e.Path || h.Size < 0 || h.Trust == "" || h.Context == "" {
		return indexedRecord{}, fmt.Errorf("malformed record for %s", safetext.Quote(h.Path))
	}
	// The entry's bytes appear once in the line as they are: the same
	// text inside a JSON string would have its quotes escaped.
	off := bytes.LastIndex(data, h.Entry)
	if off < 0 {
		return indexedRecord{}, fmt.Errorf("malformed record for %s", safetext.Quote(h.Path))
	}
	return indexedRecord{path: h.Path, stateRef: stateRef{
		sum:  lineSum(data),
		size: h.Size, mtimeNS: h.MtimeNS, ctimeNS: h.CtimeNS, inode: h.Inode,
		context: h.Context, trust: h.Trust, entryOff: off, entryLen: len(h.Entry),
	}}, nil
}

// indexFast indexes a record in the form State.record writes it (its
// fields in order, no space, no escape in its strings before the entry)
// without a JSON decoder, which would scan the entry twice: the entry is
// only checked to be a valid JSON object whose path is the record's. A
// line in any other form is left to the decoder (ok false).
func indexFast(data []byte) (r indexedRecord, ok bool) {
	rest := data
	str := func(key string) (string, bool) {
		var ok bool
		if rest, ok = bytes.CutPrefix(rest, []byte(key)); !ok {
			return "", false
		}
		end := bytes.IndexByte(rest, '"')
		if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 || !utf8.Valid(rest[:end]) {
			return "", false
		}
		for _, c := range rest[:end] {
			if c < 0x20 {
				return "", false
			}
		}
		v := string(rest[:end])
		rest = rest[end+1:]
		return v, true
	}
	num := func(key string) (uint64, bool) {
		var ok bool
		if rest, ok = bytes.CutPrefix(rest, []byte(key)); !ok {
			return 0, false
		}
		n := 0
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n == 0 || n > 19 || (n > 1 && rest[0] == '0') {
			return 0, false
		}
		v, err := strconv.ParseUint(string(rest[:n]), 10, 64)
		rest = rest[n:]
		return v, err == nil
	}
	path, ok1 := str(`{"path":"`)
	size, ok2 := num(`,"size":`)
	mtime, ok3 := num(`,"mtime_ns":`)
	ctime, ok4 := num(`,"ctime_ns":`)
	inode, ok5 := num(`,"inode":`)
	context, ok6 := str(`,"context":"`)
	trust, ok7 := str(`,"trust":"`)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || size > math.MaxInt64 || mtime > math.MaxInt64 || ctime > math.MaxInt64 {
		return r, false
	}
	entry, ok := bytes.CutPrefix(rest, []byte(`,"entry":`))
	if !ok {
		return r, false
	}
	entry, ok = bytes.CutSuffix(entry, []byte("}\n"))
	if !ok || len(entry) == 0 || entry[0] != '{' || !json.Valid(entry) {
		return r, false
	}
	// The entry's path is its first field, as Entry is encoded.
	prefix := `{"path":"` + path + `"`
	if !bytes.HasPrefix(entry, []byte(prefix)) || !fs.ValidPath(path) || path == "." || context == "" || trust == "" {
		return r, false
	}
	return indexedRecord{path: path, stateRef: stateRef{
		sum:  lineSum(data),
		size: int64(size), mtimeNS: int64(mtime), ctimeNS: int64(ctime), inode: inode,
		context: context, trust: trust, entryOff: len(data) - 2 - len(entry), entryLen: len(entry),
	}}, true
}

// entryWithoutProblems reads the path and release of an entry in the form
// json.Encoder writes an Entry (fields in order, no space) that has no
// problem (`"ok":true` and no "problems" after it), without decoding it:
// all Run needs to count it. An entry in another form is not read (ok
// false). Its fields are found by position: a key's quotes cannot appear
// unescaped inside a JSON string, and nothing before "ok" is an object.
func entryWithoutProblems(path string, raw []byte) (e Entry, ok bool) {
	rest, ok := bytes.CutPrefix(raw, []byte(`{"path":"`+path+`","release":"`))
	if !ok {
		return e, false
	}
	end := bytes.IndexByte(rest, '"')
	if end < 0 || bytes.IndexByte(rest[:end], '\\') >= 0 {
		return e, false
	}
	release := rest[:end]
	rest = rest[end+1:]
	i := bytes.Index(rest, []byte(`,"listed":`))
	if i < 0 {
		return e, false
	}
	rest = rest[i+len(`,"listed":`):]
	if r, ok := bytes.CutPrefix(rest, []byte("true")); ok {
		rest = r
	} else if r, ok := bytes.CutPrefix(rest, []byte("false")); ok {
		rest = r
	} else {
		return e, false
	}
	rest, ok = bytes.CutPrefix(rest, []byte(`,"ok":true`))
	if !ok || !(bytes.HasPrefix(rest, []byte(`,"checks":`)) || bytes.HasPrefix(rest, []byte(`,"warnings":`)) || string(rest) == "}") {
		return e, false
	}
	return Entry{Path: path, Release: string(release)}, true
}

// lineSum hashes a state file's line, to notice one that changed between
// opening the file and using the record (the seed is the process's).
func lineSum(data []byte) uint64 { return maphash.Bytes(lineSeed, data) }

var lineSeed = maphash.MakeSeed()

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

// find returns the index entry of path's record from the previous run, or
// nil.
func (s *State) find(path string) *stateRef { return s.idx[path] }

// stateBlock is how much of the old state file one read brings in: records
// are used in about the order they were written (the walk's), so most are
// found in the block read for an earlier one.
const stateBlock = 256 << 10

// readRecord returns the line of ref's record, checked against the index.
func (s *State) readRecord(ref *stateRef) ([]byte, error) {
	buf := make([]byte, ref.n)
	s.blockMu.Lock()
	if ref.off < s.blockOff || ref.off+int64(ref.n) > s.blockOff+int64(len(s.block)) {
		if cap(s.block) < max(stateBlock, ref.n) {
			s.block = make([]byte, max(stateBlock, ref.n))
		}
		s.block = s.block[:cap(s.block)]
		n, err := s.old.ReadAt(s.block, ref.off)
		if n < ref.n {
			s.block, s.blockOff = s.block[:0], 0
			s.blockMu.Unlock()
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, &StateError{Path: s.path, Line: ref.line, Err: err}
		}
		s.block, s.blockOff = s.block[:n], ref.off
	}
	copy(buf, s.block[ref.off-s.blockOff:])
	s.blockMu.Unlock()
	if lineSum(buf) != ref.sum {
		return nil, &StateError{Path: s.path, Line: ref.line, Err: errors.New("changed while in use")}
	}
	return buf, nil
}

// lookup returns the record of ref, decoded in full.
func (s *State) lookup(ref *stateRef) (stateRecord, error) {
	buf, err := s.readRecord(ref)
	if err != nil {
		return stateRecord{}, err
	}
	rec, err := decodeRecord(buf)
	if err != nil {
		return stateRecord{}, &StateError{Path: s.path, Line: ref.line, Err: err}
	}
	rec.raw = buf
	return rec, nil
}

// rawEntry returns the entry of ref's record as the report's JSON would
// hold it (as json.Encoder writes it without HTML escaping), with the
// fields Run needs to count it decoded, and the record's line; ok is false
// when the entry's bytes are not in that form (a state file written with
// HTML escaping): the caller decodes the record then.
func (s *State) rawEntry(path string, ref *stateRef) (e Entry, raw, line []byte, ok bool, err error) {
	line, err = s.readRecord(ref)
	if err != nil {
		return Entry{}, nil, nil, false, err
	}
	raw = line[ref.entryOff : ref.entryOff+ref.entryLen]
	if bytes.Contains(raw, []byte(`\u00`)) {
		// Escaped as json.Marshal escapes &, < and > (or a control
		// character): the report's form is the decoded entry's.
		return Entry{}, nil, nil, false, nil
	}
	if e, ok := entryWithoutProblems(path, raw); ok {
		return e, raw, line, true, nil
	}
	// The entry's own fields are checked as decodeRecord checks them;
	// its checks, warnings and sidecars are passed on as they are.
	var shape struct {
		Path     string          `json:"path"`
		Release  string          `json:"release"`
		Version  string          `json:"version"`
		Class    string          `json:"class"`
		Size     int64           `json:"size"`
		MD5      string          `json:"md5"`
		SHA256   string          `json:"sha256"`
		Sidecars json.RawMessage `json:"sidecars"`
		Listed   bool            `json:"listed"`
		OK       bool            `json:"ok"`
		Problems []Problem       `json:"problems"`
		Checks   json.RawMessage `json:"checks"`
		Warnings json.RawMessage `json:"warnings"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&shape); err != nil {
		return Entry{}, nil, nil, false, &StateError{Path: s.path, Line: ref.line, Err: fmt.Errorf("malformed record: %v", err)}
	}
	if shape.Path != path {
		return Entry{}, nil, nil, false, &StateError{Path: s.path, Line: ref.line, Err: fmt.Errorf("malformed record for %s", safetext.Quote(path))}
	}
	e = Entry{Path: shape.Path, Release: shape.Release, Problems: shape.Problems}
	return e, raw, line, true, nil
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
		// Without HTML escaping, as the report's JSON has its entries:
		// a reused record's entry goes to the report as it is.
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		err = enc.Encode(rec)
		data = b.Bytes()
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
