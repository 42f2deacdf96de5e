package download

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// testData returns n deterministic pseudo-random bytes.
func testData(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 1))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// testClient returns a client with tiny backoffs and generous timeouts.
func testClient() *Client {
	return &Client{
		Backoff:        func(int) time.Duration { return time.Millisecond },
		ConnectTimeout: 10 * time.Second,
		StallTimeout:   10 * time.Second,
		UserAgent:      "pyverify-test",
	}
}

// sinks records every sink a download creates.
type sinks struct {
	mu   sync.Mutex
	list []*bytes.Buffer
}

func (s *sinks) new() (io.Writer, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := new(bytes.Buffer)
	s.list = append(s.list, b)
	return b, nil
}

func (s *sinks) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.list)
}

func (s *sinks) last() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.list[len(s.list)-1].Bytes()
}

// result is what one Download call produced.
type result struct {
	n        int64
	err      error
	sinks    *sinks
	progress int64
	file     []byte
}

func fetchFile(t *testing.T, c *Client, url, part string, limit int64) result {
	t.Helper()
	r := result{sinks: new(sinks)}
	var progress atomic.Int64
	r.n, r.err = c.Download(context.Background(), url, part, limit, r.sinks.new, func(n int64) { progress.Add(n) })
	r.progress = progress.Load()
	var err error
	if r.file, err = os.ReadFile(part); err != nil {
		t.Fatal(err)
	}
	return r
}

// checkComplete asserts that r downloaded exactly data and that its last sink
// received every byte once, in order.
func checkComplete(t *testing.T, r result, data []byte) {
	t.Helper()
	if r.err != nil {
		t.Fatalf("Download: %v", r.err)
	}
	if r.n != int64(len(data)) {
		t.Errorf("Download returned %d, want %d", r.n, len(data))
	}
	if !bytes.Equal(r.file, data) {
		t.Errorf("part file has %d bytes, differs from the %d served", len(r.file), len(data))
	}
	if got, want := sha256.Sum256(r.sinks.last()), sha256.Sum256(data); got != want {
		t.Errorf("sink SHA-256 %x, want %x (sink got %d bytes)", got, want, len(r.sinks.last()))
	}
	if r.progress != int64(len(data)) {
		t.Errorf("progress total %d, want %d", r.progress, len(data))
	}
}

// server is a test server counting its requests and recording Range headers.
type server struct {
	*httptest.Server
	requests atomic.Int32
	mu       sync.Mutex
	ranges   []string
	ifRanges []string
	agents   []string
}

func newServer(t *testing.T, h func(s *server, n int, w http.ResponseWriter, r *http.Request)) *server {
	t.Helper()
	s := new(server)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(s.requests.Add(1))
		s.mu.Lock()
		s.ranges = append(s.ranges, r.Header.Get("Range"))
		s.ifRanges = append(s.ifRanges, r.Header.Get("If-Range"))
		s.agents = append(s.agents, r.Header.Get("User-Agent"))
		s.mu.Unlock()
		h(s, n, w, r)
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *server) sawRanges() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ranges...)
}

// serve serves data with Range support and a strong ETag.
func serve(w http.ResponseWriter, r *http.Request, data []byte) {
	w.Header().Set("ETag", `"v1"`)
	http.ServeContent(w, r, "f", time.Time{}, bytes.NewReader(data))
}

// cut sends a 200 response announcing all of data but only its first n
// bytes, then closes the connection (with a reset if rst).
func cut(t *testing.T, w http.ResponseWriter, data []byte, n int, rst bool) {
	conn, bw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Error(err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(bw, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nETag: \"v1\"\r\n\r\n", len(data))
	bw.Write(data[:n])
	bw.Flush()
	if rst {
		conn.(*net.TCPConn).SetLinger(0)
	}
}

func partPath(t *testing.T) string {
	return filepath.Join(t.TempDir(), "f.part")
}

func TestFetch(t *testing.T) {
	doc := []byte(`{"name": "Python 3.13.1"}`)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Write(doc)
	})
	c := testClient()
	for _, limit := range []int64{int64(len(doc)), 1 << 20} {
		got, err := c.Fetch(context.Background(), s.URL+"/api", limit)
		if err != nil || !bytes.Equal(got, doc) {
			t.Errorf("Fetch(limit %d) = %q, %v; want %q", limit, got, err, doc)
		}
	}
	if s.agents[0] != "pyverify-test" {
		t.Errorf("User-Agent %q, want pyverify-test", s.agents[0])
	}
}

func TestFetchTooLarge(t *testing.T) {
	data := testData(100_000)
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprint("chunked=", chunked), func(t *testing.T) {
			s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(data)))
				}
				for i := 0; i < len(data); i += 1000 {
					w.Write(data[i : i+1000])
					http.NewResponseController(w).Flush()
				}
			})
			_, err := testClient().Fetch(context.Background(), s.URL+"/big", 99_999)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("Fetch: %v, want ErrTooLarge", err)
			}
			if want := s.URL + "/big: body exceeds the limit of 99999 bytes"; err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
			if IsNetwork(err) {
				t.Error("IsNetwork(ErrTooLarge) = true")
			}
			if n := s.requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	for _, code := range []int{http.StatusNotFound, http.StatusGone} {
		s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
			http.Error(w, "nope", code)
		})
		c := testClient()
		_, ferr := c.Fetch(context.Background(), s.URL+"/x.asc", 1000)
		r := fetchFile(t, c, s.URL+"/x.asc", partPath(t), 1000)
		for _, err := range []error{ferr, r.err} {
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("%d: got %v, want ErrNotFound", code, err)
			}
			var he *HTTPError
			if !errors.As(err, &he) || he.StatusCode != code {
				t.Errorf("%d: got %v, want *HTTPError with that code", code, err)
			}
			if want := fmt.Sprintf("%s/x.asc: HTTP %d %s", s.URL, code, http.StatusText(code)); err.Error() != want {
				t.Errorf("error %q, want %q", err, want)
			}
			if IsNetwork(err) {
				t.Errorf("IsNetwork(%v) = true", err)
			}
		}
		if n := s.requests.Load(); n != 2 {
			t.Errorf("%d: %d requests, want 2 (no retries)", code, n)
		}
	}
}

func TestClientErrorNotRetried(t *testing.T) {
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "no", http.StatusTooManyRequests)
	})
	_, err := testClient().Fetch(context.Background(), s.URL+"/api", 1000)
	var he *HTTPError
	// Not retried (a rate limit's Retry-After can be hours), but a
	// "try again later" failure, like a 5xx: IsNetwork.
	if !errors.As(err, &he) || he.StatusCode != http.StatusTooManyRequests || errors.Is(err, ErrNotFound) || !IsNetwork(err) {
		t.Fatalf("got %v, want a network *HTTPError 429", err)
	}
	if n := s.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestRetry5xx(t *testing.T) {
	data := testData(50_000)
	s := newServer(t, func(_ *server, n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			w.Header().Set("Retry-After", "0")
			http.Error(w, "busy", http.StatusServiceUnavailable)
			return
		}
		serve(w, r, data)
	})
	c := testClient()
	r := fetchFile(t, c, s.URL+"/f.tgz", partPath(t), int64(len(data)))
	checkComplete(t, r, data)
	if n := s.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
	if got := s.sawRanges(); got[1] != "" {
		t.Errorf("retry after 503 sent Range %q, want none", got[1])
	}
}

func TestRetryAfter(t *testing.T) {
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	c := testClient()
	c.Retries = -1
	_, err := c.Fetch(context.Background(), s.URL+"/p", 10)
	var he *HTTPError
	if !errors.As(err, &he) {
		t.Fatalf("error %v, want *HTTPError", err)
	}
	if wait, again := c.retryable(he, 1); !again || wait != 7*time.Second {
		t.Errorf("retryable = %v, %v; want 7s (the Retry-After), true", wait, again)
	}
	he.retryAfter = 0
	if wait, again := c.retryable(he, 1); !again || wait != time.Millisecond {
		t.Errorf("retryable = %v, %v; want 1ms (the backoff), true", wait, again)
	}
}

func TestRetry5xxExhausted(t *testing.T) {
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
	})
	for _, tc := range []struct {
		retries, attempts int
	}{{0, 5}, {2, 3}, {-1, 1}} {
		s.requests.Store(0)
		c := testClient()
		c.Retries = tc.retries
		_, err := c.Fetch(context.Background(), s.URL+"/Python-3.13.1.tgz", 1000)
		want := s.URL + "/Python-3.13.1.tgz: HTTP 503 Service Unavailable"
		if tc.attempts > 1 {
			want += fmt.Sprintf(" after %d attempts", tc.attempts)
		}
		if err == nil || err.Error() != want {
			t.Errorf("Retries %d: error %v, want %q", tc.retries, err, want)
		}
		if !IsNetwork(err) {
			t.Errorf("IsNetwork(%v) = false", err)
		}
		if n := s.requests.Load(); int(n) != tc.attempts {
			t.Errorf("Retries %d: %d requests, want %d", tc.retries, n, tc.attempts)
		}
	}
}

func TestDownloadFull(t *testing.T) {
	data := testData(1 << 20)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		serve(w, r, data)
	})
	r := fetchFile(t, testClient(), s.URL+"/f.tgz", partPath(t), int64(len(data)))
	checkComplete(t, r, data)
	if r.sinks.count() != 1 {
		t.Errorf("%d sinks, want 1", r.sinks.count())
	}
}

func TestDownloadEmpty(t *testing.T) {
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		serve(w, r, nil)
	})
	r := fetchFile(t, testClient(), s.URL+"/empty", partPath(t), 0)
	checkComplete(t, r, nil)
}

func TestResumeAfterCut(t *testing.T) {
	data := testData(1 << 20)
	const n = 300_000
	for _, rst := range []bool{false, true} {
		t.Run(fmt.Sprint("rst=", rst), func(t *testing.T) {
			s := newServer(t, func(_ *server, i int, w http.ResponseWriter, r *http.Request) {
				if i == 1 {
					cut(t, w, data, n, rst)
					return
				}
				serve(w, r, data)
			})
			r := fetchFile(t, testClient(), s.URL+"/f.tgz", partPath(t), int64(len(data)))
			checkComplete(t, r, data)
			if r.sinks.count() != 1 {
				t.Errorf("%d sinks, want 1", r.sinks.count())
			}
			ranges := s.sawRanges()
			if len(ranges) != 2 {
				t.Fatalf("requests with Range %q, want 2 requests", ranges)
			}
			if rst {
				// A reset may drop bytes the client had not read yet.
				var off int
				if _, err := fmt.Sscanf(ranges[1], "bytes=%d-", &off); err != nil || off <= 0 || off > n {
					t.Errorf("second request Range %q, want bytes=N- with 0 < N <= %d", ranges[1], n)
				}
			} else if want := fmt.Sprintf("bytes=%d-", n); ranges[1] != want {
				t.Errorf("second request Range %q, want %q", ranges[1], want)
			}
			if s.ifRanges[1] != `"v1"` {
				t.Errorf("second request If-Range %q, want the ETag", s.ifRanges[1])
			}
		})
	}
}

func TestResumeValidatorChanged(t *testing.T) {
	old, data := testData(100_000), testData(200_000)
	s := newServer(t, func(_ *server, i int, w http.ResponseWriter, r *http.Request) {
		if i == 1 {
			cut(t, w, old, 50_000, false)
			return
		}
		w.Header().Set("ETag", `"v2"`)
		http.ServeContent(w, r, "f", time.Time{}, bytes.NewReader(data))
	})
	r := fetchFile(t, testClient(), s.URL+"/f.tgz", partPath(t), int64(len(data)))
	checkComplete(t, r, data)
	if r.sinks.count() != 2 {
		t.Errorf("%d sinks, want 2 (restart)", r.sinks.count())
	}
}

func TestInterruptedRun(t *testing.T) {
	data := testData(1 << 20)
	half := len(data) / 2
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		serve(w, r, data)
	})
	part := partPath(t)
	if err := os.WriteFile(part, data[:half], 0o666); err != nil {
		t.Fatal(err)
	}
	r := fetchFile(t, testClient(), s.URL+"/f.tgz", part, int64(len(data)))
	checkComplete(t, r, data)
	if r.sinks.count() != 1 {
		t.Errorf("%d sinks, want 1", r.sinks.count())
	}
	if got, want := s.sawRanges(), []string{fmt.Sprintf("bytes=%d-", half)}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Range headers %q, want %q", got, want)
	}
}

func TestInterruptedRunComplete(t *testing.T) {
	data := testData(10_000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		serve(w, r, data) // answers 416 with "bytes */10000"
	})
	part := partPath(t)
	os.WriteFile(part, data, 0o666)
	r := fetchFile(t, testClient(), s.URL+"/f.tgz", part, int64(len(data)))
	checkComplete(t, r, data)
	if n := s.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestRangeIgnored(t *testing.T) {
	data := testData(200_000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Write(data) // 200 whatever the Range
	})
	part := partPath(t)
	os.WriteFile(part, bytes.Repeat([]byte("x"), 1000), 0o666) // not a prefix of data
	r := fetchFile(t, testClient(), s.URL+"/f.tgz", part, int64(len(data)))
	checkComplete(t, r, data)
	if r.sinks.count() != 2 {
		t.Errorf("%d sinks, want 2 (restart)", r.sinks.count())
	}
	if got := s.sawRanges(); len(got) != 1 || got[0] != "bytes=1000-" {
		t.Errorf("Range headers %q, want one bytes=1000-", got)
	}
}

func TestBadContentRange(t *testing.T) {
	data := testData(20_000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Range") != "" {
			w.Header().Set("Content-Range", "bytes 0-19999/20000") // not the range asked for
			w.WriteHeader(http.StatusPartialContent)
			w.Write(data)
			return
		}
		w.Write(data)
	})
	part := partPath(t)
	os.WriteFile(part, data[:500], 0o666)
	r := fetchFile(t, testClient(), s.URL+"/f.tgz", part, int64(len(data)))
	checkComplete(t, r, data)
	if r.sinks.count() != 2 {
		t.Errorf("%d sinks, want 2 (restart)", r.sinks.count())
	}
	if got := s.sawRanges(); fmt.Sprint(got) != "[bytes=500- ]" {
		t.Errorf("Range headers %q, want bytes=500- then none", got)
	}
}

func TestUnexpectedPartialContent(t *testing.T) {
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Range", "bytes 5-9/10")
		w.WriteHeader(http.StatusPartialContent)
		w.Write([]byte("56789"))
	})
	r := fetchFile(t, testClient(), s.URL+"/f", partPath(t), 10)
	if want := s.URL + `/f: unexpected 206 response with Content-Range "bytes 5-9/10"`; r.err == nil || r.err.Error() != want {
		t.Errorf("error %v, want %q", r.err, want)
	}
}

func TestDownloadTooLarge(t *testing.T) {
	data := testData(300_000)
	const limit = 100_000
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprint("chunked=", chunked), func(t *testing.T) {
			s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
				if !chunked {
					w.Header().Set("Content-Length", fmt.Sprint(len(data)))
				}
				for i := 0; i < len(data); i += 10_000 {
					if _, err := w.Write(data[i : i+10_000]); err != nil {
						return
					}
					http.NewResponseController(w).Flush()
				}
			})
			r := fetchFile(t, testClient(), s.URL+"/Python-3.13.1.tgz", partPath(t), limit)
			if !errors.Is(r.err, ErrTooLarge) {
				t.Fatalf("Download: %v, want ErrTooLarge", r.err)
			}
			if want := s.URL + "/Python-3.13.1.tgz: body exceeds the expected 100000 bytes"; r.err.Error() != want {
				t.Errorf("error %q, want %q", r.err, want)
			}
			if len(r.file) > limit {
				t.Errorf("part file holds %d bytes, more than the limit", len(r.file))
			}
			if !chunked && len(r.file) != 0 {
				t.Errorf("part file holds %d bytes though Content-Length was over the limit", len(r.file))
			}
			if !bytes.Equal(r.file, data[:len(r.file)]) {
				t.Error("part file is not a prefix of the body")
			}
			if IsNetwork(r.err) {
				t.Error("IsNetwork(ErrTooLarge) = true")
			}
			if n := s.requests.Load(); n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}

func TestPartLargerThanLimit(t *testing.T) {
	data := testData(1000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		serve(w, r, data)
	})
	part := partPath(t)
	os.WriteFile(part, testData(5000), 0o666)
	r := fetchFile(t, testClient(), s.URL+"/f", part, int64(len(data)))
	checkComplete(t, r, data)
	if got := s.sawRanges(); len(got) != 1 || got[0] != "" {
		t.Errorf("Range headers %q, want one request without Range", got)
	}
}

func TestStall(t *testing.T) {
	data := testData(100_000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		// Send 1000 bytes of what was asked for, then nothing.
		var off int
		fmt.Sscanf(r.Header.Get("Range"), "bytes=%d-", &off)
		w.Header().Set("Content-Length", fmt.Sprint(len(data)-off))
		if off > 0 {
			w.Header().Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", off, len(data)-1, len(data)))
			w.WriteHeader(http.StatusPartialContent)
		}
		w.Write(data[off : off+1000])
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	c := testClient()
	c.StallTimeout = 100 * time.Millisecond
	c.Retries = 2
	r := fetchFile(t, c, s.URL+"/f.tgz", partPath(t), int64(len(data)))
	if want := s.URL + "/f.tgz: no data for 100ms after 3 attempts"; r.err == nil || r.err.Error() != want {
		t.Errorf("error %v, want %q", r.err, want)
	}
	if !IsNetwork(r.err) {
		t.Errorf("IsNetwork(%v) = false", r.err)
	}
	if n := s.requests.Load(); n != 3 {
		t.Errorf("%d requests, want 3", n)
	}
	if got := s.sawRanges(); fmt.Sprint(got) != "[ bytes=1000- bytes=2000-]" {
		t.Errorf("Range headers %q, want none, bytes=1000-, bytes=2000-", got)
	}
	if !bytes.Equal(r.file, data[:3000]) {
		t.Errorf("part file holds %d bytes, want the first 3000", len(r.file))
	}
}

func TestStallThenResume(t *testing.T) {
	data := testData(100_000)
	s := newServer(t, func(_ *server, i int, w http.ResponseWriter, r *http.Request) {
		if i == 1 {
			w.Header().Set("Content-Length", fmt.Sprint(len(data)))
			w.Write(data[:4096])
			http.NewResponseController(w).Flush()
			<-r.Context().Done()
			return
		}
		serve(w, r, data)
	})
	c := testClient()
	c.StallTimeout = 100 * time.Millisecond
	r := fetchFile(t, c, s.URL+"/f.tgz", partPath(t), int64(len(data)))
	checkComplete(t, r, data)
	if got := s.sawRanges(); fmt.Sprint(got) != "[ bytes=4096-]" {
		t.Errorf("Range headers %q, want none then bytes=4096-", got)
	}
}

func TestFetchStall(t *testing.T) {
	s := newServer(t, func(_ *server, i int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "10")
		w.Write([]byte("01234"))
		http.NewResponseController(w).Flush()
		if i == 1 {
			<-r.Context().Done()
			return
		}
		w.Write([]byte("56789"))
	})
	c := testClient()
	c.StallTimeout = 100 * time.Millisecond
	got, err := c.Fetch(context.Background(), s.URL+"/p", 10)
	if err != nil || string(got) != "0123456789" {
		t.Errorf("Fetch = %q, %v; want 0123456789", got, err)
	}
}

func TestConnectTimeout(t *testing.T) {
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never send headers
	})
	c := testClient()
	c.ConnectTimeout = 100 * time.Millisecond
	c.Retries = 1
	_, err := c.Fetch(context.Background(), s.URL+"/p", 10)
	if want := s.URL + "/p: no response for 100ms after 2 attempts"; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if !IsNetwork(err) {
		t.Errorf("IsNetwork(%v) = false", err)
	}
	if n := s.requests.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// TestConnectionRefused checks that a connection refused on loopback is
// final: nothing listens there, and retrying only makes the user wait.
func TestConnectionRefused(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := testClient()
	c.Retries = 2
	_, err = c.Fetch(context.Background(), "http://"+addr+"/p", 10)
	if want := "http://" + addr + "/p: connection refused by " + addr; err == nil || err.Error() != want {
		t.Errorf("error %v, want %q (one attempt)", err, want)
	}
	if !IsNetwork(err) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("error %v: IsNetwork %v, want a network error matching ECONNREFUSED", err, IsNetwork(err))
	}
}

// TestFinalNetErrors checks which network failures are retried.
func TestFinalNetErrors(t *testing.T) {
	refused := func(ip string) error {
		return &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.ParseIP(ip), Port: 443},
			Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}
	}
	for _, tc := range []struct {
		name  string
		err   error
		final bool
		msg   string
	}{
		{"refused on loopback", refused("127.0.0.1"), true, "connection refused by 127.0.0.1:443"},
		{"refused on ::1", refused("::1"), true, "connection refused by [::1]:443"},
		{"refused by a remote host", refused("192.0.2.1"), false, "connection refused by 192.0.2.1:443"},
		{"no such host", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "www.pyth0n.org", IsNotFound: true}}, true, "no such host www.pyth0n.org"},
		{"DNS timeout", &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "i/o timeout", Name: "www.python.org", IsTimeout: true}}, false, "dial tcp: lookup www.python.org: i/o timeout"},
		{"reset", &net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, false, "connection reset by the server"},
	} {
		te, ok := classify(context.Background(), context.Background(), tc.err).(*transferError)
		if !ok {
			t.Errorf("%s: not a transferError", tc.name)
			continue
		}
		if te.retry == tc.final {
			t.Errorf("%s: retry = %v, want %v", tc.name, te.retry, !tc.final)
		}
		if te.Error() != tc.msg {
			t.Errorf("%s: message %q, want %q", tc.name, te.Error(), tc.msg)
		}
	}
}

func TestCancel(t *testing.T) {
	data := testData(100_000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		w.Write(data[:1000])
		http.NewResponseController(w).Flush()
		<-r.Context().Done()
	})
	c := testClient()
	c.StallTimeout = time.Hour
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := c.Download(ctx, s.URL+"/f", partPath(t), int64(len(data)), new(sinks).new, func(int64) { cancel() })
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) || IsNetwork(err) {
			t.Errorf("error %v, want context.Canceled and not a network error", err)
		}
		if want := s.URL + "/f: context canceled"; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Download did not return after cancel")
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		cancel()
	})
	c := testClient()
	c.Backoff = func(int) time.Duration { return time.Hour }
	done := make(chan error, 1)
	go func() {
		_, err := c.Fetch(ctx, s.URL+"/p", 10)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Fetch did not return after cancel")
	}
}

func TestRedirectSameHost(t *testing.T) {
	data := testData(5000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/old" {
			http.Redirect(w, r, "/new", http.StatusFound)
			return
		}
		serve(w, r, data)
	})
	r := fetchFile(t, testClient(), s.URL+"/old", partPath(t), int64(len(data)))
	checkComplete(t, r, data)
}

func TestRedirectToOtherHTTPHostRefused(t *testing.T) {
	target := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("evil"))
	})
	// Same loopback address, but another host as far as redirects go.
	other := strings.Replace(target.URL, "127.0.0.1", "localhost", 1)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other+"/x", http.StatusFound)
	})
	_, err := testClient().Fetch(context.Background(), s.URL+"/x", 100)
	host := strings.TrimPrefix(other, "http://")
	if want := fmt.Sprintf("%s/x: redirect to http host %q refused: only https or same-host redirects are followed", s.URL, host); err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
	if IsNetwork(err) {
		t.Error("IsNetwork(refused redirect) = true")
	}
	if n := target.requests.Load(); n != 0 {
		t.Errorf("redirect target got %d requests", n)
	}
	if n := s.requests.Load(); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func newTLSServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	s := httptest.NewUnstartedServer(h)
	s.Config.ErrorLog = log.New(io.Discard, "", 0)
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func TestRedirectToHTTPS(t *testing.T) {
	data := testData(70_000)
	var (
		mu     sync.Mutex
		ranges []string
	)
	tlsSrv := newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		ranges = append(ranges, r.Header.Get("Range"))
		mu.Unlock()
		serve(w, r, data)
	})
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, tlsSrv.URL+"/cdn/f.tgz", http.StatusFound)
	})
	c := testClient()
	c.HTTP = tlsSrv.Client()
	part := partPath(t)
	os.WriteFile(part, data[:1234], 0o666)
	r := fetchFile(t, c, s.URL+"/f.tgz", part, int64(len(data)))
	checkComplete(t, r, data)
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(ranges) != "[bytes=1234-]" {
		t.Errorf("TLS server saw Range %q, want bytes=1234- (kept across the redirect)", ranges)
	}
	if c.HTTP.CheckRedirect != nil {
		t.Error("the caller's http.Client was modified")
	}
}

func TestRedirectRefused(t *testing.T) {
	var tlsSrv *httptest.Server
	tlsSrv = newTLSServer(t, func(w http.ResponseWriter, r *http.Request) {
		if n := strings.Count(r.URL.Path, "/r"); n > 0 {
			http.Redirect(w, r, strings.Replace(r.URL.Path, "/r", "", 1), http.StatusFound)
			return
		}
		switch r.URL.Path {
		case "/user":
			u := strings.Replace(tlsSrv.URL, "https://", "https://me:secret@", 1)
			http.Redirect(w, r, u+"/ok", http.StatusFound)
		case "/ftp":
			http.Redirect(w, r, "ftp://example.com/x", http.StatusFound)
		case "/downgrade":
			http.Redirect(w, r, strings.Replace(tlsSrv.URL, "https://", "http://", 1)+"/ok", http.StatusFound)
		default:
			w.Write([]byte("ok"))
		}
	})
	host := strings.TrimPrefix(tlsSrv.URL, "https://")
	for _, tc := range []struct{ path, err string }{
		{"/r/r/r/r/r/ok", ""},
		{"/r/r/r/r/r/r/ok", "stopped after 5 redirects"},
		{"/user", fmt.Sprintf("redirect to https host %q refused: user information in URLs is not allowed", host)},
		{"/ftp", `redirect to ftp host "example.com" refused: only https or same-host redirects are followed`},
		{"/downgrade", fmt.Sprintf("redirect to http host %q refused: only https or same-host redirects are followed", host)},
	} {
		c := testClient()
		c.HTTP = tlsSrv.Client()
		got, err := c.Fetch(context.Background(), tlsSrv.URL+tc.path, 100)
		if tc.err == "" {
			if err != nil || string(got) != "ok" {
				t.Errorf("%s: got %q, %v; want ok", tc.path, got, err)
			}
			continue
		}
		if want := tlsSrv.URL + tc.path + ": " + tc.err; err == nil || err.Error() != want {
			t.Errorf("%s: error %v, want %q", tc.path, err, want)
		}
	}
}

func TestTLSVerificationNotRetried(t *testing.T) {
	var conns atomic.Int32
	tlsSrv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	tlsSrv.StartTLS()
	defer tlsSrv.Close()
	c := testClient() // does not trust the test certificate
	_, err := c.Fetch(context.Background(), tlsSrv.URL+"/p", 10)
	if err == nil || !IsNetwork(err) || !isCertError(err) || !strings.HasPrefix(err.Error(), tlsSrv.URL+"/p: tls: ") {
		t.Errorf("error %v, want a certificate verification failure", err)
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("%d connections, want 1 (no retries)", n)
	}
}

func TestMirrorFetch(t *testing.T) {
	var path, query string
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		path, query = r.URL.Path, r.URL.RawQuery
		w.Write([]byte("mirrored"))
	})
	c := testClient()
	c.Mirror = mustParse(t, s.URL+"/base/")
	got, err := c.Fetch(context.Background(), "https://www.python.org/ftp/python/3.13.1/Python-3.13.1.tgz.sigstore?x=1", 100)
	if err != nil || string(got) != "mirrored" {
		t.Fatalf("Fetch = %q, %v", got, err)
	}
	if path != "/base/ftp/python/3.13.1/Python-3.13.1.tgz.sigstore" || query != "x=1" {
		t.Errorf("mirror got path %q query %q", path, query)
	}
}

func TestConcurrent(t *testing.T) {
	files := map[string][]byte{}
	for i := range 8 {
		files[fmt.Sprintf("/f%d", i)] = testData(100_000 + i)
	}
	s := newServer(t, func(_ *server, n int, w http.ResponseWriter, r *http.Request) {
		if n%3 == 0 {
			http.Error(w, "busy", http.StatusBadGateway)
			return
		}
		serve(w, r, files[r.URL.Path])
	})
	c := testClient()
	dir := t.TempDir()
	var wg sync.WaitGroup
	for name, data := range files {
		wg.Go(func() {
			var sk sinks
			part := filepath.Join(dir, name[1:]+".part")
			n, err := c.Download(context.Background(), s.URL+name, part, int64(len(data)), sk.new, nil)
			if err != nil || n != int64(len(data)) || !bytes.Equal(sk.last(), data) {
				t.Errorf("%s: %d, %v", name, n, err)
			}
			body, err := c.Fetch(context.Background(), s.URL+name, int64(len(data)))
			if err != nil || !bytes.Equal(body, data) {
				t.Errorf("Fetch %s: %v", name, err)
			}
		})
	}
	wg.Wait()
}

func TestSinkError(t *testing.T) {
	data := testData(1000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		serve(w, r, data)
	})
	errSink := errors.New("disk on fire")
	_, err := testClient().Download(context.Background(), s.URL+"/f", partPath(t), 1000,
		func() (io.Writer, error) { return failWriter{errSink}, nil }, nil)
	if !errors.Is(err, errSink) || IsNetwork(err) || s.requests.Load() != 1 {
		t.Errorf("error %v after %d requests, want the sink's error after 1", err, s.requests.Load())
	}
	_, err = testClient().Download(context.Background(), s.URL+"/f", partPath(t), 1000,
		func() (io.Writer, error) { return nil, errSink }, nil)
	if !errors.Is(err, errSink) {
		t.Errorf("error %v, want newSink's error", err)
	}
}

type failWriter struct{ err error }

func (w failWriter) Write([]byte) (int, error) { return 0, w.err }

func TestPartFileError(t *testing.T) {
	part := filepath.Join(t.TempDir(), "missing-dir", "f.part")
	_, err := testClient().Download(context.Background(), "http://127.0.0.1:1/f", part, 10, new(sinks).new, nil)
	if !errors.Is(err, os.ErrNotExist) || !IsNetwork(err) {
		t.Errorf("error %v, want a local I/O error", err)
	}
}

func TestNegativeLimit(t *testing.T) {
	c := testClient()
	if _, err := c.Fetch(context.Background(), "http://127.0.0.1:1/f", -1); err == nil || err.Error() != "http://127.0.0.1:1/f: negative limit -1" {
		t.Errorf("Fetch: %v", err)
	}
	if _, err := c.Download(context.Background(), "http://127.0.0.1:1/f", partPath(t), -1, new(sinks).new, nil); err == nil || err.Error() != "http://127.0.0.1:1/f: negative limit -1" {
		t.Errorf("Download: %v", err)
	}
}

func BenchmarkDownload(b *testing.B) {
	data := testData(64 << 20)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "f", time.Time{}, bytes.NewReader(data))
	}))
	defer srv.Close()
	c := &Client{}
	part := filepath.Join(b.TempDir(), "f.part")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		os.Remove(part)
		n, err := c.Download(context.Background(), srv.URL+"/f", part, int64(len(data)),
			func() (io.Writer, error) { return io.Discard, nil }, nil)
		if err != nil || n != int64(len(data)) {
			b.Fatal(n, err)
		}
	}
}

// A server that trickles a byte at a time, faster than the stall timeout,
// would keep a download alive for hours: MinRate cuts it.
func TestTrickleBelowMinRateIsCut(t *testing.T) {
	data := testData(100_000)
	s := newServer(t, func(_ *server, _ int, w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		for i := range data {
			if _, err := w.Write(data[i : i+1]); err != nil {
				return
			}
			http.NewResponseController(w).Flush()
			select {
			case <-r.Context().Done():
				return
			case <-time.After(20 * time.Millisecond):
			}
		}
	})
	c := testClient()
	c.StallTimeout = 200 * time.Millisecond // a byte every 20ms is no stall
	c.MinRate = 1000
	c.Retries = 1
	start := time.Now()
	r := fetchFile(t, c, s.URL+"/f.tgz", partPath(t), int64(len(data)))
	if want := s.URL + "/f.tgz: slower than 1000 bytes/s for 200ms after 2 attempts"; r.err == nil || r.err.Error() != want {
		t.Errorf("error %v, want %q", r.err, want)
	}
	if !IsNetwork(r.err) {
		t.Errorf("IsNetwork(%v) = false", r.err)
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
}
