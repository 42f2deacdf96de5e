package fixtureserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

const siteRoot = "../../fixtures/site"

const tgzPath = "/ftp/python/3.12.4/Python-3.12.4.tgz"

func newServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	s := New(siteRoot)
	ts := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close()
		ts.Close()
	})
	return s, ts
}

func siteFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(siteRoot, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// get fetches path and returns the response with its whole body read.
func get(t *testing.T, ts *httptest.Server, path string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := noRedirect(ts).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading body: %v", path, err)
	}
	return resp, body
}

func noRedirect(ts *httptest.Server) *http.Client {
	c := *ts.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

func TestReleasePage(t *testing.T) {
	_, ts := newServer(t)
	for _, slug := range []string{"python-3615", "python-3124", "python-3141"} {
		resp, body := get(t, ts, "/downloads/release/"+slug+"/")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", slug, resp.StatusCode)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", slug, ct)
		}
		if want := siteFile(t, "downloads/release/"+slug+"/index.html"); !bytes.Equal(body, want) {
			t.Errorf("%s: body differs from index.html", slug)
		}
	}
	resp, _ := get(t, ts, "/downloads/release/python-3124")
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/downloads/release/python-3124/" {
		t.Errorf("no slash: got %d Location %q, want 301 to the slash form", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestAPIv2(t *testing.T) {
	_, ts := newServer(t)
	for path, file := range map[string]string{
		"/api/v2/downloads/release_file/?release=905":             "api/v2/downloads/release_file/release=905.json",
		"/api/v2/downloads/release_file/?release=905&format=json": "api/v2/downloads/release_file/release=905.json",
		"/api/v2/downloads/release/?slug=python-3141":             "api/v2/downloads/release/slug=python-3141.json",
		"/api/v1/downloads/release/?slug=python-3615":             "api/v1/downloads/release/slug=python-3615.json",
	} {
		resp, body := get(t, ts, path)
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", path, resp.StatusCode)
			continue
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		if !bytes.Equal(body, siteFile(t, file)) {
			t.Errorf("%s: body differs from %s", path, file)
		}
	}
}

func TestAPIv1Paging(t *testing.T) {
	_, ts := newServer(t)
	var v2 []map[string]any
	if err := json.Unmarshal(siteFile(t, "api/v2/downloads/release_file/release=905.json"), &v2); err != nil {
		t.Fatal(err)
	}
	next := "/api/v1/downloads/release_file/?release__slug=python-3124&limit=20"
	var urls []string
	pages := 0
	for next != "" {
		if pages++; pages > 10 {
			t.Fatal("next chain does not end")
		}
		resp, body := get(t, ts, next)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: status %d", next, resp.StatusCode)
		}
		var doc struct {
			Meta struct {
				Limit      int     `json:"limit"`
				Offset     int     `json:"offset"`
				TotalCount int     `json:"total_count"`
				Next       *string `json:"next"`
			}
			Objects []struct{ URL string }
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatalf("%s: %v", next, err)
		}
		if doc.Meta.Limit != 2 || doc.Meta.TotalCount != len(v2) || doc.Meta.Offset != len(urls) {
			t.Fatalf("%s: meta %+v after %d objects", next, doc.Meta, len(urls))
		}
		for _, o := range doc.Objects {
			urls = append(urls, o.URL)
		}
		next = ""
		if doc.Meta.Next != nil {
			next = *doc.Meta.Next
		}
	}
	if pages != 3 || len(urls) != len(v2) {
		t.Fatalf("followed %d pages with %d objects, want 3 pages with %d", pages, len(urls), len(v2))
	}
	for i, o := range v2 {
		if urls[i] != o["url"] {
			t.Errorf("object %d: v1 url %q, v2 url %q", i, urls[i], o["url"])
		}
	}
	// offset defaults to 0.
	_, a := get(t, ts, "/api/v1/downloads/release_file/?release__slug=python-3124")
	_, b := get(t, ts, "/api/v1/downloads/release_file/?release__slug=python-3124&offset=0")
	if !bytes.Equal(a, b) {
		t.Error("no offset and offset=0 differ")
	}
}

func TestFTPRange(t *testing.T) {
	_, ts := newServer(t)
	want := siteFile(t, "ftp/python/3.12.4/Python-3.12.4.tgz")

	resp, body := get(t, ts, tgzPath)
	if resp.StatusCode != http.StatusOK || !bytes.Equal(body, want) {
		t.Fatalf("GET: status %d, %d bytes, want 200 and %d bytes", resp.StatusCode, len(body), len(want))
	}
	if resp.ContentLength != int64(len(want)) || resp.Header.Get("Accept-Ranges") != "bytes" {
		t.Errorf("GET: Content-Length %d, Accept-Ranges %q", resp.ContentLength, resp.Header.Get("Accept-Ranges"))
	}

	resp, body = get(t, ts, tgzPath, "Range", "bytes=1000-1999")
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[1000:2000]) {
		t.Fatalf("Range 1000-1999: status %d, %d bytes", resp.StatusCode, len(body))
	}
	if cr := resp.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes 1000-1999/%d", len(want)) {
		t.Errorf("Content-Range %q", cr)
	}

	resp, body = get(t, ts, tgzPath, "Range", fmt.Sprintf("bytes=%d-", len(want)-10))
	if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(body, want[len(want)-10:]) {
		t.Errorf("open-ended range: status %d, %d bytes", resp.StatusCode, len(body))
	}

	resp, _ = get(t, ts, tgzPath, "Range", fmt.Sprintf("bytes=%d-", len(want)))
	if resp.StatusCode != http.StatusRequestedRangeNotSatisfiable {
		t.Errorf("range past the end: status %d, want 416", resp.StatusCode)
	}

	hresp, err := ts.Client().Head(ts.URL + tgzPath)
	if err != nil {
		t.Fatal(err)
	}
	hresp.Body.Close()
	if hresp.StatusCode != http.StatusOK || hresp.ContentLength != int64(len(want)) {
		t.Errorf("HEAD: status %d, Content-Length %d", hresp.StatusCode, hresp.ContentLength)
	}
}

// rawRequest sends target verbatim (no client-side cleaning) and returns
// the status code.
func rawRequest(t *testing.T, ts *httptest.Server, method, target string) int {
	t.Helper()
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", method, target)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestNotFoundAndTraversal(t *testing.T) {
	_, ts := newServer(t)
	for _, target := range []string{
		"/",
		"/index.html",
		"/ftp/",
		"/ftp/python/",
		"/ftp/python/3.12.4/",
		"/ftp/python/3.12.4",
		"/ftp/python/3.12.4/nope.tgz",
		"/ftp/python/3.12.4/Python-3.12.4.tgz/",
		"/ftp/python/../../../go.mod",
		"/ftp/python/3.12.4/../../../../go.mod",
		"/ftp/python/3.12.4/..%2f..%2f..%2f..%2fgo.mod",
		"/ftp/python/%2e%2e/%2e%2e/%2e%2e/go.mod",
		"/ftp/python/3.12.4/./Python-3.12.4.tgz",
		"/ftp/python/3.12.4//Python-3.12.4.tgz",
		"/ftp/python/3.12.4/..\\..\\go.mod",
		"/downloads/release/python-3124/index.html",
		"/downloads/release/",
		"/downloads/release/../../go.mod/",
		"/downloads/release/python-9999/",
		"/downloads/release/python-3124/?x=1",
		"/api/",
		"/api/v2/downloads/release_file/",
		"/api/v2/downloads/release_file/?release=../../../go.mod",
		"/api/v2/downloads/release_file/?release=0905",
		"/api/v2/downloads/release_file/?release=905&release=906",
		"/api/v2/downloads/release_file/?release=905&evil=1",
		"/api/v2/downloads/release_file/release=905.json",
		"/api/v2/downloads/release/?slug=../python-3124",
		"/api/v2/downloads/release/?slug=Python-3124",
		"/api/v1/downloads/release_file/?release__slug=python-3124&offset=1",
		"/api/v1/downloads/release_file/?release__slug=python-3124&offset=-2",
		"/api/v1/downloads/release_file/?offset=0",
		"/api/v1/downloads/release_file/?release__slug=python-3124&offset=0&offset=2",
	} {
		if code := rawRequest(t, ts, "GET", target); code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", target, code)
		}
	}
	if code := rawRequest(t, ts, "POST", tgzPath); code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", code)
	}
}

func TestHitsAndRequests(t *testing.T) {
	s, ts := newServer(t)
	get(t, ts, tgzPath)
	get(t, ts, tgzPath, "Range", "bytes=5-")
	get(t, ts, "/api/v2/downloads/release_file/?release=905")
	if n := s.Hits(tgzPath); n != 2 {
		t.Errorf("Hits(tgz) = %d, want 2", n)
	}
	if n := s.Hits("/api/v2/downloads/release_file/"); n != 1 {
		t.Errorf("Hits(api path) = %d, want 1", n)
	}
	if n := s.Hits("/api/v2/downloads/release_file/?release=905"); n != 1 {
		t.Errorf("Hits(api query) = %d, want 1", n)
	}
	if n := s.Hits("/ftp/python/3.6.15/Python-3.6.15.tgz"); n != 0 {
		t.Errorf("Hits(untouched) = %d, want 0", n)
	}
	want := []string{
		"GET " + tgzPath,
		"GET " + tgzPath + " Range: bytes=5-",
		"GET /api/v2/downloads/release_file/?release=905",
	}
	if got := s.Requests(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Requests() = %q, want %q", got, want)
	}
}

func TestFault503(t *testing.T) {
	s, ts := newServer(t)
	s.SetFault(tgzPath, Fault{Fail503: 2})
	for i, want := range []int{503, 503, 200, 200} {
		if resp, _ := get(t, ts, tgzPath); resp.StatusCode != want {
			t.Errorf("request %d: status %d, want %d", i, resp.StatusCode, want)
		}
	}
	// A fault on one API query leaves other queries of the same path alone.
	s.SetFault("/api/v2/downloads/release_file/?release=905", Fault{Fail503: 1})
	if resp, _ := get(t, ts, "/api/v2/downloads/release_file/?release=663"); resp.StatusCode != 200 {
		t.Errorf("other query: status %d", resp.StatusCode)
	}
	if resp, _ := get(t, ts, "/api/v2/downloads/release_file/?release=905"); resp.StatusCode != 503 {
		t.Errorf("faulted query: status %d, want 503", resp.StatusCode)
	}
	// Clearing a fault.
	s.SetFault(tgzPath, Fault{Fail503: 5})
	s.SetFault(tgzPath, Fault{})
	if resp, _ := get(t, ts, tgzPath); resp.StatusCode != 200 {
		t.Errorf("after clearing: status %d", resp.StatusCode)
	}
}

func TestFault429(t *testing.T) {
	s, ts := newServer(t)
	s.SetFault(tgzPath, Fault{Fail429: 1, RetryAfter: "3600"})
	resp, _ := get(t, ts, tgzPath)
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "3600" {
		t.Errorf("first request: status %d, Retry-After %q; want 429, \"3600\"", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if resp, _ := get(t, ts, tgzPath); resp.StatusCode != 200 {
		t.Errorf("second request: status %d, want 200", resp.StatusCode)
	}
}

func TestFaultReset(t *testing.T) {
	s, ts := newServer(t)
	want := siteFile(t, "ftp/python/3.12.4/Python-3.12.4.tgz")
	const n = 70000
	s.SetFault(tgzPath, Fault{ResetAfter: n})

	resp, err := ts.Client().Get(ts.URL + tgzPath)
	if err != nil {
		t.Fatal(err)
	}
	if resp.ContentLength != int64(len(want)) {
		t.Errorf("Content-Length %d, want the full %d", resp.ContentLength, len(want))
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil {
		t.Fatalf("read %d bytes without error, want a broken connection", len(body))
	}
	if len(body) > n || !bytes.Equal(body, want[:len(body)]) {
		t.Errorf("got %d bytes before the reset, want a prefix of at most %d", len(body), n)
	}

	// One-shot: resuming with a Range request gets the rest.
	resp2, rest := get(t, ts, tgzPath, "Range", fmt.Sprintf("bytes=%d-", len(body)))
	if resp2.StatusCode != http.StatusPartialContent || !bytes.Equal(append(body, rest...), want) {
		t.Errorf("resume: status %d, %d+%d bytes, want %d", resp2.StatusCode, len(body), len(rest), len(want))
	}
}

func TestFaultResetExact(t *testing.T) {
	// Over a raw connection the bytes before the reset can be counted.
	s, ts := newServer(t)
	const n = 1234
	s.SetFault(tgzPath, Fault{ResetAfter: n})
	conn, err := net.Dial("tcp", ts.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: x\r\n\r\n", tgzPath)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	if err == nil || len(body) != n {
		t.Errorf("got %d bytes and error %v, want %d bytes and an error", len(body), err, n)
	}
}

func TestFaultExtraBytes(t *testing.T) {
	s, ts := newServer(t)
	want := siteFile(t, "ftp/python/3.12.4/Python-3.12.4.tgz")
	s.SetFault(tgzPath, Fault{ExtraBytes: 100})
	resp, body := get(t, ts, tgzPath)
	if resp.StatusCode != 200 || resp.ContentLength != int64(len(want)+100) || len(body) != len(want)+100 {
		t.Fatalf("status %d, Content-Length %d, %d bytes; want %d", resp.StatusCode, resp.ContentLength, len(body), len(want)+100)
	}
	if !bytes.Equal(body[:len(want)], want) || !bytes.Equal(body[len(want):], bytes.Repeat([]byte("X"), 100)) {
		t.Error("body is not the file followed by the extra bytes")
	}
	// Ranges see the longer file too.
	resp, body = get(t, ts, tgzPath, "Range", fmt.Sprintf("bytes=%d-", len(want)-5))
	if resp.StatusCode != http.StatusPartialContent || len(body) != 105 {
		t.Errorf("range over the padding: status %d, %d bytes, want 206 and 105", resp.StatusCode, len(body))
	}
}

func TestFaultStall(t *testing.T) {
	s, ts := newServer(t)
	want := siteFile(t, "ftp/python/3.12.4/Python-3.12.4.tgz")
	s.SetFault(tgzPath, Fault{Stall: true})

	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+tgzPath, nil)
	resp, err := ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	_, err = io.Copy(&got, resp.Body)
	resp.Body.Close()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("read ended with %v, want the context deadline", err)
	}
	if got.Len() != len(want)/2 || !bytes.Equal(got.Bytes(), want[:got.Len()]) {
		t.Errorf("got %d bytes before the stall, want %d", got.Len(), len(want)/2)
	}
	// The stall persists: Close releases a stalled handler.
	done := make(chan error, 1)
	go func() {
		resp, err := ts.Client().Get(ts.URL + tgzPath)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	s.Close()
	select {
	case err := <-done:
		if err == nil {
			t.Error("stalled download completed without error after Close")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Close did not release the stalled handler")
	}
}

func TestConcurrentFaults(t *testing.T) {
	s, ts := newServer(t)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(2)
		go func() {
			defer wg.Done()
			s.SetFault(tgzPath, Fault{Fail503: i % 2, ExtraBytes: int64(i)})
			_ = s.Hits(tgzPath)
			_ = s.Requests()
		}()
		go func() {
			defer wg.Done()
			resp, err := ts.Client().Get(ts.URL + tgzPath)
			if err == nil {
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	if n := s.Hits(tgzPath); n != 8 {
		t.Errorf("Hits = %d, want 8", n)
	}
}

// FuzzResolve checks that no request URL maps outside the site: every
// file resolve returns is a clean relative path under one of the served
// trees.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"/downloads/release/python-3124/",
		"/downloads/release/python-3124",
		tgzPath,
		"/ftp/python/../../go.mod",
		"/ftp/python/3.12.4/..%2f..%2fgo.mod",
		"/api/v2/downloads/release_file/?release=905",
		"/api/v2/downloads/release/?slug=python-3141",
		"/api/v1/downloads/release_file/?release__slug=python-3124&offset=2&limit=20",
		"/api/v1/downloads/release/?slug=../../x",
		"//ftp/python/x/y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		u, err := url.ParseRequestURI(target)
		if err != nil {
			return
		}
		file, redirect, ok := (&Server{}).resolve(u)
		if redirect != "" && (ok || !strings.HasPrefix(redirect, "/downloads/release/") || !strings.HasSuffix(redirect, "/")) {
			t.Fatalf("%q: redirect %q", target, redirect)
		}
		if !ok {
			return
		}
		if file == "" || path.IsAbs(file) || path.Clean(file) != file || strings.ContainsAny(file, "\\\x00") {
			t.Fatalf("%q: resolved to unsafe %q", target, file)
		}
		for _, seg := range strings.Split(file, "/") {
			if seg == ".." || seg == "." || seg == "" {
				t.Fatalf("%q: resolved to unsafe %q", target, file)
			}
		}
		if !strings.HasPrefix(file, "ftp/python/") && !strings.HasPrefix(file, "downloads/release/") && !strings.HasPrefix(file, "api/v") {
			t.Fatalf("%q: resolved outside the served trees: %q", target, file)
		}
	})
}

func TestListings(t *testing.T) {
	s, ts := newServer(t)
	if resp, _ := get(t, ts, "/ftp/python/3.12.4/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("listing served before SetListings: %d", resp.StatusCode)
	}
	s.SetListings(true)
	resp, body := get(t, ts, "/ftp/python/")
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `<a href="3.12.4/">3.12.4/</a>`) {
		t.Errorf("root listing: %d\n%s", resp.StatusCode, body)
	}
	resp, body = get(t, ts, "/ftp/python/3.6.15/")
	if resp.StatusCode != http.StatusOK || !regexp.MustCompile(`<a href="Python-3.6.15.tgz">Python-3.6.15.tgz</a> \S+ \S+ +\d+\n`).Match(body) {
		t.Errorf("release listing: %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(t, ts, "/ftp/python/9.9.9/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("listing of a missing directory: %d", resp.StatusCode)
	}
}
