package download

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pyverify/pyverify/internal/safefs"
	"github.com/pyverify/pyverify/internal/safetext"
)

// Fetch gets a small document (a page, API JSON, a sidecar) into memory. A
// body longer than limit bytes fails with ErrTooLarge. The body is read
// through the transport's transparent gzip decoding, if any, and the limit
// applies to the decoded bytes.
func (c *Client) Fetch(ctx context.Context, rawURL string, limit int64) ([]byte, error) {
	u, err := c.Resolve(rawURL)
	if err != nil {
		return nil, err
	}
	if limit < 0 {
		return nil, fmt.Errorf("%s: negative limit %d", safetext.URL(u.String()), limit)
	}
	var buf bytes.Buffer
	err = c.retry(ctx, u, func() error {
		buf.Reset()
		resp, err := c.get(ctx, u, nil)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode/100 != 2 || resp.StatusCode == http.StatusPartialContent {
			return newHTTPError(u, resp)
		}
		if resp.ContentLength > limit {
			return &sizeError{limit: limit}
		}
		_, err = copyBody(&buf, resp.Body, 0, limit, false)
		return err
	})
	if err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Download streams rawURL into the file partPath (created if missing; a
// symbolic link or anything but a regular file of the user's there is
// replaced, see safefs.OpenOwnReplacing) and
// into the writer returned by newSink, and returns the total size.
//
// If partPath already holds n bytes (from an interrupted earlier run; more
// than limit bytes are discarded), Download first feeds those n bytes to the
// sink, so the whole file is seen by it, then asks the server for the rest
// with "Range: bytes=n-". If the server answers 200 instead of 206, or with a
// Content-Range that does not continue the file, Download truncates partPath
// and calls newSink again to start over from byte 0. A retry after a failure
// mid-body resumes the same way from the current offset, with If-Range set
// to the first response's strong ETag or Last-Modified, and the sink
// continues.
//
// A body longer than limit bytes fails with ErrTooLarge; partPath then holds
// at most limit bytes. On any error partPath is left in place so that a later
// call can resume.
//
// On error, the count returned is the number of bytes in partPath.
//
// progress, if not nil, is called with the number of bytes added to the
// file: first the bytes already in partPath, then each chunk received, and a
// negative count (minus the bytes so far) when the download starts over.
func (c *Client) Download(ctx context.Context, rawURL, partPath string, limit int64, newSink func() (io.Writer, error), progress func(int64)) (int64, error) {
	u, err := c.Resolve(rawURL)
	if err != nil {
		return 0, err
	}
	if limit < 0 {
		return 0, fmt.Errorf("%s: negative limit %d", safetext.URL(u.String()), limit)
	}
	if progress == nil {
		progress = func(int64) {}
	}
	// The part file is pyverify's own: a symbolic link, a named pipe or
	// another user's file planted in its place is removed, never written
	// through.
	f, err := safefs.OpenOwnReplacing(partPath, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return 0, &transferError{err, false}
	}
	d := &download{c: c, u: u, f: f, limit: limit, newSink: newSink, progress: progress}
	if err = d.start(); err != nil {
		err = wrap(u, err, 1)
	} else {
		err = c.retry(ctx, u, func() error { return d.try(ctx) })
	}
	if cerr := f.Close(); cerr != nil && err == nil {
		err = &transferError{cerr, false}
	}
	return d.off, err
}

// download is the state of one Download call.
type download struct {
	c         *Client
	u         *url.URL
	f         *os.File
	limit     int64
	newSink   func() (io.Writer, error)
	progress  func(int64)
	sink      io.Writer
	off       int64  // bytes in f and fed to sink
	validator string // If-Range value for resumed requests
}

// start feeds the bytes already in the part file to a new sink.
func (d *download) start() error {
	fi, err := d.f.Stat()
	if err != nil {
		return &transferError{err, false}
	}
	if fi.Size() > d.limit {
		return d.restart()
	}
	if d.sink, err = d.newSink(); err != nil {
		return err
	}
	n, err := io.Copy(d.sink, io.NewSectionReader(d.f, 0, fi.Size()))
	if err == nil && n != fi.Size() {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return fmt.Errorf("%s: reading: %w", d.f.Name(), err)
	}
	if _, err := d.f.Seek(n, io.SeekStart); err != nil {
		return &transferError{err, false}
	}
	d.off = n
	if n > 0 {
		d.progress(n)
	}
	return nil
}

// restart empties the part file and starts a new sink.
func (d *download) restart() error {
	if err := d.f.Truncate(0); err != nil {
		return &transferError{err, false}
	}
	if _, err := d.f.Seek(0, io.SeekStart); err != nil {
		return &transferError{err, false}
	}
	if d.off != 0 {
		d.progress(-d.off)
	}
	d.off, d.validator = 0, ""
	var err error
	d.sink, err = d.newSink()
	return err
}

// try makes one request for the rest of the file.
func (d *download) try(ctx context.Context) error {
	h := http.Header{"Accept-Encoding": {"identity"}}
	if d.off > 0 {
		h.Set("Range", "bytes="+strconv.FormatInt(d.off, 10)+"-")
		if d.validator != "" {
			h.Set("If-Range", d.validator)
		}
	}
	resp, err := d.c.get(ctx, d.u, h)
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	end := int64(-1) // the offset the body must end at, if known
	switch code := resp.StatusCode; {
	case code == http.StatusPartialContent:
		first, last, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || first != d.off || total >= 0 && last != total-1 {
			if d.off == 0 {
				return fmt.Errorf("unexpected 206 response with Content-Range %+q", resp.Header.Get("Content-Range"))
			}
			if err := d.restart(); err != nil {
				return err
			}
			return errRestart
		}
		if last >= d.limit {
			return &sizeError{limit: d.limit, expected: true}
		}
		end = last + 1
	case code == http.StatusRequestedRangeNotSatisfiable && d.off > 0:
		// The part file may already be complete.
		if first, _, total, ok := parseContentRange(resp.Header.Get("Content-Range")); ok && first < 0 && total == d.off {
			return nil
		}
		if err := d.restart(); err != nil {
			return err
		}
		return errRestart
	case code/100 == 2:
		if d.off > 0 { // the server ignored Range
			if err := d.restart(); err != nil {
				return err
			}
		}
	default:
		return newHTTPError(d.u, resp)
	}
	if resp.ContentLength >= 0 && d.off+resp.ContentLength > d.limit {
		return &sizeError{limit: d.limit, expected: true}
	}
	if d.validator == "" {
		d.validator = validator(resp.Header)
	}
	if _, err := copyBody(d, resp.Body, d.off, d.limit, true); err != nil {
		return err
	}
	if end >= 0 && d.off != end {
		return &transferError{fmt.Errorf("partial body ended at byte %d, not %d", d.off, end), d.off < end}
	}
	return nil
}

// Write appends p to the part file and the sink.
func (d *download) Write(p []byte) (int, error) {
	if _, err := d.f.Write(p); err != nil {
		return 0, &transferError{err, false}
	}
	if n, err := d.sink.Write(p); err != nil || n != len(p) {
		if err == nil {
			err = io.ErrShortWrite
		}
		return 0, fmt.Errorf("sink: %w", err)
	}
	d.off += int64(len(p))
	d.progress(int64(len(p)))
	return len(p), nil
}

// validator returns a strong ETag or else the Last-Modified date of h, for
// If-Range.
func validator(h http.Header) string {
	if etag := h.Get("ETag"); strings.HasPrefix(etag, `"`) {
		return etag
	}
	return h.Get("Last-Modified")
}

// copyBuf is the size of copyBody's reads.
const copyBuf = 64 << 10

// copyBody copies r to w, given that n bytes were written before, and fails
// with ErrTooLarge, without writing the excess, as soon as more than limit
// bytes in all are read. It never reads more than limit+1 bytes in all.
func copyBody(w io.Writer, r io.Reader, n, limit int64, expected bool) (int64, error) {
	buf := make([]byte, min(copyBuf, limit-n+1))
	for {
		p := buf[:min(int64(len(buf)), limit-n+1)]
		m, rerr := r.Read(p)
		if m > 0 {
			if n+int64(m) > limit {
				return n, &sizeError{limit: limit, expected: expected}
			}
			if _, err := w.Write(p[:m]); err != nil {
				return n, err
			}
			n += int64(m)
		}
		if rerr == io.EOF {
			return n, nil
		}
		if rerr != nil {
			return n, rerr
		}
	}
}

// get sends one GET request for u with the extra headers h. The connect
// timeout covers everything until the response headers arrive; the stall
// timeout then applies to every read of the returned body, whose errors are
// classified for retry. The caller must close the body.
func (c *Client) get(ctx context.Context, u *url.URL, h http.Header) (*http.Response, error) {
	actx, cancel := context.WithCancelCause(ctx)
	ct := c.connectTimeout()
	timer := time.AfterFunc(ct, func() { cancel(&timeoutError{"no response", ct}) })
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		timer.Stop()
		cancel(nil)
		return nil, err
	}
	for k, v := range h {
		req.Header[k] = v
	}
	if c.UserAgent != "" {
		req.Header.Set("User-Agent", c.UserAgent)
	}
	resp, err := c.client().Do(req)
	timer.Stop()
	if err != nil {
		err = classify(ctx, actx, err)
		cancel(nil)
		return nil, err
	}
	st := c.stallTimeout()
	b := &body{
		rc:      resp.Body,
		ctx:     ctx,
		actx:    actx,
		cancel:  cancel,
		stall:   st,
		minRate: c.MinRate,
		start:   time.Now(),
		timer:   time.AfterFunc(st, func() { cancel(&timeoutError{"no data", st}) }),
	}
	if c.MinRate > 0 {
		// Checked by a timer too, so that a read that trickles in
		// without end is cut as well.
		b.rateTimer = time.AfterFunc(st, b.checkRate)
	}
	resp.Body = b
	return resp, nil
}

// body is a response body whose reads are bounded by the stall timeout and
// the minimum rate.
type body struct {
	rc        io.ReadCloser
	ctx, actx context.Context
	cancel    context.CancelCauseFunc
	stall     time.Duration
	timer     *time.Timer

	minRate   int64
	rateTimer *time.Timer
	mu        sync.Mutex
	start     time.Time // of the current stretch
	n         int64     // bytes read in the current stretch
	closed    bool
}

func (b *body) Read(p []byte) (int, error) {
	b.timer.Reset(b.stall)
	n, err := b.rc.Read(p)
	b.timer.Stop()
	if b.minRate > 0 && n > 0 {
		b.mu.Lock()
		b.n += int64(n)
		b.mu.Unlock()
	}
	if err != nil && err != io.EOF {
		err = classify(b.ctx, b.actx, err)
	}
	return n, err
}

// checkRate ends a stretch of the stall timeout's length: the attempt is
// cancelled if fewer than minRate bytes a second arrived in it.
func (b *body) checkRate() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	elapsed := time.Since(b.start)
	if float64(b.n) < float64(b.minRate)*elapsed.Seconds() {
		b.cancel(&timeoutError{fmt.Sprintf("slower than %d bytes/s", b.minRate), b.stall})
		return
	}
	b.start, b.n = time.Now(), 0
	b.rateTimer.Reset(b.stall)
}

func (b *body) Close() error {
	b.timer.Stop()
	if b.rateTimer != nil {
		b.mu.Lock()
		b.closed = true
		b.rateTimer.Stop()
		b.mu.Unlock()
	}
	err := b.rc.Close()
	b.cancel(nil)
	return err
}

// retry calls try until it succeeds, fails with an error another attempt
// cannot fix, or has been called c.attempts() times, pausing between
// attempts. The error returned has u as its subject.
func (c *Client) retry(ctx context.Context, u *url.URL, try func() error) error {
	for n := 1; ; n++ {
		err := try()
		if err == nil {
			return nil
		}
		if err == errRestart {
			n--
			continue
		}
		wait, again := c.retryable(err, n)
		if !again || n >= c.attempts() {
			return wrap(u, err, n)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return wrap(u, context.Cause(ctx), n)
		case <-t.C:
		}
	}
}

// retryable reports whether another attempt may succeed after err, the
// error of attempt n, and how long to wait before it.
func (c *Client) retryable(err error, n int) (time.Duration, bool) {
	var he *HTTPError
	if errors.As(err, &he) && he.StatusCode >= 500 {
		return max(c.backoff(n), he.retryAfter), true
	}
	var te *transferError
	if errors.As(err, &te) && te.retry {
		return c.backoff(n), true
	}
	return 0, false
}

// wrap returns err, the last error after n attempts, with u as its subject.
func wrap(u *url.URL, err error, n int) error {
	var he *HTTPError
	if errors.As(err, &he) {
		he.Attempts = n
		return err
	}
	if n > 1 {
		return fmt.Errorf("%s: %w after %d attempts", safetext.URL(u.String()), err, n)
	}
	return fmt.Errorf("%s: %w", safetext.URL(u.String()), err)
}

// parseContentRange parses a Content-Range header value of the form
// "bytes first-last/total", "bytes first-last/*" (total -1) or
// "bytes */total" (first and last -1).
func parseContentRange(s string) (first, last, total int64, ok bool) {
	rest, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	rng, tot, found := strings.Cut(rest, "/")
	if !found {
		return 0, 0, 0, false
	}
	total = -1
	if tot != "*" {
		if total, ok = parseUint(tot); !ok {
			return 0, 0, 0, false
		}
	}
	if rng == "*" {
		if total < 0 {
			return 0, 0, 0, false
		}
		return -1, -1, total, true
	}
	a, b, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, 0, false
	}
	first, ok1 := parseUint(a)
	last, ok2 := parseUint(b)
	if !ok1 || !ok2 || first > last || total >= 0 && last >= total {
		return 0, 0, 0, false
	}
	return first, last, total, true
}

// parseUint parses a non-empty decimal number without sign.
func parseUint(s string) (int64, bool) {
	if s == "" || s[0] < '0' || s[0] > '9' {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}
