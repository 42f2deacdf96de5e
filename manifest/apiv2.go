package manifest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
)

// ErrNotInAPI is matched by the error [FetchAPIv2] returns when the API
// answers but does not list the release (a [*NotInAPIError]).
var ErrNotInAPI = errors.New("the API does not list the release")

// A NotInAPIError reports that the JSON API answered but does not list the
// release: "URL: Python 3.99.0: the API does not list the release". It
// matches [ErrNotInAPI].
type NotInAPIError struct {
	// Source is the address that was asked, as errors name it.
	Source string
	// Version is the release asked for.
	Version Version
}

// Error words the answer subject first: "URL: Python V: the API does not list the release".
func (e *NotInAPIError) Error() string {
	return fmt.Sprintf("%s: Python %s: %v", e.Source, e.Version, ErrNotInAPI)
}

// Is reports whether target is [ErrNotInAPI].
func (e *NotInAPIError) Is(target error) bool { return target == ErrNotInAPI }

// apiV2Release is a release object of the v2 API; only the fields this
// package reads.
type apiV2Release struct {
	Name        string `json:"name"`
	Slug        string `json:"slug"`
	ResourceURI string `json:"resource_uri"`
}

// FetchAPIv2 reads the release files of release v from python.org's v2
// JSON API at baseURL (such as "https://www.python.org"), through fetch,
// and returns them as a validated manifest whose Source is the release-file
// URL. It asks for <baseURL>/api/v2/downloads/release/?slug=<v.Slug()>,
// which must list exactly one release with that slug, takes the release's
// id from its resource_uri, then reads
// <baseURL>/api/v2/downloads/release_file/?release=<id> as [ParseAPIv2]
// does (relative URLs are resolved against baseURL). Every file must
// belong to that release.
//
// Errors from fetch are returned wrapped, after "Python VERSION: JSON API: "
// (the fetcher names the URL); a release the API does not list
// gives a [*NotInAPIError] (matching [ErrNotInAPI]); bad data gives a
// [*DataError].
func FetchAPIv2(ctx context.Context, fetch Fetcher, baseURL string, v Version) (*Manifest, error) {
	if v.IsZero() {
		return nil, errors.New("manifest: FetchAPIv2 needs a version")
	}
	base, err := apiBase(baseURL)
	if err != nil {
		return nil, err
	}
	relURL := apiEndpoint(base, "/api/v2/downloads/release/", "slug="+url.QueryEscape(v.Slug())).String()
	data, err := fetch(ctx, relURL)
	if err != nil {
		return nil, fmt.Errorf("Python %s: JSON API: %w", v, err)
	}
	id, resource, err := parseV2Release(data, relURL, v)
	if err != nil {
		return nil, err
	}
	filesURL := apiEndpoint(base, "/api/v2/downloads/release_file/", "release="+id).String()
	if data, err = fetch(ctx, filesURL); err != nil {
		return nil, fmt.Errorf("Python %s: JSON API: %w", v, err)
	}
	src := apiSource(filesURL)
	var files []apiFile
	if err := decodeList(data, src, "release files", &files); err != nil {
		return nil, err
	}
	if len(files) > 0 && !sameAPIResource(files[0].Release, resource, base) {
		return nil, &DataError{Source: src, Row: rowName("object", 1, ""), Field: "release",
			Err: fmt.Errorf("%s is not release %s", quote(files[0].Release), quote(resource))}
	}
	return apiManifest(files, filesURL, base, v)
}

// parseV2Release reads the answer to /api/v2/downloads/release/?slug=… and
// returns the release's id and resource URI.
func parseV2Release(data []byte, source string, v Version) (id, resource string, err error) {
	src := apiSource(source)
	var rels []apiV2Release
	if err := decodeList(data, src, "releases", &rels); err != nil {
		return "", "", err
	}
	var match []apiV2Release
	for _, r := range rels {
		if r.Slug == v.Slug() {
			match = append(match, r)
		}
	}
	switch {
	case len(match) == 0:
		return "", "", &NotInAPIError{Source: src, Version: v}
	case len(match) > 1:
		return "", "", &DataError{Source: src, Field: "slug", Err: fmt.Errorf("%d releases named %s", len(match), quote(v.Slug()))}
	}
	resource = match[0].ResourceURI
	u, err := url.Parse(resource)
	if err != nil {
		return "", "", &DataError{Source: src, Field: "resource_uri", Err: fmt.Errorf("%s does not parse", quote(resource))}
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	id = parts[len(parts)-1]
	if len(parts) < 2 || parts[len(parts)-2] != "release" || !isDigits(id) || len(id) > 12 {
		return "", "", &DataError{Source: src, Field: "resource_uri", Err: fmt.Errorf("%s is not a release resource", quote(resource))}
	}
	return id, resource, nil
}

// sameAPIResource reports whether two API resource URLs name the same
// resource: the same path once resolved against base (python.org gives
// absolute www.python.org URLs, which a mirror serves unchanged).
func sameAPIResource(a, b string, base *url.URL) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil {
		return false
	}
	return strings.TrimSuffix(base.ResolveReference(ua).Path, "/") == strings.TrimSuffix(base.ResolveReference(ub).Path, "/")
}

// apiBase parses the base URL of an API: http(s) with a host.
func apiBase(baseURL string) (*url.URL, error) {
	base, err := url.Parse(baseURL)
	if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("manifest: API base URL %s is not an http(s) URL with a host", quote(baseURL))
	}
	return base, nil
}

// apiEndpoint returns the URL of an API path (such as
// "/api/v2/downloads/release/") under base, with query.
func apiEndpoint(base *url.URL, path, query string) *url.URL {
	return &url.URL{Scheme: base.Scheme, Host: base.Host,
		Path: strings.TrimSuffix(base.Path, "/") + path, RawQuery: query}
}

// decodeList decodes a JSON list of what (such as "release files") from an
// API answer named src, into out. Bad data gives a [*DataError]; data
// larger than [MaxAPISize] one wrapping [ErrTooLarge].
func decodeList(data []byte, src, what string, out any) error {
	if len(data) > MaxAPISize {
		return &DataError{Source: src, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxAPISize)}
	}
	if t := firstToken(data); t != '[' {
		return &DataError{Source: src, Field: "json", Err: errors.New("not a JSON list of " + what)}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return &DataError{Source: src, Field: "json", Err: jsonError(err)}
	}
	return nil
}
