package release

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/report"
)

// PythonOrg is python.org's address. Release data is always addressed
// there; a Fetcher that reads a mirror maps it to the mirror.
const PythonOrg = "https://www.python.org"

// A Fetcher reads the document at url, failing if it is longer than limit
// bytes. It is how callers give Load access to the network (pyverify's
// HTTP client, with retries and a mirror, or http.Get in a few lines).
//
// When the server cannot be read (a network failure, an HTTP error status
// such as 404 or 503), the error must be a *FetchError: Load tells a release
// the server does not have, and an API it cannot reach, by it. Any other
// error (an oversized answer, a cancelled context) ends Load, as does an
// HTTP status that is an answer rather than an outage (see
// FetchError.StatusCode).
type Fetcher func(ctx context.Context, url string, limit int64) ([]byte, error)

// A FetchError reports that a Fetcher could not read a document from the
// server.
type FetchError struct {
	// Err is the failure, subject first.
	Err error
	// NotFound reports that the server does not have the document (HTTP
	// 404 or 410).
	NotFound bool
	// Brief words the cause in a few words for a warning ("HTTP 503
	// Service Unavailable after 5 attempts"); empty means Err's text.
	Brief string
	// StatusCode is the HTTP status the server answered, 0 for a failure
	// with none (a network error). Only 404 Not Found, 410 Gone, 429 Too
	// Many Requests and 5xx mean the document could not be read; any
	// other status (403 Forbidden, 418) is an answer, and an error of its
	// own: it never silently drops the cross-check.
	StatusCode int
}

// Error returns Err's text.
func (e *FetchError) Error() string { return e.Err.Error() }

// Unwrap returns e.Err.
func (e *FetchError) Unwrap() error { return e.Err }

// ErrNotFound is matched by the error Load returns when the server does
// not have the release page: most often, no such release.
var ErrNotFound = errors.New("not found")

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

// fetchPage reads and parses the release page of v. A page the server does
// not have gives an error matching ErrNotFound.
func fetchPage(ctx context.Context, fetch Fetcher, v manifest.Version) (*manifest.Manifest, error) {
	u := PageURL(v)
	data, err := fetch(ctx, u, manifest.MaxPageSize)
	if fe := (*FetchError)(nil); errors.As(err, &fe) && fe.NotFound {
		return nil, fmt.Errorf("Python %s: no release page: %w", v, &notFoundError{err})
	}
	if err != nil {
		return nil, err
	}
	return manifest.ParsePage(bytes.NewReader(data), u, v)
}

// fetchAPI reads the release's files from the JSON API: v2, or v1 when v2
// is unreachable or does not list the release. It returns the source read,
// and a note when v1 stood in for v2. Malformed data from v2 is an error,
// not a reason to try v1.
func fetchAPI(ctx context.Context, fetchDoc Fetcher, v manifest.Version) (*manifest.Manifest, report.Source, string, error) {
	fetch := func(ctx context.Context, u string) ([]byte, error) {
		return fetchDoc(ctx, u, manifest.MaxAPISize)
	}
	m, err := manifest.FetchAPIv2(ctx, fetch, PythonOrg, v)
	if err == nil {
		return m, report.Source{Name: SourceAPIv2, URL: m.Source}, "", nil
	}
	if !unreachable(err) && !errors.Is(err, manifest.ErrNotInAPI) {
		return nil, report.Source{}, "", err
	}
	m1, err1 := manifest.FetchAPI(ctx, fetch, PythonOrg, v)
	if err1 != nil {
		if unreachable(err1) {
			return nil, report.Source{}, "", &UnreachableError{Version: v, V2: err, V1: err1}
		}
		return nil, report.Source{}, "", err1
	}
	note := fmt.Sprintf("JSON API v2: %s; read v1 instead", cause(err))
	return m1, report.Source{Name: SourceAPIv1, URL: m1.Source}, note, nil
}

// unreachable reports whether err means the server could not be read, as
// the Fetcher says with a *FetchError: a network failure, 404 Not Found or
// 410 Gone, 429 Too Many Requests, or a 5xx after every retry. Any other
// 4xx (403 Forbidden, 418) is an answer, and an error of its own, as are
// malformed or oversized answers: none of them silently drops the
// cross-check.
func unreachable(err error) bool {
	var fe *FetchError
	if !errors.As(err, &fe) {
		return false
	}
	switch s := fe.StatusCode; {
	case s == 0, fe.NotFound, s == http.StatusNotFound, s == http.StatusGone,
		s == http.StatusTooManyRequests, s >= 500:
		return true
	}
	return false
}

// ErrAPI is matched by the error Load returns when the JSON API, not the
// release page, is at fault: it answered with data that cannot be used, or
// with an error of its own (see the package doc), or could not be read
// when it had to be. The caller can choose PageOnly.
var ErrAPI = errors.New("the JSON API is at fault")

// apiError marks an error of the JSON API's as matching ErrAPI; its text
// is err's.
type apiError struct{ err error }

func (e *apiError) Error() string   { return e.err.Error() }
func (e *apiError) Unwrap() []error { return []error{e.err, ErrAPI} }

// notFoundError marks a fetch error as matching ErrNotFound.
type notFoundError struct{ err error }

func (e *notFoundError) Error() string   { return e.err.Error() }
func (e *notFoundError) Unwrap() []error { return []error{e.err, ErrNotFound} }

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

// detail words one version's failure without the subject Error says once
// for both ("Python VERSION: JSON API: "): the fetcher's error, which
// names the address, or the address the API answered without the release.
func (e *UnreachableError) detail(err error) string {
	var ni *manifest.NotInAPIError
	if errors.As(err, &ni) {
		return ni.Source + ": " + manifest.ErrNotInAPI.Error()
	}
	var fe *FetchError
	if errors.As(err, &fe) {
		return fe.Error()
	}
	return err.Error()
}

// Summary words both failures briefly, for a warning:
// "JSON API unreachable (v2: HTTP 404 Not Found; v1: HTTP 503 …)".
func (e *UnreachableError) Summary() string {
	return fmt.Sprintf("JSON API unreachable (v2: %s; v1: %s)", cause(e.V2), cause(e.V1))
}

// cause words why a document could not be read, briefly: the HTTP status,
// or the network error (the URLs are in the report's sources).
func cause(err error) string {
	var fe *FetchError
	if errors.As(err, &fe) && fe.Brief != "" {
		return fe.Brief
	}
	if errors.Is(err, manifest.ErrNotInAPI) {
		return "does not list the release"
	}
	return err.Error()
}

// Unwrap returns both causes.
func (e *UnreachableError) Unwrap() []error { return []error{e.V2, e.V1} }
