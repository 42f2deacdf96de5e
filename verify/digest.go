package verify

import (
	"bytes"
	"crypto"
	"crypto/md5"
	"crypto/sha256"
	"encoding"
	"errors"
	"fmt"
	"hash"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// Digests are the size and checksums of one file, computed in one pass.
type Digests struct {
	Size int64
	// MD5 and SHA256 are nil when the Hasher did not compute them
	// (NewHasherOf).
	MD5    []byte
	SHA256 []byte
}

// hashChunkSize is the size of the buffers that carry the data from the
// reader to the hashing goroutines, and of each read ReadFrom makes. It is
// a variable only so that the package's tests, which cross chunk
// boundaries in every way, can do so with small inputs (see TestMain); it
// never changes once a Hasher has run.
var hashChunkSize = 1 << 20

const (
	// hashQueueDepth is how many chunks may wait for each hashing goroutine.
	hashQueueDepth = 2
	// hashMaxChunks is how many chunks one Hasher may use at once: enough
	// to fill the queue of the slowest goroutine, plus the chunk it is
	// working on and the one being filled. A Hasher never holds more than
	// hashMaxChunks*hashChunkSize bytes (4 MiB), whatever the length of its
	// input; the writer waits for a free chunk instead.
	hashMaxChunks = hashQueueDepth + 2
)

// errHasherClosed is returned by writes to a closed Hasher.
var errHasherClosed = errors.New("digest: write to closed hasher")

// A hashChunk is a buffer shared by every lane of a Hasher. The last lane
// to finish with it hands it back to the Hasher's free list.
type hashChunk struct {
	buf  []byte // len is the data, cap is hashChunkSize
	refs atomic.Int32
	free chan<- *hashChunk
}

// hashChunkPool keeps chunks between Hashers, so that hashing many files
// does not allocate for each.
var hashChunkPool = sync.Pool{
	New: func() any { return &hashChunk{buf: make([]byte, 0, hashChunkSize)} },
}

func (c *hashChunk) release() {
	if c.refs.Add(-1) == 0 {
		c.buf = c.buf[:0]
		c.free <- c // never blocks: free has room for every chunk
	}
}

// A hashWriter is one destination of the bytes: a hash, or an extra sink.
type hashWriter struct {
	w   io.Writer
	err error // a sink's first error; it then receives nothing more
}

// A hashLane is a list of writers fed in turn by one goroutine (or, when
// the Hasher runs inline, by the caller's).
type hashLane struct {
	ch chan *hashChunk
	ws []*hashWriter
}

// write gives p to every writer of the lane that has not failed.
func (l *hashLane) write(p []byte) {
	for _, w := range l.ws {
		if w.err != nil {
			continue
		}
		n, err := w.w.Write(p)
		if err == nil && n != len(p) {
			err = io.ErrShortWrite
		}
		// A hash never fails; a sink that fails stops receiving data,
		// but the lane goes on, so the writer and the other lanes never
		// block on it.
		w.err = err
	}
}

func (l *hashLane) run(wg *sync.WaitGroup) {
	defer wg.Done()
	for c := range l.ch {
		l.write(c.buf)
		c.release()
	}
}

// A Hasher computes the MD5 and SHA-256 digests (or one of them) of
// everything written to it, and copies the same bytes to any extra sinks,
// reading its input once.
//
// With more than one CPU (GOMAXPROCS > 1), each hash and the extra sinks
// run on goroutines of their own, so that SHA-256 costs no time beside
// MD5, the slower of the two, and a sink that hashes the bytes again (an
// OpenPGP signature made with SHA-512) shares the cores with them. The data
// passes through a few reused 1 MiB buffers, so memory use does not grow
// with the input and no buffer is allocated per chunk. With one CPU, or
// with a single hash and no sink, everything runs on the caller's
// goroutine.
//
// A Hasher must be closed, which waits for its goroutines to finish. Its
// methods must not be called concurrently with each other.
type Hasher struct {
	md5    hash.Hash     // nil when MD5 is not computed
	sha256 hash.Hash     // nil when SHA-256 is not computed
	sinks  []*hashWriter // the extra sinks, in the order given
	lanes  []*hashLane
	inline bool            // no goroutines: lanes are fed by the caller
	cur    *hashChunk      // the chunk being filled, or nil
	free   chan *hashChunk // chunks back from the lanes
	chunks int             // chunks taken from the pool
	size   int64
	wg     sync.WaitGroup
	closed bool
	sum    Digests
	err    error
}

// A Digest is a set of digests for NewHasherOf to compute.
type Digest uint8

// The digests a Hasher can compute.
const (
	DigestMD5 Digest = 1 << iota
	DigestSHA256
)

// NewHasher returns a Hasher of MD5 and SHA-256 that also writes everything
// it is given to each of the extra writers (nil ones are ignored), in order.
// A sink that fails stops receiving data but does not stop the hashing or
// the other sinks; Close reports its error. A sink may run on another
// goroutine than the caller's and must not block forever: for an io.Pipe,
// whoever reads the pipe must close its end (CloseWithError) when it stops
// reading. The Hasher does not close the sinks.
func NewHasher(extra ...io.Writer) *Hasher {
	return NewHasherOf(DigestMD5|DigestSHA256, extra...)
}

// NewHasherOf is like NewHasher but computes only the digests in which;
// the others are nil in the Digests it returns. A digest nobody compares
// with anything is wasted work: python.org lists SHA-256 alone from 3.14
// on, and MD5 alone for releases before 2026.
func NewHasherOf(which Digest, extra ...io.Writer) *Hasher {
	h := &Hasher{}
	for _, w := range extra {
		if w != nil {
			h.sinks = append(h.sinks, &hashWriter{w: w})
		}
	}
	// One lane for each hash, and one for the sinks (the OpenPGP check,
	// when its signature needs a hash of its own): the Go scheduler shares
	// the cores between them, so the slowest (MD5, or a sink's SHA-512)
	// gets most of one core while the others share the other.
	var groups [][]*hashWriter
	if which&DigestMD5 != 0 {
		h.md5 = md5.New()
		groups = append(groups, []*hashWriter{{w: h.md5}})
	}
	if which&DigestSHA256 != 0 {
		h.sha256 = sha256.New()
		groups = append(groups, []*hashWriter{{w: h.sha256}})
	}
	if len(h.sinks) > 0 {
		groups = append(groups, h.sinks)
	}
	h.inline = len(groups) <= 1 || runtime.GOMAXPROCS(0) == 1
	if h.inline {
		var all []*hashWriter
		for _, g := range groups {
			all = append(all, g...)
		}
		h.lanes = []*hashLane{{ws: all}}
		return h
	}
	h.free = make(chan *hashChunk, hashMaxChunks)
	h.wg.Add(len(groups))
	for _, g := range groups {
		l := &hashLane{ch: make(chan *hashChunk, hashQueueDepth), ws: g}
		h.lanes = append(h.lanes, l)
		go l.run(&h.wg)
	}
	return h
}

// getChunk returns an empty chunk: a free one, a new one if the Hasher has
// fewer than hashMaxChunks (one when inline), or else the next one a lane
// frees.
func (h *Hasher) getChunk() *hashChunk {
	if h.inline {
		if h.chunks == 0 {
			h.chunks++
			h.cur = hashChunkPool.Get().(*hashChunk)
			h.cur.buf = h.cur.buf[:0]
		}
		return h.cur
	}
	select {
	case c := <-h.free:
		return c
	default:
	}
	if h.chunks < hashMaxChunks {
		h.chunks++
		c := hashChunkPool.Get().(*hashChunk)
		c.buf, c.free = c.buf[:0], h.free
		return c
	}
	return <-h.free
}

// flush hands the chunk being filled to every lane.
func (h *Hasher) flush() {
	c := h.cur
	if c == nil || len(c.buf) == 0 && h.inline {
		return
	}
	if h.inline {
		h.lanes[0].write(c.buf)
		c.buf = c.buf[:0] // the chunk stays h.cur, for the next read
		return
	}
	h.cur = nil
	if len(c.buf) == 0 {
		h.free <- c // never blocks: free has room for every chunk
		return
	}
	c.refs.Store(int32(len(h.lanes)))
	for _, l := range h.lanes {
		l.ch <- c
	}
}

// Write adds p to the data being hashed. It does not keep p: the caller may
// reuse it as soon as Write returns. It fails only if the Hasher is closed:
// a failing extra sink does not stop the hashing, and Close reports its
// error.
func (h *Hasher) Write(p []byte) (int, error) {
	if h.closed {
		return 0, errHasherClosed
	}
	n := len(p)
	h.size += int64(n)
	if h.inline {
		// Nothing to hand over: hash p where it is.
		h.flush()
		h.lanes[0].write(p)
		return n, nil
	}
	for len(p) > 0 {
		if h.cur == nil {
			h.cur = h.getChunk()
		}
		c := h.cur
		k := copy(c.buf[len(c.buf):cap(c.buf)], p)
		c.buf = c.buf[:len(c.buf)+k]
		p = p[k:]
		if len(c.buf) == cap(c.buf) {
			h.flush()
		}
	}
	return n, nil
}

// ReadFrom reads r until EOF straight into the Hasher's buffers, in reads of
// up to 1 MiB, saving a copy; io.Copy uses it. It returns the number of
// bytes read and the first read error other than io.EOF.
func (h *Hasher) ReadFrom(r io.Reader) (int64, error) {
	if h.closed {
		return 0, errHasherClosed
	}
	var total int64
	for {
		if h.cur == nil || h.inline {
			h.cur = h.getChunk()
		}
		c := h.cur
		free := c.buf[len(c.buf):cap(c.buf)]
		n, err := r.Read(free)
		if n < 0 || n > len(free) {
			return total, errors.New("digest: reader returned an invalid count")
		}
		c.buf = c.buf[:len(c.buf)+n]
		total += int64(n)
		h.size += int64(n)
		if len(c.buf) == cap(c.buf) {
			h.flush()
		}
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// Close hashes any buffered data, waits for the hashes and the extra sinks
// to finish, and returns the digests. The error is that of the first extra
// sink, in the order given to NewHasher, that failed; the digests are valid
// even then. Calling Close again returns the same results.
func (h *Hasher) Close() (Digests, error) {
	if h.closed {
		return h.sum, h.err
	}
	h.closed = true
	h.flush()
	if h.inline {
		if h.cur != nil {
			hashChunkPool.Put(h.cur)
			h.cur = nil
		}
	} else {
		for _, l := range h.lanes {
			close(l.ch)
		}
		h.wg.Wait()
		// Every chunk is back: keep them for the next Hasher.
		for range h.chunks {
			c := <-h.free
			c.free = nil
			hashChunkPool.Put(c)
		}
	}
	h.chunks = 0
	h.sum = Digests{Size: h.size}
	if h.md5 != nil {
		h.sum.MD5 = h.md5.Sum(nil)
	}
	if h.sha256 != nil {
		h.sum.SHA256 = h.sha256.Sum(nil)
	}
	for _, s := range h.sinks {
		if s.err != nil {
			h.err = s.err
			break
		}
	}
	return h.sum, h.err
}

// sha256State returns an independent copy of the SHA-256 state after every
// byte, so that a signature over the bytes and a suffix (OpenPGP) can be
// checked without hashing the bytes again. It may be called only after
// Close.
func (h *Hasher) sha256State() (hash.Hash, error) {
	if !h.closed {
		return nil, errors.New("digest: SHA-256 state asked for before Close")
	}
	if h.sha256 == nil {
		return nil, errors.New("digest: SHA-256 state asked for, but SHA-256 was not computed")
	}
	return cloneHash(h.sha256, sha256.New)
}

// cloneHash returns an independent copy of the state of h; fresh makes a
// new hash of the same kind.
func cloneHash(h hash.Hash, fresh func() hash.Hash) (hash.Hash, error) {
	if c, ok := h.(hash.Cloner); ok {
		if d, err := c.Clone(); err == nil {
			return d, nil
		}
	}
	// GOFIPS140=v1.0.0 hashes cannot be cloned, but their state can be
	// marshaled into a fresh hash of the same kind.
	m, ok := h.(encoding.BinaryMarshaler)
	if !ok {
		return nil, fmt.Errorf("digest: cannot copy the state of a %T", h)
	}
	state, err := m.MarshalBinary()
	if err != nil {
		return nil, fmt.Errorf("digest: cannot copy the state of a %T: %v", h, err)
	}
	d := fresh()
	u, ok := d.(encoding.BinaryUnmarshaler)
	if !ok {
		return nil, fmt.Errorf("digest: cannot restore the state of a %T", d)
	}
	if err := u.UnmarshalBinary(state); err != nil {
		return nil, fmt.Errorf("digest: cannot restore the state of a %T: %v", d, err)
	}
	return d, nil
}

// canCloneHash reports whether hashes of kind k are available and their
// state can be copied (see cloneHash) on this build: the copy must go on
// from where the original was, independently of it.
func canCloneHash(k crypto.Hash) bool {
	if !k.Available() {
		return false
	}
	cloneable.Lock()
	defer cloneable.Unlock()
	ok, known := cloneable.m[k]
	if !known {
		h := k.New()
		h.Write([]byte("probe"))
		c, err := cloneHash(h, k.New)
		if err == nil {
			want := k.New()
			want.Write([]byte("probe suffix"))
			h.Write([]byte(" suffix"))
			c.Write([]byte(" suffix"))
			ok = bytes.Equal(c.Sum(nil), want.Sum(nil)) && bytes.Equal(h.Sum(nil), want.Sum(nil))
		}
		cloneable.m[k] = ok
	}
	return ok
}

var cloneable = struct {
	sync.Mutex
	m map[crypto.Hash]bool
}{m: map[crypto.Hash]bool{}}

// canShareSHA256 reports whether a Hasher's SHA-256 state can be copied.
func canShareSHA256() bool { return canCloneHash(crypto.SHA256) }

// digestReader reads r to the end and returns its size and digests (MD5 and
// SHA-256), copying the data to each extra writer as NewHasher does. If
// reading fails, the error is returned with Digests holding only the number
// of bytes read. Otherwise the error is that of the first extra sink that
// failed, if any.
func digestReader(r io.Reader, extra ...io.Writer) (Digests, error) {
	h := NewHasher(extra...)
	n, rerr := h.ReadFrom(r)
	d, err := h.Close()
	if rerr != nil {
		return Digests{Size: n}, rerr
	}
	return d, err
}
