// Package fixtureserver serves the fake python.org in fixtures/site with
// python.org's URL shapes, for end-to-end tests and the demo. It can inject
// faults (503 and 429 answers, connection resets, oversized and stalled bodies) per
// path at run time.
//
// URL shapes served (GET and HEAD only; anything else is 404 or 405):
//
//	/downloads/release/<slug>/                      → downloads/release/<slug>/index.html
//	/downloads/release/<slug>                        → 301 to the form with a slash
//	/ftp/python/<dir>/<file>                         → ftp/python/<dir>/<file>, with Range support
//	/api/v2/downloads/release_file/?release=<id>     → api/v2/downloads/release_file/release=<id>.json
//	/api/v2/downloads/release/?slug=<slug>           → api/v2/downloads/release/slug=<slug>.json
//	/api/v1/downloads/release_file/?release__slug=<slug>[&offset=<n>]
//	                                                 → api/v1/downloads/release_file/release__slug=<slug>&offset=<n>.json
//	/api/v1/downloads/release/?slug=<slug>           → api/v1/downloads/release/slug=<slug>.json
//	/ftp/python/[<dir>/...]                          → an nginx-style directory listing, only
//	                                                   after SetListings(true)
//
// The API ignores the query parameters "format" and "limit" (the v1 files
// are pre-paged; follow meta.next). Any other query parameter is a 404.
package fixtureserver

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// A Fault changes how the server answers requests for one path. The zero
// Fault means "answer normally". Fields combine: Fail503 is used up first,
// then Fail429, then the body is served with ExtraBytes, ResetAfter and Stall applied.
type Fault struct {
	// Fail503 answers this many requests with 503 Service Unavailable,
	// then answers normally.
	Fail503 int
	// Fail429 answers this many requests with 429 Too Many Requests (as
	// python.org's rate-limited JSON API does), then answers normally.
	Fail429 int
	// RetryAfter, if not empty, is the Retry-After header of the 429
	// answers.
	RetryAfter string
	// ResetAfter, once (on the next GET), sends the headers (with the full
	// Content-Length) and this many body bytes, then resets the TCP
	// connection. A body no longer than ResetAfter is sent whole.
	ResetAfter int64
	// ExtraBytes serves the file with this many extra bytes appended; the
	// Content-Length matches the longer body.
	ExtraBytes int64
	// Stall sends the headers and half of the body, then hangs until the
	// request's context ends (the client gives up) or the server is closed.
	Stall bool
	// Status, if not 0, answers every request with this HTTP status (such
	// as 403 or 418) and a short text body.
	Status int
	// RedirectTo, if set, answers every request with a 302 redirect to
	// this URL.
	RedirectTo string
}

// maxRequests bounds the request log of a long-running server.
const maxRequests = 1 << 16

// A Server is an http.Handler serving a fixture site directory. It is safe
// for concurrent use.
type Server struct {
	root string

	mu       sync.Mutex
	listings bool
	faults   map[string]*Fault
	hits     map[string]int
	requests []string

	closeOnce sync.Once
	closed    chan struct{}
}

// New returns a Server for the site directory root (fixtures/site).
func New(root string) *Server {
	return &Server{
		root:   root,
		faults: make(map[string]*Fault),
		hits:   make(map[string]int),
		closed: make(chan struct{}),
	}
}

// SetFault sets the fault for requests to path, replacing any earlier one;
// the zero Fault clears it. path is a URL path such as
// /ftp/python/3.12.4/Python-3.12.4.tgz, or a path and query such as
// /api/v2/downloads/release_file/?release=905 to target one API query (the
// query must match the request's raw query exactly). A fault set for a path
// and query takes precedence over one set for the path alone.
func (s *Server) SetFault(path string, f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == (Fault{}) {
		delete(s.faults, path)
		return
	}
	s.faults[path] = &f
}

// SetListings turns on (or off) directory listings under /ftp/python/,
// rendered as nginx's autoindex renders python.org's: one link per entry in
// a <pre>, a trailing slash for directories, then the date and the size.
func (s *Server) SetListings(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listings = on
}

// Hits returns how many requests the server has received for path (a URL
// path, or a path and raw query as for SetFault), whatever their outcome.
func (s *Server) Hits(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// Requests returns the requests received so far (the most recent
// maxRequests of them), in order, as "METHOD /path?query", followed by
// " Range: <value>" when the request had a Range header.
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// Close releases handlers that are stalled by a Stall fault. The Server
// keeps serving; later stalls return at once.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	full := r.URL.Path
	if r.URL.RawQuery != "" {
		full += "?" + r.URL.RawQuery
	}
	fault := s.record(r, full)

	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if fault.Fail503 > 0 {
		http.Error(w, "503 service unavailable (injected)", http.StatusServiceUnavailable)
		return
	}
	if fault.Status != 0 {
		http.Error(w, fmt.Sprintf("%d (injected)", fault.Status), fault.Status)
		return
	}
	if fault.RedirectTo != "" {
		http.Redirect(w, r, fault.RedirectTo, http.StatusFound)
		return
	}
	if fault.Fail429 > 0 {
		if fault.RetryAfter != "" {
			w.Header().Set("Retry-After", fault.RetryAfter)
		}
		http.Error(w, "429 too many requests (injected)", http.StatusTooManyRequests)
		return
	}
	if s.listingOn() && strings.HasPrefix(r.URL.Path, "/ftp/python/") && strings.HasSuffix(r.URL.Path, "/") {
		s.serveListing(w, r)
		return
	}
	file, redirect, ok := s.resolve(r.URL)
	if redirect != "" {
		http.Redirect(w, r, redirect, http.StatusMovedPermanently)
		return
	}
	if !ok {
		http.NotFound(w, r)
		return
	}
	s.serveFile(w, r, file, fault)
}

// record counts the request and returns the fault to apply to it, using up
// one 503 or 429 and a one-shot reset.
func (s *Server) record(r *http.Request, full string) Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	line := r.Method + " " + full
	if rg := r.Header.Get("Range"); rg != "" {
		line += " Range: " + rg
	}
	if len(s.requests) >= maxRequests {
		s.requests = append(s.requests[:0], s.requests[maxRequests/2:]...)
	}
	s.requests = append(s.requests, line)
	s.hits[r.URL.Path]++
	if full != r.URL.Path {
		s.hits[full]++
	}
	f := s.faults[full]
	if f == nil {
		f = s.faults[r.URL.Path]
	}
	if f == nil {
		return Fault{}
	}
	out := *f
	if f.Fail503 > 0 {
		f.Fail503--
		return Fault{Fail503: 1}
	}
	if f.Fail429 > 0 {
		f.Fail429--
		return Fault{Fail429: 1, RetryAfter: f.RetryAfter}
	}
	if r.Method == http.MethodGet {
		f.ResetAfter = 0 // one-shot: the retry gets the whole body
	} else {
		out.ResetAfter = 0
	}
	return out
}

// resolve maps a request URL to a file under the root. It returns a
// redirect target for release pages asked for without the final slash.
func (s *Server) resolve(u *url.URL) (file, redirect string, ok bool) {
	p := u.Path
	if p == "" || p[0] != '/' || strings.ContainsAny(p, "\\\x00") {
		return "", "", false
	}
	// Reject any dot segment or empty segment instead of cleaning it away.
	segs := strings.Split(strings.TrimSuffix(p[1:], "/"), "/")
	for _, seg := range segs {
		if seg == "" || seg == "." || seg == ".." {
			return "", "", false
		}
	}
	dir := strings.HasSuffix(p, "/")
	q := u.Query()
	switch {
	case len(segs) == 3 && segs[0] == "downloads" && segs[1] == "release" && validSlug(segs[2]):
		if len(u.Query()) > 0 {
			return "", "", false
		}
		if !dir {
			return "", p + "/", false
		}
		return path.Join("downloads/release", segs[2], "index.html"), "", true
	case len(segs) >= 4 && segs[0] == "ftp" && segs[1] == "python" && !dir:
		return path.Join(segs...), "", true
	case p == "/api/v2/downloads/release_file/":
		if id, ok := onlyParam(q, "release"); ok && validID(id) {
			return "api/v2/downloads/release_file/release=" + id + ".json", "", true
		}
	case p == "/api/v2/downloads/release/":
		if slug, ok := onlyParam(q, "slug"); ok && validSlug(slug) {
			return "api/v2/downloads/release/slug=" + slug + ".json", "", true
		}
	case p == "/api/v1/downloads/release/":
		if slug, ok := onlyParam(q, "slug"); ok && validSlug(slug) {
			return "api/v1/downloads/release/slug=" + slug + ".json", "", true
		}
	case p == "/api/v1/downloads/release_file/":
		offset := "0"
		if vs, ok := q["offset"]; ok {
			if len(vs) != 1 || !validID(vs[0]) {
				return "", "", false
			}
			offset = vs[0]
			q.Del("offset")
		}
		if slug, ok := onlyParam(q, "release__slug"); ok && validSlug(slug) {
			return "api/v1/downloads/release_file/release__slug=" + slug + "&offset=" + offset + ".json", "", true
		}
	}
	return "", "", false
}

// onlyParam returns the single value of key if q holds nothing else but
// the ignored parameters "format" and "limit".
func onlyParam(q url.Values, key string) (string, bool) {
	for k, v := range q {
		switch k {
		case key:
			if len(v) != 1 {
				return "", false
			}
		case "format", "limit":
		default:
			return "", false
		}
	}
	v, ok := q[key]
	if !ok {
		return "", false
	}
	return v[0], true
}

func validSlug(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func validID(s string) bool {
	if s == "" || len(s) > 9 || len(s) > 1 && s[0] == '0' {
		return false
	}
	_, err := strconv.Atoi(s)
	return err == nil && !strings.ContainsAny(s, "+-")
}

var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".json": "application/json",
	".asc":  "application/pgp-signature",
}

// serveFile serves a regular file under the root with http.ServeContent
// (so Range, HEAD and conditional requests work), applying f.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, rel string, f Fault) {
	fh, err := os.Open(filepath.Join(s.root, filepath.FromSlash(rel)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil || !st.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	ct, ok := contentTypes[path.Ext(rel)]
	if !ok {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)

	var content io.ReadSeeker = fh
	if f.ExtraBytes > 0 {
		content = io.NewSectionReader(padded{fh, st.Size()}, 0, st.Size()+f.ExtraBytes)
	}
	if f.ResetAfter > 0 || f.Stall {
		w = &faultWriter{ResponseWriter: w, r: r, s: s, f: f}
	}
	http.ServeContent(w, r, path.Base(rel), st.ModTime(), content)
}

func (s *Server) listingOn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listings
}

// serveListing renders the directory under /ftp/python/ that r names.
func (s *Server) serveListing(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		if seg == "" || seg == "." || seg == ".." || strings.ContainsAny(seg, "\\\x00") {
			http.NotFound(w, r)
			return
		}
	}
	des, err := os.ReadDir(filepath.Join(s.root, filepath.FromSlash(strings.Trim(p, "/"))))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "<html>\n<head><title>Index of %s</title></head>\n<body>\n<h1>Index of %s</h1><hr><pre><a href=\"../\">../</a>\n",
		html.EscapeString(p), html.EscapeString(p))
	for _, de := range des {
		st, err := de.Info()
		if err != nil {
			continue
		}
		name, size := de.Name(), strconv.FormatInt(st.Size(), 10)
		if de.IsDir() {
			name, size = name+"/", "-"
		}
		fmt.Fprintf(&b, "<a href=\"%s\">%s</a> %s %19s\n", (&url.URL{Path: name}).EscapedPath(),
			html.EscapeString(name), st.ModTime().UTC().Format("02-Jan-2006 15:04"), size)
	}
	b.WriteString("</pre><hr></body>\n</html>\n")
	w.Header().Set("Content-Type", "text/html")
	w.Write(b.Bytes())
}

// padded reads a file of the given size followed by endless 'X' bytes.
type padded struct {
	f    io.ReaderAt
	size int64
}

func (p padded) ReadAt(b []byte, off int64) (int, error) {
	n := 0
	if off < p.size {
		m, err := p.f.ReadAt(b[:min(int64(len(b)), p.size-off)], off)
		n += m
		if err != nil && err != io.EOF {
			return n, err
		}
		if n < len(b) && off+int64(n) < p.size {
			return n, io.ErrUnexpectedEOF
		}
	}
	copy(b[n:], bytes.Repeat([]byte{'X'}, len(b)-n))
	return len(b), nil
}

// faultWriter applies ResetAfter and Stall to a response body.
type faultWriter struct {
	http.ResponseWriter
	r       *http.Request
	s       *Server
	f       Fault
	status  int
	length  int64 // Content-Length of the response, -1 if unknown
	written int64
	dead    bool
}

func (fw *faultWriter) WriteHeader(code int) {
	fw.status = code
	fw.length = -1
	if cl := fw.Header().Get("Content-Length"); cl != "" {
		fw.length, _ = strconv.ParseInt(cl, 10, 64)
	}
	fw.ResponseWriter.WriteHeader(code)
}

func (fw *faultWriter) Write(b []byte) (int, error) {
	if fw.status == 0 {
		fw.WriteHeader(http.StatusOK)
	}
	if fw.dead {
		return 0, errFaulted
	}
	if fw.status != http.StatusOK && fw.status != http.StatusPartialContent {
		return fw.ResponseWriter.Write(b)
	}
	limit := int64(-1)
	switch {
	case fw.f.ResetAfter > 0:
		limit = fw.f.ResetAfter
	case fw.f.Stall && fw.length >= 0:
		limit = fw.length / 2
	}
	if limit < 0 || fw.written+int64(len(b)) <= limit {
		n, err := fw.ResponseWriter.Write(b)
		fw.written += int64(n)
		return n, err
	}
	n, _ := fw.ResponseWriter.Write(b[:limit-fw.written])
	fw.written += int64(n)
	fw.dead = true
	if fw.f.ResetAfter > 0 {
		fw.reset()
	} else {
		fw.stall()
	}
	return n, errFaulted
}

var errFaulted = fmt.Errorf("fixtureserver: injected fault")

// reset flushes what was written and aborts the TCP connection with a RST.
func (fw *faultWriter) reset() {
	_ = http.NewResponseController(fw.ResponseWriter).Flush()
	conn, _, err := http.NewResponseController(fw.ResponseWriter).Hijack()
	if err != nil {
		// HTTP/2 or a recorder: abort the handler, which resets the stream.
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// stall flushes what was written and waits until the client gives up or
// the server is closed.
func (fw *faultWriter) stall() {
	_ = http.NewResponseController(fw.ResponseWriter).Flush()
	select {
	case <-fw.r.Context().Done():
	case <-fw.s.closed:
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (fw *faultWriter) Unwrap() http.ResponseWriter { return fw.ResponseWriter }
