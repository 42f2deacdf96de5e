package verify

import (
	"bytes"
	"crypto/md5"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
)

func hexOf(b []byte) string { return hex.EncodeToString(b) }

func TestDigestVectors(t *testing.T) {
	for _, tc := range []struct {
		in                  string
		md5, sha256, sha512 string
	}{
		{"",
			"d41d8cd98f00b204e9800998ecf8427e",
			"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
			"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
		{"abc",
			"900150983cd24fb0d6963f7d28e17f72",
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
		{"The quick brown fox jumps over the lazy dog",
			"9e107d9d372bb6826bd81d3542a419d6",
			"d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592",
			"07e547d9586f6a73f73fbac0435ed76951218fb7d0c8d788a309d785436bbb642e93a252a954f23912547d1e8a3b5ed6e1bfd7097821233fa0538f3db854fee6"},
	} {
		for name, get := range map[string]func() (Digests, error){
			"DigestReader": func() (Digests, error) { return DigestReader(strings.NewReader(tc.in)) },
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
			if d.Size != int64(len(tc.in)) || hexOf(d.MD5) != tc.md5 || hexOf(d.SHA256) != tc.sha256 || hexOf(d.SHA512) != tc.sha512 {
				t.Errorf("%s(%q) = size %d md5 %x sha256 %x sha512 %x", name, tc.in, d.Size, d.MD5, d.SHA256, d.SHA512)
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
	s5 := sha512.Sum512(b)
	return Digests{Size: int64(len(b)), MD5: m[:], SHA256: s[:], SHA512: s5[:]}
}

func sameDigests(a, b Digests) bool {
	return a.Size == b.Size && bytes.Equal(a.MD5, b.MD5) && bytes.Equal(a.SHA256, b.SHA256) && bytes.Equal(a.SHA512, b.SHA512)
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
			d, err := DigestReader(r(), &sink)
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
		t.Errorf("Close error = %v, want the first sink's", err)
	}
	if !sameDigests(d, want) {
		t.Error("digests wrong after a sink failed")
	}
	if !bytes.Equal(good.Bytes(), data) {
		t.Error("the healthy sink did not get every byte")
	}
	if _, err := DigestReader(bytes.NewReader(data), shortWriter{}); !errors.Is(err, io.ErrShortWrite) {
		t.Errorf("short write: err = %v", err)
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
	d, err := DigestReader(bytes.NewReader(data), pw)
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
	d, err := DigestReader(r)
	if !errors.Is(err, bad) {
		t.Fatalf("err = %v", err)
	}
	if d.Size != hashChunkSize+5 || d.MD5 != nil || d.SHA256 != nil || d.SHA512 != nil {
		t.Errorf("digests after a read error = %+v, want only the size", d)
	}
}

func writeTempFile(b *testing.B, size int64) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "artifact")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.Copy(f, io.LimitReader(rand.NewChaCha8([32]byte{1}), size)); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

const benchSize = 64 << 20

// BenchmarkHasher hashes a 64 MiB file (page cache warm) with MD5, SHA-256
// and SHA-512 in one pass.
func BenchmarkHasher(b *testing.B) {
	path := writeTempFile(b, benchSize)
	b.SetBytes(benchSize)
	b.ReportAllocs() // memory is constant in file size: B/op stays ~1.5 MiB
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := DigestReader(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkMultiWriter is the one-core baseline: the three hashes behind
// one io.MultiWriter.
func BenchmarkMultiWriter(b *testing.B) {
	path := writeTempFile(b, benchSize)
	b.SetBytes(benchSize)
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.MultiWriter(md5.New(), sha256.New(), sha512.New()), f); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}

// BenchmarkCoreutils runs md5sum then sha256sum on the same file, which is
// what a person checking a download by hand does.
func BenchmarkCoreutils(b *testing.B) {
	for _, tool := range []string{"md5sum", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			b.Skipf("%s not installed", tool)
		}
	}
	path := writeTempFile(b, benchSize)
	b.SetBytes(benchSize)
	for b.Loop() {
		for _, tool := range []string{"md5sum", "sha256sum"} {
			if out, err := exec.Command(tool, path).CombinedOutput(); err != nil {
				b.Fatalf("%s: %v: %s", tool, err, out)
			}
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
