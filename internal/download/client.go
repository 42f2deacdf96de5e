// Package download is pyverify's HTTP client. It fetches release pages, API
// JSON, sidecar files and artifacts from python.org or from a mirror with
// python.org's layout, with bounded retries, resumable downloads, size caps,
// connect and stall timeouts and a strict redirect policy.
//
// A Client holds no global state and is safe for concurrent use by several
// goroutines once configured.
package download

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/pyverify/pyverify/internal/safetext"
)

const (
	defaultRetries        = 4
	defaultConnectTimeout = 15 * time.Second
	defaultStallTimeout   = 30 * time.Second
	maxRedirects          = 5
	maxBackoff            = 10 * time.Second
	maxRetryAfter         = 30 * time.Second
)

// A Client fetches documents and artifacts over HTTP(S).
//
// The zero value is ready to use. Fields must not be changed, and the Client
// must not be copied, after its first use.
type Client struct {
	// HTTP is the client used for requests. If nil, a client with its own
	// transport is built from ConnectTimeout (http.DefaultClient is never
	// used). The redirect policy below replaces HTTP.CheckRedirect in every
	// case; HTTP itself is not modified.
	HTTP *http.Client

	// Mirror, if set, replaces the scheme and host of URLs under
	// https://www.python.org/ (and http://www.python.org/) so that a mirror
	// with python.org's layout can be used: Mirror "http://127.0.0.1:8080/base"
	// maps "https://www.python.org/ftp/python/3.13.1/x.tgz" to
	// "http://127.0.0.1:8080/base/ftp/python/3.13.1/x.tgz". The query is kept.
	Mirror *url.URL

	// AllowHTTPUnsafe allows plain http to any host. By default plain http is
	// allowed only to loopback hosts (127.0.0.0/8, ::1, localhost).
	AllowHTTPUnsafe bool

	// Retries is the number of retries after connection errors, resets,
	// timeouts, stalls and 5xx responses: 0 means the default of 4, a
	// negative value means no retries. A connection refused by a loopback
	// address and a host name that does not exist are never retried.
	Retries int

	// Backoff returns the pause before retry number attempt (1 for the first
	// retry). The default grows exponentially from 500ms with jitter, capped
	// at 10s. A 5xx response's Retry-After (in seconds, at most 30s) makes
	// the pause longer if needed.
	Backoff func(attempt int) time.Duration

	// ConnectTimeout bounds connecting, the TLS handshake and waiting for
	// the response headers of one attempt, redirects included (default 15s).
	// It is enforced by a timer on each attempt, so it also applies to a
	// caller's HTTP client; the default transport's dial and TLS handshake
	// timeouts are set to it as well.
	ConnectTimeout time.Duration

	// StallTimeout aborts an attempt when no body bytes arrive for this long
	// (default 30s); the attempt is then retried.
	StallTimeout time.Duration

	// MinRate, if positive, is the slowest transfer accepted, in bytes per
	// second, measured over each stretch of StallTimeout: an attempt whose
	// body brings fewer bytes than that in such a stretch (a server that
	// trickles a byte at a time, which the stall timeout never catches) is
	// aborted, and retried like a stall. Every attempt is then bounded in
	// time by the size of what it may bring.
	MinRate int64

	// UserAgent, if not empty, is sent as the User-Agent header.
	UserAgent string

	once sync.Once
	hc   *http.Client
}

// client returns the http.Client used for every request, building it on
// first use.
func (c *Client) client() *http.Client {
	c.once.Do(func() {
		if c.HTTP != nil {
			hc := *c.HTTP
			hc.CheckRedirect = c.checkRedirect
			c.hc = &hc
			return
		}
		ct := c.connectTimeout()
		t := &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: ct, KeepAlive: 30 * time.Second}).DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   ct,
			MaxIdleConns:          32,
			IdleConnTimeout:       90 * time.Second,
			ExpectContinueTimeout: time.Second,
		}
		c.hc = &http.Client{Transport: t, CheckRedirect: c.checkRedirect}
	})
	return c.hc
}

func (c *Client) connectTimeout() time.Duration {
	if c.ConnectTimeout > 0 {
		return c.ConnectTimeout
	}
	return defaultConnectTimeout
}

func (c *Client) stallTimeout() time.Duration {
	if c.StallTimeout > 0 {
		return c.StallTimeout
	}
	return defaultStallTimeout
}

// attempts returns the maximum number of attempts per request.
func (c *Client) attempts() int {
	switch {
	case c.Retries < 0:
		return 1
	case c.Retries == 0:
		return defaultRetries + 1
	}
	return c.Retries + 1
}

func (c *Client) backoff(attempt int) time.Duration {
	if c.Backoff != nil {
		return c.Backoff(attempt)
	}
	d := maxBackoff
	if attempt >= 1 && attempt <= 5 {
		d = 500 * time.Millisecond << (attempt - 1)
	}
	return d/2 + rand.N(d/2+1)
}

// Resolve parses rawURL, maps it to the mirror if one is set, and checks the
// result: only absolute http and https URLs with a host and without user
// information are accepted, and plain http only to loopback hosts unless
// AllowHTTPUnsafe is set.
func (c *Client) Resolve(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("%s: invalid URL: %w", safetext.URL(rawURL), err)
	}
	if c.Mirror != nil && isPythonOrg(u) {
		if u, err = c.mirror(u); err != nil {
			return nil, fmt.Errorf("%s: %w", safetext.URL(rawURL), err)
		}
	}
	if err := c.check(u); err != nil {
		return nil, fmt.Errorf("%s: %w", safetext.URL(u.Redacted()), err)
	}
	return u, nil
}

// isPythonOrg reports whether u is under http(s)://www.python.org/.
func isPythonOrg(u *url.URL) bool {
	if u.Opaque != "" || u.User != nil || !strings.EqualFold(u.Hostname(), "www.python.org") {
		return false
	}
	switch u.Scheme {
	case "https":
		return u.Port() == "" || u.Port() == "443"
	case "http":
		return u.Port() == "" || u.Port() == "80"
	}
	return false
}

// mirror maps the python.org URL u onto c.Mirror.
func (c *Client) mirror(u *url.URL) (*url.URL, error) {
	m := c.Mirror
	if err := c.check(m); err != nil {
		return nil, fmt.Errorf("mirror %s: %w", safetext.URL(m.String()), err)
	}
	if m.RawQuery != "" || m.Fragment != "" {
		return nil, fmt.Errorf("mirror %s: has a query or fragment", safetext.URL(m.String()))
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		if seg == "." || seg == ".." {
			return nil, errors.New("dot segment in a mirrored path")
		}
	}
	return &url.URL{
		Scheme:   m.Scheme,
		Host:     m.Host,
		Path:     strings.TrimSuffix(m.Path, "/") + u.Path,
		RawPath:  strings.TrimSuffix(m.EscapedPath(), "/") + u.EscapedPath(),
		RawQuery: u.RawQuery,
	}, nil
}

// check applies the scheme and host rules to u; its errors have no subject.
func (c *Client) check(u *url.URL) error {
	switch u.Scheme {
	case "http", "https":
	case "":
		return errors.New("not an absolute URL")
	default:
		return fmt.Errorf("unsupported scheme %+q", u.Scheme)
	}
	switch {
	case u.Opaque != "":
		return errors.New("not a hierarchical URL")
	case u.User != nil:
		return errors.New("user information in URLs is not allowed")
	case u.Hostname() == "":
		return errors.New("no host")
	case u.Scheme == "http" && !c.AllowHTTPUnsafe && !isLoopback(u.Hostname()):
		return errors.New("plain http is allowed only to loopback hosts")
	}
	return nil
}

// isLoopback reports whether host is localhost or a loopback IP address.
func isLoopback(host string) bool {
	if strings.EqualFold(strings.TrimSuffix(host, "."), "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkRedirect is the redirect policy: at most maxRedirects redirects, each
// to an https URL or to the scheme and host of the previous request, and
// each passing check.
func (c *Client) checkRedirect(req *http.Request, via []*http.Request) error {
	to := req.URL
	if len(via) > maxRedirects {
		return &redirectError{fmt.Sprintf("stopped after %d redirects", maxRedirects)}
	}
	prev := via[len(via)-1].URL
	if to.Scheme != "https" && (to.Scheme != prev.Scheme || !strings.EqualFold(to.Host, prev.Host)) {
		return &redirectError{fmt.Sprintf("redirect to %s host %+q refused: only https or same-host redirects are followed", safetext.URL(to.Scheme), to.Host)}
	}
	if err := c.check(to); err != nil {
		return &redirectError{fmt.Sprintf("redirect to %s host %+q refused: %v", safetext.URL(to.Scheme), to.Host, err)}
	}
	return nil
}
