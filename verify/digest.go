package verify

import (
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"hash"
	"io"
	"sync"
	"sync/atomic"
)

// Digests are the size and checksums of one file, computed in one pass.
type Digests struct {
	Size   int64
	MD5    []byte
	SHA256 []byte
	SHA512 []byte
}

const (
	// hashChunkSize is the size of the pooled buffers that carry the data
	// from the writer to the hashing goroutines.
	hashChunkSize = 256 << 10
	// hashQueueDepth is how many chunks may wait for each consumer.
	hashQueueDepth = 4
	// hashMaxChunks is how many chunks one Hasher may use at once: enough
	// to fill every queue of the slowest consumer, plus the chunk it is
	// working on and the one being filled. A Hasher never holds more than
	// hashMaxChunks*hashChunkSize bytes (1.5 MiB), whatever the length of
	// its input; the writer waits for a free chunk instead.
	hashMaxChunks = hashQueueDepth + 2
)

// errHasherClosed is returned by writes to a closed Hasher.
var errHasherClosed = errors.New("digest: write to closed hasher")

// A hashChunk is a buffer shared by every consumer of a Hasher. The last
// consumer to finish with it hands it back to the Hasher's free list.
type hashChunk struct {
	buf  []byte // len is the data, cap is hashChunkSize
	refs atomic.Int32
	free chan<- *hashChunk
}

// hashChunkPool keeps chunks between Hashers, so that hashing many small
// files does not allocate for each.
var hashChunkPool = sync.Pool{
	New: func() any { return &hashChunk{buf: make([]byte, 0, hashChunkSize)} },
}

func (c *hashChunk) release() {
	if c.refs.Add(-1) == 0 {
		c.buf = c.buf[:0]
		c.free <- c // never blocks: free has room for every chunk
	}
}

// A hashConsumer is one goroutine fed with chunks: one of the three hashes
// or an extra sink.
type hashConsumer struct {
	ch  chan *hashChunk
	w   io.Writer
	err error // written by the consumer's goroutine, read after it ends
}

func (s *hashConsumer) run(wg *sync.WaitGroup) {
	defer wg.Done()
	for c := range s.ch {
		if s.err == nil {
			n, err := s.w.Write(c.buf)
			if err == nil && n != len(c.buf) {
				err = io.ErrShortWrite
			}
			s.err = err
		}
		// After an error the consumer keeps draining its queue, so the
		// writer and the other consumers never block on it.
		c.release()
	}
}

// A Hasher computes the MD5, SHA-256 and SHA-512 digests of everything
// written to it, and copies the same bytes to any extra sinks. Each digest
// and each sink runs in its own goroutine, so the three hashes use every
// core; the data passes through a few pooled buffers, so memory use does
// not grow with the input.
//
// A Hasher must be closed, which waits for the goroutines to finish. Its
// methods must not be called concurrently with each other.
type Hasher struct {
	md5, sha256, sha512 hash.Hash
	consumers           []*hashConsumer // the three hashes first, then the extra sinks
	cur                 *hashChunk      // the chunk being filled, or nil
	free                chan *hashChunk // chunks back from the consumers
	chunks              int             // chunks taken from the pool
	size                int64
	wg                  sync.WaitGroup
	closed              bool
	sum                 Digests
	err                 error
}

// NewHasher returns a Hasher that also writes everything it is given to
// each of the extra writers (nil ones are ignored), in order, each from its
// own goroutine. A sink that fails stops receiving data but does not stop
// the hashing or the other sinks; Close reports its error. A sink must not
// block forever: for an io.Pipe, whoever reads the pipe must close its end
// (CloseWithError) when it stops reading. The Hasher does not close the
// sinks.
func NewHasher(extra ...io.Writer) *Hasher {
	h := &Hasher{md5: md5.New(), sha256: sha256.New(), sha512: sha512.New(),
		free: make(chan *hashChunk, hashMaxChunks)}
	writers := []io.Writer{h.md5, h.sha256, h.sha512}
	for _, w := range extra {
		if w != nil {
			writers = append(writers, w)
		}
	}
	h.consumers = make([]*hashConsumer, len(writers))
	h.wg.Add(len(writers))
	for i, w := range writers {
		s := &hashConsumer{ch: make(chan *hashChunk, hashQueueDepth), w: w}
		h.consumers[i] = s
		go s.run(&h.wg)
	}
	return h
}

// getChunk returns an empty chunk: a free one, a new one if the Hasher has
// fewer than hashMaxChunks, or else the next one a consumer frees.
func (h *Hasher) getChunk() *hashChunk {
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

// flush hands the chunk being filled to every consumer.
func (h *Hasher) flush() {
	c := h.cur
	h.cur = nil
	if c == nil {
		return
	}
	if len(c.buf) == 0 {
		h.free <- c
		return
	}
	c.refs.Store(int32(len(h.consumers)))
	for _, s := range h.consumers {
		s.ch <- c
	}
}

// Write adds p to the data being hashed. It copies p, so the caller may
// reuse p as soon as Write returns. It fails only if the Hasher is closed:
// a failing extra sink does not stop the hashing, and Close reports its
// error.
func (h *Hasher) Write(p []byte) (int, error) {
	if h.closed {
		return 0, errHasherClosed
	}
	n := len(p)
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
	h.size += int64(n)
	return n, nil
}

// ReadFrom reads r until EOF straight into the Hasher's buffers, saving a
// copy; io.Copy uses it. It returns the number of bytes read and the first
// read error other than io.EOF.
func (h *Hasher) ReadFrom(r io.Reader) (int64, error) {
	if h.closed {
		return 0, errHasherClosed
	}
	var total int64
	for {
		if h.cur == nil {
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
	for _, s := range h.consumers {
		close(s.ch)
	}
	h.wg.Wait()
	// Every chunk is back: return them for the next Hasher.
	for range h.chunks {
		c := <-h.free
		c.free = nil
		hashChunkPool.Put(c)
	}
	h.chunks = 0
	h.sum = Digests{
		Size:   h.size,
		MD5:    h.md5.Sum(nil),
		SHA256: h.sha256.Sum(nil),
		SHA512: h.sha512.Sum(nil),
	}
	for _, s := range h.consumers[3:] {
		if s.err != nil {
			h.err = s.err
			break
		}
	}
	return h.sum, h.err
}

// DigestReader reads r to the end and returns its size and digests, copying
// the data to each extra writer as NewHasher does. If reading fails, the
// error is returned with Digests holding only the number of bytes read.
// Otherwise the error is that of the first extra sink that failed, if any.
func DigestReader(r io.Reader, extra ...io.Writer) (Digests, error) {
	h := NewHasher(extra...)
	n, rerr := h.ReadFrom(r)
	d, err := h.Close()
	if rerr != nil {
		return Digests{Size: n}, rerr
	}
	return d, err
}
