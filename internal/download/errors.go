package download

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"syscall"
	"time"

	"github.com/pyverify/pyverify/internal/safetext"
)

// ErrNotFound is matched (with errors.Is) by the *HTTPError of a 404 Not
// Found or 410 Gone response. Such responses are not retried.
var ErrNotFound = errors.New("not found")

// ErrTooLarge is matched (with errors.Is) by the error returned when a body
// is longer than the caller's limit. It is not retried.
var ErrTooLarge = errors.New("body too large")

// An HTTPError reports a response with an unexpected status: 404 and 410
// (which match ErrNotFound), other 4xx, and 5xx after every retry failed.
type HTTPError struct {
	URL        string // the URL requested (after mirror mapping)
	StatusCode int    // the HTTP status code
	Status     string // the code and its standard text, e.g. "503 Service Unavailable"
	Attempts   int    // the number of attempts made

	retryAfter time.Duration // the response's Retry-After, capped
}

func newHTTPError(u *url.URL, resp *http.Response) *HTTPError {
	status := strconv.Itoa(resp.StatusCode)
	if text := http.StatusText(resp.StatusCode); text != "" {
		status += " " + text
	}
	return &HTTPError{
		URL:        u.String(),
		StatusCode: resp.StatusCode,
		Status:     status,
		Attempts:   1,
		retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now()),
	}
}

// Error returns "URL: HTTP status", followed by " after N attempts" when the
// request was retried.
func (e *HTTPError) Error() string {
	s := safetext.URL(e.URL) + ": HTTP " + e.Status
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	return s
}

// Is reports whether target is ErrNotFound and the status is 404 or 410.
func (e *HTTPError) Is(target error) bool {
	return target == ErrNotFound && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone)
}

// IsNetwork reports whether err is a failure to transfer data: a network or
// I/O failure (connection refused or reset, a body cut short, a timeout or
// stall, TLS, a 5xx status after every retry, 429 Too Many Requests, an
// error writing the part file), as opposed to a policy or validation error
// (a refused URL or redirect, ErrNotFound, another 4xx, ErrTooLarge) or
// cancellation by the caller's context. A 429 is not retried (python.org's
// API asks for hours), but like a 5xx it means "try again later".
func IsNetwork(err error) bool {
	var te *transferError
	if errors.As(err, &te) {
		return true
	}
	var he *HTTPError
	return errors.As(err, &he) && (he.StatusCode >= 500 || he.StatusCode == http.StatusTooManyRequests)
}

// transferError wraps a network or local I/O error.
type transferError struct {
	err   error
	retry bool // whether another attempt may succeed
}

func (e *transferError) Error() string { return describeNetError(e.err) }
func (e *transferError) Unwrap() error { return e.err }

// timeoutError is the cause an attempt's context is cancelled with when it
// times out.
type timeoutError struct {
	what string
	d    time.Duration
}

func (e *timeoutError) Error() string   { return fmt.Sprintf("%s for %v", e.what, e.d) }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return true }

// ErrRedirectRefused is matched (with errors.Is) by the error of a request
// whose redirect the policy refused (see Client). It is not retried.
var ErrRedirectRefused = errors.New("redirect refused")

// redirectError is returned by the redirect policy.
type redirectError struct{ msg string }

func (e *redirectError) Error() string        { return e.msg }
func (e *redirectError) Is(target error) bool { return target == ErrRedirectRefused }

// sizeError reports a body longer than its limit; it matches ErrTooLarge.
type sizeError struct {
	limit    int64
	expected bool // the limit is the expected size, not just a cap
}

func (e *sizeError) Error() string {
	if e.expected {
		return fmt.Sprintf("body exceeds the expected %d bytes", e.limit)
	}
	return fmt.Sprintf("body exceeds the limit of %d bytes", e.limit)
}

func (e *sizeError) Is(target error) bool { return target == ErrTooLarge }

// errRestart tells retry that a download restarts from byte 0 with a new
// request, which does not count as a failed attempt.
var errRestart = errors.New("restart")

// classify turns an error of one attempt into what retry acts on: the
// caller's cancellation as is, timeouts and transport failures as
// *transferError, redirect refusals as is.
func classify(ctx, attempt context.Context, err error) error {
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	var te *timeoutError
	if errors.As(context.Cause(attempt), &te) {
		return &transferError{te, true}
	}
	var re *redirectError
	if errors.As(err, &re) {
		return re
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return &transferError{err, !isCertError(err) && !isFinalNetError(err)}
}

// isFinalNetError reports whether a network error is one that another
// attempt within seconds will not fix:
//
//   - a host name that does not exist (a typo in a mirror's URL; a DNS
//     server that fails or times out is retried),
//   - a connection refused by a loopback address: nothing listens on that
//     port of this machine, which is a mistake in the URL or a test server
//     that is down, not an outage.
//
// A connection refused by a remote host is retried: a server that restarts,
// or a load balancer briefly without backends, refuses connections for a
// moment. Resets, timeouts, stalls and 5xx answers are retried too.
func isFinalNetError(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) && dnsErr.IsNotFound {
		return true
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		return false
	}
	var op *net.OpError
	if errors.As(err, &op) {
		if a, ok := op.Addr.(*net.TCPAddr); ok {
			return a.IP.IsLoopback()
		}
	}
	return false
}

// describeNetError words the common network failures for people; others
// keep Go's text.
func describeNetError(err error) string {
	var dnsErr *net.DNSError
	var op *net.OpError
	switch {
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "no such host " + safetext.URL(dnsErr.Name)
	case errors.Is(err, syscall.ECONNREFUSED) && errors.As(err, &op) && op.Addr != nil:
		return "connection refused by " + safetext.URL(op.Addr.String())
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by the server"
	}
	return err.Error()
}

// isCertError reports whether err is a certificate verification failure,
// which another attempt will not fix.
func isCertError(err error) bool {
	var (
		cve *tls.CertificateVerificationError
		uae x509.UnknownAuthorityError
		he  x509.HostnameError
		cie x509.CertificateInvalidError
	)
	return errors.As(err, &cve) || errors.As(err, &uae) || errors.As(err, &he) || errors.As(err, &cie)
}

// parseRetryAfter returns the delay of a Retry-After header value (seconds
// or an HTTP date relative to now), capped at maxRetryAfter; 0 if absent or
// invalid.
func parseRetryAfter(v string, now time.Time) time.Duration {
	if v == "" {
		return 0
	}
	var d time.Duration
	if n, err := strconv.ParseUint(v, 10, 32); err == nil {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return max(0, min(d, maxRetryAfter))
}
