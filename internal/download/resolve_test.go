package download

import (
	"net/url"
	"testing"
	"time"
)

func mustParse(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestResolve(t *testing.T) {
	for _, tc := range []struct {
		in, want, err string
		unsafe        bool
	}{
		{in: "https://www.python.org/ftp/python/3.13.1/Python-3.13.1.tgz", want: "https://www.python.org/ftp/python/3.13.1/Python-3.13.1.tgz"},
		{in: "HTTPS://WWW.PYTHON.ORG/x", want: "https://WWW.PYTHON.ORG/x"},
		{in: "http://127.0.0.1:8080/x", want: "http://127.0.0.1:8080/x"},
		{in: "http://127.9.9.9/x", want: "http://127.9.9.9/x"},
		{in: "http://[::1]:80/x", want: "http://[::1]:80/x"},
		{in: "http://localhost/x", want: "http://localhost/x"},
		{in: "http://LocalHost./x", want: "http://LocalHost./x"},
		{in: "http://example.com/x", err: "http://example.com/x: plain http is allowed only to loopback hosts"},
		{in: "http://example.com/x", unsafe: true, want: "http://example.com/x"},
		{in: "http://127.1/x", err: "http://127.1/x: plain http is allowed only to loopback hosts"},
		{in: "http://[::ffff:10.0.0.1]/x", err: "http://[::ffff:10.0.0.1]/x: plain http is allowed only to loopback hosts"},
		{in: "http://localhost.example.com/x", err: "http://localhost.example.com/x: plain http is allowed only to loopback hosts"},
		{in: "ftp://example.com/x", err: `ftp://example.com/x: unsupported scheme "ftp"`},
		{in: "file:///etc/passwd", err: `file:///etc/passwd: unsupported scheme "file"`},
		{in: "/ftp/python/", err: "/ftp/python/: not an absolute URL"},
		{in: "https:opaque", err: "https:opaque: not a hierarchical URL"},
		{in: "https:///x", err: "https:///x: no host"},
		{in: "https://:443/x", err: "https://:443/x: no host"},
		{in: "https://me:secret@example.com/x", err: "https://me:xxxxx@example.com/x: user information in URLs is not allowed"},
		{in: "https://me@example.com/x", err: "https://me@example.com/x: user information in URLs is not allowed"},
		{in: "https://example.com/\x1b[31m", err: `"https://example.com/\x1b[31m": invalid URL: net/url: invalid control character in URL`},
		{in: "https://exa mple.com/", err: `"https://exa mple.com/": invalid URL: invalid character " " in host name`},
		{in: "http://example.com/?\u202e", err: `"http://example.com/?\u202e": plain http is allowed only to loopback hosts`},
	} {
		c := &Client{AllowHTTPUnsafe: tc.unsafe}
		u, err := c.Resolve(tc.in)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("Resolve(%q) = %v, %v; want error %q", tc.in, u, err, tc.err)
			}
		case err != nil || u.String() != tc.want:
			t.Errorf("Resolve(%q) = %v, %v; want %s", tc.in, u, err, tc.want)
		}
	}
}

func TestResolveMirror(t *testing.T) {
	for _, tc := range []struct {
		mirror, in, want, err string
	}{
		{"http://127.0.0.1:8080/base", "https://www.python.org/ftp/python/3.13.1/x.tgz", "http://127.0.0.1:8080/base/ftp/python/3.13.1/x.tgz", ""},
		{"http://127.0.0.1:8080/base/", "https://www.python.org/ftp/python/3.13.1/x.tgz", "http://127.0.0.1:8080/base/ftp/python/3.13.1/x.tgz", ""},
		{"http://127.0.0.1:8080", "http://www.python.org/ftp/x.tgz", "http://127.0.0.1:8080/ftp/x.tgz", ""},
		{"http://127.0.0.1:8080/", "https://www.python.org:443/x", "http://127.0.0.1:8080/x", ""},
		{"http://127.0.0.1:8080/", "https://WWW.Python.ORG/api/v2/downloads/release/?is_published=true", "http://127.0.0.1:8080/api/v2/downloads/release/?is_published=true", ""},
		{"http://127.0.0.1:8080/m%20x/", "https://www.python.org/a%20b/c%2Fd", "http://127.0.0.1:8080/m%20x/a%20b/c%2Fd", ""},
		{"https://mirror.example/python", "https://www.python.org/ftp/x", "https://mirror.example/python/ftp/x", ""},
		// Not under www.python.org: unchanged.
		{"http://127.0.0.1:8080/", "https://python.org/x", "https://python.org/x", ""},
		{"http://127.0.0.1:8080/", "https://peps.python.org/api/release-cycle.json", "https://peps.python.org/api/release-cycle.json", ""},
		{"http://127.0.0.1:8080/", "https://www.python.org:8443/x", "https://www.python.org:8443/x", ""},
		{"http://127.0.0.1:8080/", "https://www.python.org.evil.example/x", "https://www.python.org.evil.example/x", ""},
		// Refused.
		{"http://127.0.0.1:8080/", "https://www.python.org/ftp/%2e%2e/x", "", "https://www.python.org/ftp/%2e%2e/x: dot segment in a mirrored path"},
		{"http://127.0.0.1:8080/", "https://www.python.org/ftp/../x", "", "https://www.python.org/ftp/../x: dot segment in a mirrored path"},
		{"http://mirror.example/", "https://www.python.org/x", "", "https://www.python.org/x: mirror http://mirror.example/: plain http is allowed only to loopback hosts"},
		{"http://127.0.0.1:8080/?a=b", "https://www.python.org/x", "", "https://www.python.org/x: mirror http://127.0.0.1:8080/?a=b: has a query or fragment"},
		{"ftp://127.0.0.1/", "https://www.python.org/x", "", `https://www.python.org/x: mirror ftp://127.0.0.1/: unsupported scheme "ftp"`},
	} {
		c := &Client{Mirror: mustParse(t, tc.mirror)}
		u, err := c.Resolve(tc.in)
		switch {
		case tc.err != "":
			if err == nil || err.Error() != tc.err {
				t.Errorf("mirror %s: Resolve(%q) = %v, %v; want error %q", tc.mirror, tc.in, u, err, tc.err)
			}
		case err != nil || u.String() != tc.want:
			t.Errorf("mirror %s: Resolve(%q) = %v, %v; want %s", tc.mirror, tc.in, u, err, tc.want)
		}
	}
}

func TestParseContentRange(t *testing.T) {
	for _, tc := range []struct {
		in                 string
		first, last, total int64
		ok                 bool
	}{
		{"bytes 0-9/10", 0, 9, 10, true},
		{"bytes 5-9/*", 5, 9, -1, true},
		{"bytes */10", -1, -1, 10, true},
		{"bytes 100-199/1000", 100, 199, 1000, true},
		{"bytes */*", 0, 0, 0, false},
		{"bytes 5-4/10", 0, 0, 0, false},
		{"bytes 0-10/10", 0, 0, 0, false},
		{"bytes -1-9/10", 0, 0, 0, false},
		{"bytes +1-9/10", 0, 0, 0, false},
		{"bytes 1-+9/10", 0, 0, 0, false},
		{"bytes 0-9/+10", 0, 0, 0, false},
		{"bytes 0-9", 0, 0, 0, false},
		{"bytes 0-/10", 0, 0, 0, false},
		{"items 0-9/10", 0, 0, 0, false},
		{"bytes  0-9/10", 0, 0, 0, false},
		{"bytes 0-99999999999999999999/*", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	} {
		first, last, total, ok := parseContentRange(tc.in)
		if first != tc.first || last != tc.last || total != tc.total || ok != tc.ok {
			t.Errorf("parseContentRange(%q) = %d, %d, %d, %v; want %d, %d, %d, %v",
				tc.in, first, last, total, ok, tc.first, tc.last, tc.total, tc.ok)
		}
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"0", 0},
		{"3", 3 * time.Second},
		{"30", 30 * time.Second},
		{"3600", maxRetryAfter},
		{"99999999999999999999", 0},
		{"-5", 0},
		{"1.5", 0},
		{"soon", 0},
		{"Thu, 02 Jan 2025 03:04:15 GMT", 10 * time.Second},
		{"Thu, 02 Jan 2025 03:00:00 GMT", 0},
		{"Fri, 03 Jan 2025 03:04:05 GMT", maxRetryAfter},
	} {
		if got := parseRetryAfter(tc.in, now); got != tc.want {
			t.Errorf("parseRetryAfter(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestDefaultBackoff(t *testing.T) {
	c := &Client{}
	for attempt := -1; attempt < 100; attempt++ {
		if d := c.backoff(attempt); d <= 0 || d > maxBackoff {
			t.Errorf("backoff(%d) = %v, want in (0, %v]", attempt, d, maxBackoff)
		}
	}
	if d := c.backoff(1); d > 500*time.Millisecond || d < 250*time.Millisecond {
		t.Errorf("backoff(1) = %v, want in [250ms, 500ms]", d)
	}
}

func FuzzResolve(f *testing.F) {
	for _, s := range []string{
		"https://www.python.org/ftp/python/3.13.1/Python-3.13.1.tgz",
		"http://www.python.org/ftp/python/2.7.18/Python-2.7.18.tgz.asc",
		"https://www.python.org/api/v2/downloads/release/?is_published=true",
		"http://127.0.0.1:8080/x",
		"http://[::1]/x",
		"http://example.com/x",
		"https://me:pw@example.com/",
		"https://www.python.org/ftp/%2e%2e/x",
		"https:opaque",
		"ftp://x/y",
		"/relative",
		"",
		"https://www.python.org:443/a%20b",
		"http://[fe80::1%25lo]/",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	mirror := mustParse(f, "http://127.0.0.1:8080/base/")
	f.Fuzz(func(t *testing.T, raw string, unsafe bool) {
		for _, m := range []*url.URL{nil, mirror} {
			c := &Client{Mirror: m, AllowHTTPUnsafe: unsafe}
			u, err := c.Resolve(raw)
			if err != nil {
				if u != nil {
					t.Fatalf("Resolve(%q) returned both %v and %v", raw, u, err)
				}
				continue
			}
			if u.Scheme != "http" && u.Scheme != "https" || u.User != nil || u.Hostname() == "" || u.Opaque != "" {
				t.Fatalf("Resolve(%q) accepted %v", raw, u)
			}
			if u.Scheme == "http" && !unsafe && !isLoopback(u.Hostname()) {
				t.Fatalf("Resolve(%q) accepted plain http to %q", raw, u.Host)
			}
			if m != nil && isPythonOrg(u) {
				t.Fatalf("Resolve(%q) = %v, not mapped to the mirror", raw, u)
			}
			// The result must survive a round trip through its string form.
			if _, err := url.Parse(u.String()); err != nil {
				t.Fatalf("Resolve(%q) = %q, which does not parse: %v", raw, u, err)
			}
		}
	})
}

func FuzzParseContentRange(f *testing.F) {
	for _, s := range []string{"bytes 0-9/10", "bytes 5-9/*", "bytes */10", "bytes 0-9", "bytes 1-0/2", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		first, last, total, ok := parseContentRange(s)
		if !ok {
			return
		}
		if first == -1 {
			if last != -1 || total < 0 {
				t.Fatalf("parseContentRange(%q) = %d, %d, %d", s, first, last, total)
			}
			return
		}
		if first < 0 || last < first || total < -1 || total >= 0 && last >= total {
			t.Fatalf("parseContentRange(%q) = %d, %d, %d", s, first, last, total)
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"", "0", "120", "Thu, 02 Jan 2025 03:04:15 GMT", "-1", "x"} {
		f.Add(s)
	}
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		if d := parseRetryAfter(s, now); d < 0 || d > maxRetryAfter {
			t.Fatalf("parseRetryAfter(%q) = %v", s, d)
		}
	})
}
