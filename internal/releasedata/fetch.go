package releasedata

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// PythonOrg is python.org's address. Release data is always addressed
// there; a download.Client with a Mirror fetches it from the mirror.
const PythonOrg = "https://www.python.org"

// Names of the sources, as reports show them.
const (
	SourcePage  = "release page"
	SourceAPIv2 = "JSON API v2"
	SourceAPIv1 = "JSON API v1"
)

// PageURL is the address of a release's page on python.org.
func PageURL(v manifest.Version) string {
	return PythonOrg + "/downloads/release/" + v.Slug() + "/"
}

// FetchPage reads and parses the release page of v. A page the server does
// not have gives an error matching download.ErrNotFound.
func FetchPage(ctx context.Context, c *download.Client, v manifest.Version) (*manifest.Manifest, error) {
	u := PageURL(v)
	data, err := c.Fetch(ctx, u, manifest.MaxPageSize)
	if errors.Is(err, download.ErrNotFound) {
		return nil, fmt.Errorf("Python %s: no release page: %w", v, err)
	}
	if err != nil {
		return nil, err
	}
	m, err := manifest.ParsePage(bytes.NewReader(data), u, v)
	return readFrom(c, u, m, err)
}

// readFrom names, in the manifest m read from python.org's address u (and
// in a *manifest.DataError), the address actually read: a mirror's when
// the client maps python.org to one. Links in the data stay python.org's,
// which the client maps in turn.
func readFrom(c *download.Client, u string, m *manifest.Manifest, err error) (*manifest.Manifest, error) {
	r, rerr := c.Resolve(u)
	if rerr != nil {
		return m, err
	}
	read := r.String()
	if m != nil && m.Source == u {
		m.Source = read
	}
	var de *manifest.DataError
	if errors.As(err, &de) && strings.HasPrefix(de.Source, u) {
		de.Source = read + strings.TrimPrefix(de.Source, u)
	}
	return m, err
}

// FetchAPI reads the release's files from the JSON API: v2, or v1 when v2
// is unreachable or does not list the release. It returns the source read,
// and a note when v1 stood in for v2. Malformed data from v2 is an error,
// not a reason to try v1.
func FetchAPI(ctx context.Context, c *download.Client, v manifest.Version) (*manifest.Manifest, verify.ReportSource, string, error) {
	fetch := func(ctx context.Context, u string) ([]byte, error) {
		return c.Fetch(ctx, u, manifest.MaxAPISize)
	}
	m, err := manifest.FetchAPIv2(ctx, fetch, PythonOrg, v)
	m, err = readFromAPI(c, m, err)
	if err == nil {
		return m, verify.ReportSource{Name: SourceAPIv2, URL: m.Source}, "", nil
	}
	if !Unreachable(err) && !errors.Is(err, manifest.ErrNotInAPI) {
		return nil, verify.ReportSource{}, "", err
	}
	m1, err1 := manifest.FetchAPI(ctx, fetch, PythonOrg, v)
	m1, err1 = readFromAPI(c, m1, err1)
	if err1 != nil {
		if Unreachable(err1) {
			return nil, verify.ReportSource{}, "", &UnreachableError{Version: v, V2: err, V1: err1}
		}
		return nil, verify.ReportSource{}, "", err1
	}
	note := fmt.Sprintf("JSON API v2: %s; read v1 instead", cause(err))
	return m1, verify.ReportSource{Name: SourceAPIv1, URL: m1.Source}, note, nil
}

// readFromAPI is readFrom for the JSON API, whose manifests and errors name
// the address of the document read.
func readFromAPI(c *download.Client, m *manifest.Manifest, err error) (*manifest.Manifest, error) {
	src := ""
	var de *manifest.DataError
	switch {
	case m != nil:
		src = m.Source
	case errors.As(err, &de):
		src = de.Source
	}
	if !strings.HasPrefix(src, PythonOrg+"/") {
		return m, err
	}
	u, _, _ := strings.Cut(src, " ")
	return readFrom(c, u, m, err)
}

// Unreachable reports whether err means the server could not be read: a
// network failure, 404 Not Found or 410 Gone, 429 Too Many Requests, or a
// 5xx after every retry. Any other 4xx (403 Forbidden, 418) is an answer,
// and an error of its own, as are malformed or oversized answers: none of
// them silently drops the cross-check.
func Unreachable(err error) bool {
	return download.IsNetwork(err) || errors.Is(err, download.ErrNotFound)
}

// An UnreachableError reports that neither version of the JSON API could be
// read.
type UnreachableError struct {
	// Version is the release asked for.
	Version manifest.Version
	// V2 and V1 are why each version of the API could not be read.
	V2, V1 error
}

// Error words both failures on one line, subject first:
// "Python 3.99.0: JSON API: v2: URL: the API does not list the release;
// v1: URL: HTTP 404 Not Found".
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("Python %s: JSON API: v2: %s; v1: %s", e.Version, e.detail(e.V2), e.detail(e.V1))
}

// detail is err without the subject the manifest package puts first
// ("Python VERSION: JSON API: "), which Error says once for both.
func (e *UnreachableError) detail(err error) string {
	subject := "Python " + e.Version.String() + ": "
	s := strings.TrimPrefix(err.Error(), subject+"JSON API: ")
	// A release v2 does not list: "URL: Python VERSION: the API does not …".
	return strings.Replace(s, ": "+subject, ": ", 1)
}

// Summary words both failures briefly, for a warning:
// "JSON API unreachable (v2: HTTP 404 Not Found; v1: HTTP 503 …)".
func (e *UnreachableError) Summary() string {
	return fmt.Sprintf("JSON API unreachable (v2: %s; v1: %s)", cause(e.V2), cause(e.V1))
}

// cause words why a document could not be read, briefly: the HTTP status,
// or the network error (the URLs are in the report's sources).
func cause(err error) string {
	var he *download.HTTPError
	if errors.As(err, &he) {
		s := "HTTP " + he.Status
		if he.Attempts > 1 {
			s += fmt.Sprintf(" after %d attempts", he.Attempts)
		}
		return s
	}
	if errors.Is(err, manifest.ErrNotInAPI) {
		return "does not list the release"
	}
	return err.Error()
}

// Unwrap returns both causes.
func (e *UnreachableError) Unwrap() []error { return []error{e.V2, e.V1} }
