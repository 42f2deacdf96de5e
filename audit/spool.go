package audit

import (
	"bufio"
	"bytes"
	"container/heap"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// spoolRunBytes is how many bytes of encoded entries a Spool holds in
// memory before it writes them, sorted, to its temporary file (a variable
// for tests).
var spoolRunBytes = 4 << 20

// A Spool collects the entries of an audit in any order and gives them back
// sorted by path, in bounded memory: it keeps at most about 4 MiB of them,
// and writes the rest to a temporary file in sorted runs that Each merges.
// It lets a caller print a report of any size (see Options.OnEntry and
// WriteJSON) without holding its entries. A Spool is not safe for
// concurrent use; OnEntry calls are never concurrent.
type Spool struct {
	dir  string
	tmp  *os.File
	w    *bufio.Writer
	off  int64
	runs []spoolRun
	mem  []spoolRec
	size int
	n    int
	err  error
	enc  *json.Encoder
	buf  bytes.Buffer
}

type spoolRec struct {
	path string
	raw  []byte
}

// A spoolRun is one sorted run in the temporary file.
type spoolRun struct{ off, n int64 }

// NewSpool returns an empty Spool whose temporary file, if it needs one,
// goes in dir ("" for the system's temporary directory). Close removes it.
func NewSpool(dir string) *Spool {
	s := &Spool{dir: dir}
	s.enc = json.NewEncoder(&s.buf)
	s.enc.SetEscapeHTML(false)
	return s
}

// Len returns the number of entries added.
func (s *Spool) Len() int { return s.n }

// Add adds an entry. Its JSON form is kept, not the Entry.
func (s *Spool) Add(e Entry) error {
	if s.err != nil {
		return s.err
	}
	s.buf.Reset()
	if err := s.enc.Encode(e); err != nil {
		return s.fail(err)
	}
	raw := bytes.TrimSuffix(s.buf.Bytes(), []byte("\n"))
	s.mem = append(s.mem, spoolRec{path: e.Path, raw: slices.Clone(raw)})
	s.size += len(raw) + len(e.Path) + 64
	s.n++
	if s.size >= spoolRunBytes {
		return s.flush()
	}
	return nil
}

// AddJSON adds an entry given as its JSON form, as Options.OnEntryJSON
// gives it (raw is copied).
func (s *Spool) AddJSON(path string, raw []byte) error {
	if s.err != nil {
		return s.err
	}
	s.mem = append(s.mem, spoolRec{path: path, raw: slices.Clone(raw)})
	s.size += len(raw) + len(path) + 64
	s.n++
	if s.size >= spoolRunBytes {
		return s.flush()
	}
	return nil
}

func (s *Spool) fail(err error) error {
	if s.err == nil {
		s.err = fmt.Errorf("audit: spooling the report: %w", err)
	}
	return s.err
}

func (s *Spool) sortMem() {
	slices.SortStableFunc(s.mem, func(a, b spoolRec) int { return strings.Compare(a.path, b.path) })
}

// flush writes the entries in memory to the temporary file as one sorted
// run: each record is the path's length and the JSON's (uvarints), then
// both.
func (s *Spool) flush() error {
	if len(s.mem) == 0 {
		return nil
	}
	if s.tmp == nil {
		f, err := os.CreateTemp(s.dir, "pyverify-audit-*.spool")
		if err != nil {
			return s.fail(err)
		}
		s.tmp, s.w = f, bufio.NewWriterSize(f, 1<<16)
	}
	s.sortMem()
	run := spoolRun{off: s.off}
	var hdr [2 * binary.MaxVarintLen64]byte
	for _, r := range s.mem {
		n := binary.PutUvarint(hdr[:], uint64(len(r.path)))
		n += binary.PutUvarint(hdr[n:], uint64(len(r.raw)))
		s.w.Write(hdr[:n])
		s.w.WriteString(r.path)
		if _, err := s.w.Write(r.raw); err != nil {
			return s.fail(err)
		}
		run.n++
		s.off += int64(n + len(r.path) + len(r.raw))
	}
	if err := s.w.Flush(); err != nil {
		return s.fail(err)
	}
	s.runs = append(s.runs, run)
	clear(s.mem)
	s.mem, s.size = s.mem[:0], 0
	return nil
}

// Each calls fn with the JSON form of every entry (as json.Encoder writes
// it without HTML escaping, without the newline), in order of path. raw is
// valid only during the call. Each may be called more than once.
func (s *Spool) Each(fn func(raw []byte) error) error {
	if s.err != nil {
		return s.err
	}
	if len(s.runs) == 0 {
		s.sortMem()
		for _, r := range s.mem {
			if err := fn(r.raw); err != nil {
				return err
			}
		}
		return nil
	}
	if err := s.flush(); err != nil {
		return err
	}
	h := make(runHeap, 0, len(s.runs))
	for i, r := range s.runs {
		c := &runCursor{idx: i, left: r.n, r: bufio.NewReaderSize(io.NewSectionReader(s.tmp, r.off, 1<<62), 16<<10)}
		if err := c.next(); err != nil {
			return s.fail(err)
		}
		h = append(h, c)
	}
	heap.Init(&h)
	for len(h) > 0 {
		c := h[0]
		if err := fn(c.raw); err != nil {
			return err
		}
		if c.left == 0 {
			heap.Pop(&h)
			continue
		}
		if err := c.next(); err != nil {
			return s.fail(err)
		}
		heap.Fix(&h, 0)
	}
	return nil
}

// Entries decodes every entry, in order of path, for fn.
func (s *Spool) Entries(fn func(e *Entry) error) error {
	return s.Each(func(raw []byte) error {
		var e Entry
		if err := json.Unmarshal(raw, &e); err != nil {
			return s.fail(err)
		}
		return fn(&e)
	})
}

// Close removes the temporary file.
func (s *Spool) Close() error {
	s.mem = nil
	if s.tmp == nil {
		return nil
	}
	name := s.tmp.Name()
	err := s.tmp.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	s.tmp = nil
	return err
}

// A runCursor reads one sorted run.
type runCursor struct {
	idx       int
	left      int64
	r         *bufio.Reader
	path, raw []byte
}

func (c *runCursor) next() error {
	pl, err := binary.ReadUvarint(c.r)
	if err != nil {
		return err
	}
	rl, err := binary.ReadUvarint(c.r)
	if err != nil {
		return err
	}
	if pl > 1<<20 || rl > 1<<30 {
		return errors.New("corrupt spool file")
	}
	c.path = growTo(c.path, int(pl))
	c.raw = growTo(c.raw, int(rl))
	if _, err := io.ReadFull(c.r, c.path); err != nil {
		return err
	}
	if _, err := io.ReadFull(c.r, c.raw); err != nil {
		return err
	}
	c.left--
	return nil
}

func growTo(b []byte, n int) []byte {
	if cap(b) < n {
		return make([]byte, n)
	}
	return b[:n]
}

type runHeap []*runCursor

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	if c := bytes.Compare(h[i].path, h[j].path); c != 0 {
		return c < 0
	}
	return h[i].idx < h[j].idx
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runCursor)) }
func (h *runHeap) Pop() any {
	old := *h
	c := old[len(old)-1]
	*h = old[:len(old)-1]
	return c
}

// WriteJSON writes rep as JSON, indented by two spaces and without HTML
// escaping (as json.Encoder with SetIndent("", "  ") and
// SetEscapeHTML(false) writes it), with its entries taken from sp, in
// order of path, instead of rep.Entries (with sp nil, rep is written as it
// is). The output is byte for byte the one of the report holding those
// entries, but only one entry is in memory at a time.
func WriteJSON(w io.Writer, rep *Report, sp *Spool) error {
	head := *rep
	if sp != nil {
		head.Entries = []Entry{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&head); err != nil {
		return err
	}
	out := b.Bytes()
	// A string in JSON holds no raw newline: this is the report's own key.
	const key = "\n  \"entries\": ["
	i := bytes.Index(out, []byte(key+"]"))
	if sp == nil || sp.Len() == 0 {
		_, err := w.Write(out)
		return err
	}
	if i < 0 {
		return errors.New("audit: the report has no entries field to write the spooled entries in")
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(out[:i+len(key)])
	var ind bytes.Buffer
	first := true
	err := sp.Each(func(raw []byte) error {
		ind.Reset()
		if first {
			ind.WriteString("\n    ")
		} else {
			ind.WriteString(",\n    ")
		}
		first = false
		if err := json.Indent(&ind, raw, "    ", "  "); err != nil {
			return err
		}
		_, err := bw.Write(ind.Bytes())
		return err
	})
	if err != nil {
		return err
	}
	bw.WriteString("\n  ")
	bw.Write(out[i+len(key):])
	return bw.Flush()
}
