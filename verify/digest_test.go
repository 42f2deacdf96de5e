package verify

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

func hexOf(b []byte) string { return hex.EncodeToString(b) }

func TestDigestVectors(t *testing.T) {
	for _, tc := range []struct {
		in          string
		md5, sha256 string
	}{
		{"",
			"d41d8cd98f00b204e9800998ecf8427e",
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc",
			"900150983cd24fb0d6963f7d28e17f72",
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"The quick brown fox jumps over the lazy dog",
			"9e107d9d372bb6826bd81d3542a419d6",
			"d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"},
	} {
		for name, get := range map[string]func() (Digests, error){
			"digestReader": func() (Digests, error) { return digestReader(strings.NewReader(tc.in)) },
			"Write": func() (Digests, error) {
				h := NewHasher()
				for i := 0; i < len(tc.in); i++ { // one byte at a time
					if _, err := h.Write([]byte{tc.in[i]}); err != nil {
						return Digests{}, err
					}
				}
				return h.Close()
			},
		} {
			d, err := get()
			if err != nil {
				t.Fatalf("%s(%q): %v", name, tc.in, err)
			}
			if d.Size != int64(len(tc.in)) || hexOf(d.MD5) != tc.md5 || hexOf(d.SHA256) != tc.sha256 {
				t.Errorf("%s(%q) = size %d md5 %x sha256 %x", name, tc.in, d.Size, d.MD5, d.SHA256)
			}
		}
	}
}

func randomBytes(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func wantDigests(b []byte) Digests {
	m := md5.Sum(b)
	s := sha256.Sum256(b)
	return Digests{Size: int64(len(b)), MD5: m[:], SHA256: s[:]}
}

func sameDigests(a, b Digests) bool {
	return a.Size == b.Size && bytes.Equal(a.MD5, b.MD5) && bytes.Equal(a.SHA256, b.SHA256)
}

// TestDigestChunkBoundaries feeds sizes around the chunk size, through
// ReadFrom (io.Copy), through writes of awkward sizes, and through readers
// that return little data at a time, with an extra sink that must receive
// exactly the same bytes.
func TestDigestChunkBoundaries(t *testing.T) {
	sizes := []int{1, hashChunkSize - 1, hashChunkSize, hashChunkSize + 1,
		2*hashChunkSize - 1, 2 * hashChunkSize, (hashQueueDepth+3)*hashChunkSize + 7}
	for _, n := range sizes {
		data := randomBytes(n, uint64(n))
		want := wantDigests(data)
		readers := map[string]func() io.Reader{
			"plain":    func() io.Reader { return bytes.NewReader(data) },
			"onebyte":  func() io.Reader { return iotest.OneByteReader(bytes.NewReader(data)) },
			"halfread": func() io.Reader { return iotest.HalfReader(bytes.NewReader(data)) },
			"dataerr":  func() io.Reader { return iotest.DataErrReader(bytes.NewReader(data)) },
		}
		for name, r := range readers {
			if name == "onebyte" && n > 3*hashChunkSize {
				continue // slow and adds nothing
			}
			var sink bytes.Buffer
			d, err := digestReader(r(), &sink)
			if err != nil {
				t.Fatalf("%d/%s: %v", n, name, err)
			}
			if !sameDigests(d, want) {
				t.Errorf("%d/%s: wrong digests", n, name)
			}
			if !bytes.Equal(sink.Bytes(), data) {
				t.Errorf("%d/%s: sink got %d bytes, not the input", n, name, sink.Len())
			}
		}
		// Writes of a size prime to the chunk size, reusing (and
		// scribbling over) the caller's buffer after each Write.
		var s1, s2 bytes.Buffer
		h := NewHasher(&s1, nil, &s2)
		buf := make([]byte, 12345)
		for off := 0; off < n; {
			k := copy(buf, data[off:])
			if m, err := h.Write(buf[:k]); m != k || err != nil {
				t.Fatalf("Write = %d, %v", m, err)
			}
			for i := range buf {
				buf[i] = 0xAA
			}
			off += k
		}
		d, err := h.Close()
		if err != nil || !sameDigests(d, want) {
			t.Errorf("%d/writes: err %v, digests match %v", n, err, sameDigests(d, want))
		}
		if !bytes.Equal(s1.Bytes(), data) || !bytes.Equal(s2.Bytes(), data) {
			t.Errorf("%d/writes: sinks got %d and %d bytes", n, s1.Len(), s2.Len())
		}
	}
}

func TestDigestEmptyAndClose(t *testing.T) {
	h := NewHasher()
	d1, err := h.Close()
	if err != nil || !sameDigests(d1, wantDigests(nil)) {
		t.Fatalf("empty: %v", err)
	}
	d2, err := h.Close()
	if err != nil || !sameDigests(d1, d2) {
		t.Error("second Close differs")
	}
	if _, err := h.Write([]byte("x")); !errors.Is(err, errHasherClosed) {
		t.Errorf("Write after Close: %v", err)
	}
	if _, err := h.ReadFrom(strings.NewReader("x")); !errors.Is(err, errHasherClosed) {
		t.Errorf("ReadFrom after Close: %v", err)
	}
}

// failingWriter accepts limit bytes, then fails every write.
type failingWriter struct {
	n, limit int
	err      error
}

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		k := w.limit - w.n
		w.n = w.limit
		return k, w.err
	}
	w.n += len(p)
	return len(p), nil
}

// shortWriter claims fewer bytes than it got, without an error.
type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestDigestFailingSink(t *testing.T) {
	for _, procs := range []int{1, 2} {
		withGOMAXPROCS(t, procs, testDigestFailingSink)
	}
}

func testDigestFailingSink(t *testing.T) {
	data := randomBytes(5*hashChunkSize+99, 7)
	want := wantDigests(data)
	boom := errors.New("boom")
	first := &failingWriter{limit: hashChunkSize + 3, err: boom}
	second := &failingWriter{limit: 0, err: errors.New("second")}
	var good bytes.Buffer
	h := NewHasher(first, &good, second)
	// Keep writing after the sinks have failed: the hashes still need
	// every byte, and nothing may block.
	for off := 0; off < len(data); off += 4096 {
		end := min(off+4096, len(data))
		if n, err := h.Write(data[off:end]); err != nil || n != end-off {
			t.Fatalf("Write = %d, %v", n, err)
		}
	}
	d, err := h.Close()
	if !errors.Is(err, boom) {
		t.Errorf("GOMAXPROCS=%d: Close error = %v, want the first sink's", runtime.GOMAXPROCS(0), err)
	}
	if !sameDigests(d, want) {
		t.Errorf("GOMAXPROCS=%d: digests wrong after a sink failed", runtime.GOMAXPROCS(0))
	}
	if !bytes.Equal(good.Bytes(), data) {
		t.Errorf("GOMAXPROCS=%d: the healthy sink did not get every byte", runtime.GOMAXPROCS(0))
	}
	if _, err := digestReader(bytes.NewReader(data), shortWriter{}); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("GOMAXPROCS=%d: short write: err = %v", runtime.GOMAXPROCS(0), err)
	}
	// A sink on a Hasher of no digest at all still gets every byte.
	var only bytes.Buffer
	h = NewHasherOf(0, &only)
	h.Write(data)
	if d, err := h.Close(); err != nil || d.Size != int64(len(data)) || d.MD5 != nil || d.SHA256 != nil || !bytes.Equal(only.Bytes(), data) {
		t.Errorf("GOMAXPROCS=%d: no digests: %+v, %v", runtime.GOMAXPROCS(0), d, err)
	}
}

// TestDigestPipeSink feeds an io.Pipe, as the OpenPGP check does, whose
// reader stops early and closes its end: nothing may deadlock.
func TestDigestPipeSink(t *testing.T) {
	data := randomBytes(3*hashChunkSize, 3)
	pr, pw := io.Pipe()
	stop := errors.New("reader gave up")
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		io.CopyN(io.Discard, pr, 1000)
		pr.CloseWithError(stop)
	}()
	d, err := digestReader(bytes.NewReader(data), pw)
	wg.Wait()
	if !errors.Is(err, stop) {
		t.Errorf("err = %v, want the pipe reader's", err)
	}
	if !sameDigests(d, wantDigests(data)) {
		t.Error("digests wrong")
	}

	// A reader that reads everything sees exactly the data, then EOF once
	// the caller closes the pipe after Close.
	pr, pw = io.Pipe()
	got := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(pr)
		got <- b
	}()
	h := NewHasher(pw)
	if _, err := io.Copy(h, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if _, err := h.Close(); err != nil {
		t.Fatal(err)
	}
	pw.Close()
	if b := <-got; !bytes.Equal(b, data) {
		t.Errorf("pipe reader got %d bytes", len(b))
	}
}

func TestDigestReadError(t *testing.T) {
	bad := errors.New("disk on fire")
	r := io.MultiReader(bytes.NewReader(randomBytes(hashChunkSize+5, 1)), iotest.ErrReader(bad))
	d, err := digestReader(r)
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v", err)
	}
	if d.Size != int64(hashChunkSize)+5 || d.MD5 != nil || d.SHA256 != nil {
		t.Errorf("digests after a read error = %+v, want only the size", d)
	}
}

// withGOMAXPROCS runs f with GOMAXPROCS set to n.
func withGOMAXPROCS(t *testing.T, n int, f func(t *testing.T)) {
	t.Helper()
	old := runtime.GOMAXPROCS(n)
	defer runtime.GOMAXPROCS(old)
	f(t)
}

// TestHasherSizes compares every way of feeding a Hasher, with and without
// MD5 and sinks, on one CPU and on several, with the standard library, for
// sizes around the chunk size and a write larger than all of a Hasher's
// buffers together.
func TestHasherSizes(t *testing.T) {
	sizes := []int{0, 1, 63, 64, 65, hashChunkSize - 1, hashChunkSize, hashChunkSize + 1,
		2*hashChunkSize - 1, 2*hashChunkSize + 1, (hashMaxChunks+1)*hashChunkSize + 12345}
	for _, procs := range []int{1, 2} {
		withGOMAXPROCS(t, procs, func(t *testing.T) {
			for _, n := range sizes {
				data := randomBytes(n, uint64(n)+7)
				want := wantDigests(data)
				for _, which := range []Digest{DigestMD5 | DigestSHA256, DigestSHA256, DigestMD5, 0} {
					for _, sinks := range []int{0, 2} {
						name := fmt.Sprintf("procs=%d/size=%d/digests=%b/sinks=%d", procs, n, which, sinks)
						wantHere := want
						if which&DigestMD5 == 0 {
							wantHere.MD5 = nil
						}
						if which&DigestSHA256 == 0 {
							wantHere.SHA256 = nil
						}
						for _, feed := range []string{"ReadFrom", "Write", "one Write", "mixed"} {
							bufs := make([]*bytes.Buffer, sinks)
							extra := make([]io.Writer, sinks)
							for i := range bufs {
								bufs[i] = new(bytes.Buffer)
								extra[i] = bufs[i]
							}
							h := NewHasherOf(which, extra...)
							if procs == 1 && !h.inline {
								t.Fatalf("%s: GOMAXPROCS=1 but the Hasher uses goroutines", name)
							}
							switch feed {
							case "ReadFrom":
								if m, err := h.ReadFrom(bytes.NewReader(data)); m != int64(n) || err != nil {
									t.Fatalf("%s: ReadFrom = %d, %v", name, m, err)
								}
							case "Write":
								for off := 0; off < n; off += 100003 {
									h.Write(data[off:min(off+100003, n)])
								}
							case "one Write":
								h.Write(data)
							case "mixed": // a ReadFrom between writes
								third := n / 3
								h.Write(data[:third])
								h.ReadFrom(iotest.HalfReader(bytes.NewReader(data[third : 2*third])))
								h.Write(data[2*third:])
							}
							d, err := h.Close()
							if err != nil || !sameDigests(d, wantHere) {
								t.Errorf("%s/%s: err %v, got size %d md5 %x sha256 %x", name, feed, err, d.Size, d.MD5, d.SHA256)
							}
							for i, b := range bufs {
								if !bytes.Equal(b.Bytes(), data) {
									t.Errorf("%s/%s: sink %d got %d bytes, not the input", name, feed, i, b.Len())
								}
							}
						}
					}
				}
			}
		})
	}
}

// TestHasherSHA256State checks the copy of the SHA-256 state an OpenPGP
// check starts from: it is the state after every byte, it can go on
// independently of the Hasher, and it is refused before Close.
func TestHasherSHA256State(t *testing.T) {
	data := randomBytes(3*hashChunkSize+5, 11)
	h := NewHasherOf(DigestSHA256)
	h.Write(data)
	if _, err := h.sha256State(); err == nil || !strings.Contains(err.Error(), "before Close") {
		t.Errorf("SHA-256 state before Close: err = %v", err)
	}
	d, _ := h.Close()
	s1, err := h.sha256State()
	if err != nil {
		t.Fatal(err)
	}
	s2, _ := h.sha256State()
	s1.Write([]byte("suffix"))
	want := sha256.Sum256(append(bytes.Clone(data), "suffix"...))
	if !bytes.Equal(s1.Sum(nil), want[:]) {
		t.Error("state + suffix is not SHA-256(data + suffix)")
	}
	if !bytes.Equal(s2.Sum(nil), d.SHA256) {
		t.Error("writing to one copy changed another")
	}
	noSHA := NewHasherOf(DigestMD5)
	noSHA.Close()
	if _, err := noSHA.sha256State(); err == nil || !strings.Contains(err.Error(), "SHA-256 was not computed") {
		t.Errorf("SHA-256 state of a Hasher without SHA-256: err = %v", err)
	}
	if !canShareSHA256() {
		t.Error("this build cannot copy SHA-256 states")
	}
}

// TestHasherConcurrent runs many Hashers at once, sharing the chunk pool
// (run it with -race).
func TestHasherConcurrent(t *testing.T) {
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			data := randomBytes(hashChunkSize*(i%3)+i*1000, uint64(i))
			var sink bytes.Buffer
			var h *Hasher
			if i%2 == 0 {
				h = NewHasher(&sink)
			} else {
				h = NewHasherOf(DigestSHA256, &sink)
			}
			io.Copy(h, bytes.NewReader(data))
			d, err := h.Close()
			want := wantDigests(data)
			if i%2 == 1 {
				want.MD5 = nil
			}
			if err != nil || !sameDigests(d, want) || !bytes.Equal(sink.Bytes(), data) {
				t.Errorf("hasher %d: wrong result (err %v)", i, err)
			}
		})
	}
	wg.Wait()
}

// TestHasherNoAllocationPerChunk checks that the allocations of a Hasher
// do not grow with its input: the data moves through reused buffers.
func TestHasherNoAllocationPerChunk(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	small := randomBytes(hashChunkSize, 1)
	large := bytes.Repeat(small, 32)
	allocs := func(data []byte, sha256Only bool) float64 {
		return testing.AllocsPerRun(5, func() {
			var h *Hasher
			if sha256Only {
				h = NewHasherOf(DigestSHA256, io.Discard)
			} else {
				h = NewHasher(io.Discard)
			}
			h.ReadFrom(bytes.NewReader(data))
			h.Close()
		})
	}
	for _, sha256Only := range []bool{false, true} {
		a1, a32 := allocs(small, sha256Only), allocs(large, sha256Only)
		// 32 times the data, 31 more chunks: allow for a chunk or two
		// dropped from the pool by a garbage collection.
		if a32 > a1+hashMaxChunks {
			t.Errorf("sha256Only=%v: %.0f allocations for one chunk, %.0f for 32 chunks", sha256Only, a1, a32)
		}
	}
}

// FuzzHasher writes data in pieces whose sizes come from the fuzzer and
// compares the result with the standard library's one-shot digests.
func FuzzHasher(f *testing.F) {
	f.Add([]byte("abc"), []byte{1, 2})
	f.Add(randomBytes(hashChunkSize+10, 9), []byte{255, 0, 17})
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		var sink bytes.Buffer
		h := NewHasher(&sink)
		rest := data
		for i := 0; len(rest) > 0; i++ {
			n := len(rest)
			if len(cuts) > 0 {
				n = min(n, 1+int(cuts[i%len(cuts)])*97)
			}
			if _, err := h.Write(rest[:n]); err != nil {
				t.Fatal(err)
			}
			rest = rest[n:]
		}
		d, err := h.Close()
		if err != nil || !sameDigests(d, wantDigests(data)) || !bytes.Equal(sink.Bytes(), data) {
			t.Fatalf("err %v, digests match %v, sink match %v", err, sameDigests(d, wantDigests(data)), bytes.Equal(sink.Bytes(), data))
		}
	})
}
