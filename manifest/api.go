package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// A Fetcher returns the body of the document at url. It is how callers give
// [FetchAPI] access to the network (or to saved files); it should cap what
// it reads (at least [MaxAPISize] is needed) and honour ctx. Its errors
// should name the URL they concern, as internal/download's do.
type Fetcher func(ctx context.Context, url string) ([]byte, error)

// apiFile is a release_file object of python.org's JSON API; v1 and v2 share
// the fields this package reads. Unknown fields are ignored, since the API
// adds fields over time; md5_sum and sha256_sum may be absent.
type apiFile struct {
	Name           string `json:"name"`
	Slug           string `json:"slug"`
	OS             string `json:"os"`
	Release        string `json:"release"`
	Description    string `json:"description"`
	URL            string `json:"url"`
	GPGSignature   string `json:"gpg_signature_file"`
	MD5            string `json:"md5_sum"`
	SHA256         string `json:"sha256_sum"`
	Filesize       int64  `json:"filesize"`
	SigstoreSig    string `json:"sigstore_signature_file"`
	SigstoreCert   string `json:"sigstore_cert_file"`
	SigstoreBundle string `json:"sigstore_bundle_file"`
	SBOM           string `json:"sbom_spdx2_file"`
}

// apiV1Page is one page of a v1 list.
type apiV1Page struct {
	Meta *struct {
		Limit      int     `json:"limit"`
		Next       *string `json:"next"`
		Offset     int     `json:"offset"`
		Previous   *string `json:"previous"`
		TotalCount *int    `json:"total_count"`
	} `json:"meta"`
	Objects *[]apiFile `json:"objects"`
}

// apiOSNames maps the API's operating system ids (the number in
// /api/v2/downloads/os/<id>/) to the names release pages show today. Other
// ids are left unnamed rather than guessed.
var apiOSNames = map[int]string{
	1: "Windows",
	2: "macOS",
	3: "Source release",
}

// apiOSName returns the operating system name for an API os URL such as
// "https://www.python.org/api/v2/downloads/os/3/", or "" if unknown.
func apiOSName(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) < 2 || parts[len(parts)-2] != "os" {
		return ""
	}
	p := parts[len(parts)-1]
	if !isDigits(p) || len(p) > 9 {
		return ""
	}
	id, _ := strconv.Atoi(p)
	return apiOSNames[id]
}

// ParseAPIv2 reads the v2 API's answer to
// /api/v2/downloads/release_file/?release=<id>, a plain JSON list of
// release files, for release v, and returns it as a validated manifest.
// source names where data came from (a URL or file name); it becomes the
// manifest's Source. URLs in data must be absolute.
//
// Sizes are the API's exact byte counts (SizeText is their decimal form);
// operating systems are named only for the ids this package knows (1
// Windows, 2 macOS, 3 Source release), else left empty. All objects must
// belong to one release. Bad data gives a [*DataError]; data larger than
// [MaxAPISize] or listing more than [MaxArtifacts] files an error wrapping
// [ErrTooLarge].
func ParseAPIv2(data []byte, source string, v Version) (*Manifest, error) {
	if v.IsZero() {
		return nil, errors.New("manifest: ParseAPIv2 needs a version")
	}
	var files []apiFile
	if err := decodeList(data, apiSource(source), "release files", &files); err != nil {
		return nil, err
	}
	return apiManifest(files, source, nil, v)
}

// ParseAPIv1 reads one complete page of the v1 API's answer to
// /api/v1/downloads/release_file/?release__slug=<slug>, an object
// {"meta": {…}, "objects": […]}, for release v. It is like [ParseAPIv2]
// but fails if meta.next says more pages follow (use [FetchAPI] to follow
// them) or meta.total_count disagrees with the objects.
func ParseAPIv1(data []byte, source string, v Version) (*Manifest, error) {
	if v.IsZero() {
		return nil, errors.New("manifest: ParseAPIv1 needs a version")
	}
	p, err := parseV1Page(data, source)
	if err != nil {
		return nil, err
	}
	src := apiSource(source)
	if p.Meta.Next != nil && *p.Meta.Next != "" {
		return nil, &DataError{Source: src, Field: "meta.next", Err: errors.New("more pages follow")}
	}
	if tc := p.Meta.TotalCount; tc != nil && *tc != len(*p.Objects) {
		return nil, &DataError{Source: src, Field: "meta.total_count", Err: fmt.Errorf("%d, but the page lists %d objects", *tc, len(*p.Objects))}
	}
	return apiManifest(*p.Objects, source, nil, v)
}

func apiSource(source string) string {
	if source == "" {
		return "API"
	}
	return quoteIfNeeded(source)
}

func parseV1Page(data []byte, source string) (*apiV1Page, error) {
	src := apiSource(source)
	if len(data) > MaxAPISize {
		return nil, &DataError{Source: src, Err: fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxAPISize)}
	}
	if t := firstToken(data); t != '{' {
		return nil, &DataError{Source: src, Field: "json", Err: errors.New("not a JSON object")}
	}
	var p apiV1Page
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, &DataError{Source: src, Field: "json", Err: jsonError(err)}
	}
	if p.Meta == nil || p.Objects == nil {
		return nil, &DataError{Source: src, Field: "json", Err: errors.New(`not a v1 list: want "meta" and "objects"`)}
	}
	if len(*p.Objects) > MaxArtifacts {
		return nil, &DataError{Source: src, Field: "objects", Err: fmt.Errorf("%w: more than %d objects", ErrTooLarge, MaxArtifacts)}
	}
	return &p, nil
}

// firstToken returns the first non-space byte of data, or 0.
func firstToken(data []byte) byte {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return 0
	}
	return data[0]
}

// jsonError turns a JSON decoding error into a short message that does not
// echo the input.
func jsonError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Errorf("malformed JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		if te.Field != "" {
			return fmt.Errorf("field %s: want %s, got JSON %s", quote(te.Field), te.Type, te.Value)
		}
		return fmt.Errorf("want %s, got JSON %s", te.Type, te.Value)
	}
	return errors.New("malformed JSON")
}

// apiManifest turns release-file objects into a validated manifest. Links
// are resolved against base when it is not nil.
func apiManifest(files []apiFile, source string, base *url.URL, v Version) (*Manifest, error) {
	src := apiSource(source)
	if len(files) > MaxArtifacts {
		return nil, &DataError{Source: src, Field: "objects", Err: fmt.Errorf("%w: more than %d objects", ErrTooLarge, MaxArtifacts)}
	}
	m := &Manifest{Schema: Schema, Version: v.String(), Source: source}
	for i, f := range files {
		row := func(name string) string { return rowName("object", i+1, name) }
		if f.Release != files[0].Release {
			return nil, &DataError{Source: src, Row: row(""), Field: "release",
				Err: fmt.Errorf("%s is not the release of object 1 (%s)", quote(f.Release), quote(files[0].Release))}
		}
		var a Artifact
		abs := func(s string) (string, error) {
			if s == "" || base == nil {
				return s, nil
			}
			u, err := url.Parse(s)
			if err != nil {
				return "", fmt.Errorf("%s does not parse", quote(s))
			}
			return base.ResolveReference(u).String(), nil
		}
		for _, x := range []struct {
			field string
			dst   *string
			src   string
		}{
			{fieldURL, &a.URL, f.URL},
			{fieldGPG, &a.GPGURL, f.GPGSignature},
			{fieldSigstore, &a.SigstoreURL, f.SigstoreBundle},
			{fieldSigCert, &a.SigstoreCertURL, f.SigstoreCert},
			{fieldSigSig, &a.SigstoreSigURL, f.SigstoreSig},
			{fieldSBOM, &a.SBOMURL, f.SBOM},
		} {
			s, err := abs(strings.TrimSpace(x.src))
			if err != nil {
				return nil, &DataError{Source: src, Row: row(""), Field: x.field, Err: err}
			}
			*x.dst = s
		}
		if u, err := url.Parse(a.URL); err == nil {
			a.Name = fileName(u)
		}
		a.Class = ClassOf(a.Name)
		a.Label = f.Name
		a.OS = apiOSName(f.OS)
		a.Description = f.Description
		a.MD5 = strings.ToLower(strings.TrimSpace(f.MD5))
		a.SHA256 = strings.ToLower(strings.TrimSpace(f.SHA256))
		if f.Filesize < 0 {
			return nil, &DataError{Source: src, Row: row(a.Name), Field: fieldSize, Err: fmt.Errorf("negative size %d", f.Filesize)}
		}
		if f.Filesize > 0 {
			a.Size = f.Filesize
			a.SizeText = itoa(f.Filesize)
		}
		m.Artifacts = append(m.Artifacts, a)
	}
	if err := m.validate(src, "object"); err != nil {
		return nil, err
	}
	return m, nil
}

// maxAPIPages bounds how many v1 pages FetchAPI follows.
const maxAPIPages = 50

// FetchAPI reads the release files of release v from python.org's v1 JSON
// API at baseURL (such as "https://www.python.org"), through fetch, and
// returns them as a validated manifest whose Source is the first URL
// fetched. It asks for
// <baseURL>/api/v1/downloads/release_file/?release__slug=<v.Slug()> and
// follows meta.next, at most 50 pages; a relative next is resolved against
// the page it came from, and next must stay on baseURL's scheme and host.
// The objects are read as [ParseAPIv2] reads them (relative URLs are
// resolved against baseURL), and meta.total_count must match them.
//
// Errors from fetch are returned wrapped, after "Python VERSION: JSON API: "
// (the fetcher names the URL); bad data gives a [*DataError].
func FetchAPI(ctx context.Context, fetch Fetcher, baseURL string, v Version) (*Manifest, error) {
	if v.IsZero() {
		return nil, errors.New("manifest: FetchAPI needs a version")
	}
	base, err := apiBase(baseURL)
	if err != nil {
		return nil, err
	}
	first := apiEndpoint(base, "/api/v1/downloads/release_file/", "release__slug="+url.QueryEscape(v.Slug()))
	source := first.String()
	var files []apiFile
	seen := map[string]bool{}
	total := -1
	next := first
	for pages := 0; next != nil; pages++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		cur := next.String()
		if pages == maxAPIPages {
			return nil, &DataError{Source: quoteIfNeeded(source), Field: "meta.next",
				Err: fmt.Errorf("%w: more than %d pages", ErrTooLarge, maxAPIPages)}
		}
		if seen[cur] {
			return nil, &DataError{Source: quoteIfNeeded(cur), Field: "meta.next", Err: errors.New("pages loop")}
		}
		seen[cur] = true
		data, err := fetch(ctx, cur)
		if err != nil {
			return nil, fmt.Errorf("Python %s: JSON API: %w", v, err)
		}
		p, err := parseV1Page(data, cur)
		if err != nil {
			return nil, err
		}
		files = append(files, *p.Objects...)
		if len(files) > MaxArtifacts {
			return nil, &DataError{Source: quoteIfNeeded(cur), Field: "objects", Err: fmt.Errorf("%w: more than %d objects", ErrTooLarge, MaxArtifacts)}
		}
		if tc := p.Meta.TotalCount; tc != nil {
			if total >= 0 && *tc != total {
				return nil, &DataError{Source: quoteIfNeeded(cur), Field: "meta.total_count", Err: fmt.Errorf("%d, but the first page said %d", *tc, total)}
			}
			total = *tc
		}
		next = nil
		if p.Meta.Next != nil && *p.Meta.Next != "" {
			cu, _ := url.Parse(cur)
			ref, err := url.Parse(*p.Meta.Next)
			if err == nil {
				next = cu.ResolveReference(ref)
			}
			if err != nil || next.Scheme != base.Scheme || !strings.EqualFold(next.Host, base.Host) || next.User != nil {
				return nil, &DataError{Source: quoteIfNeeded(cur), Field: "meta.next",
					Err: fmt.Errorf("%s is not on %s", quote(*p.Meta.Next), quote(base.Scheme+"://"+base.Host))}
			}
		}
	}
	if total >= 0 && total != len(files) {
		return nil, &DataError{Source: quoteIfNeeded(source), Field: "meta.total_count", Err: fmt.Errorf("%d, but the pages list %d objects", total, len(files))}
	}
	return apiManifest(files, source, base, v)
}
