package audit

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/names"
	"golang.org/x/net/html"
)

// MaxIndexSize caps a directory listing page.
const MaxIndexSize = 8 << 20

// MaxIndexEntries caps the entries of one directory listing.
const MaxIndexEntries = 100000

// ErrIndex is wrapped by the errors of ParseIndex.
var ErrIndex = errors.New("not a directory listing")

// ParseIndex reads a web server's directory listing (an Apache or nginx
// autoindex page, as python.org renders /ftp/python/): every link to a
// plain name ("3.12.4/", "Python-3.12.4.tgz") is an entry, a trailing slash
// marks a directory, and an integer after the link on its line is the size
// in bytes (human units such as "25M" leave it unknown, -1). Links to
// parent directories, other hosts, queries (sort links) and paths are
// ignored. Entries are sorted by name; a name listed twice is an error.
func ParseIndex(data []byte) ([]FileInfo, error) {
	if len(data) > MaxIndexSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrIndex, MaxIndexSize)
	}
	z := html.NewTokenizer(bytes.NewReader(data))
	z.SetMaxBuf(1 << 20)
	var out []FileInfo
	seen := map[string]bool{}
	var last *FileInfo // the entry whose line is being read
	inLink := false
	sawHTML := false
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return nil, fmt.Errorf("%w: %v", ErrIndex, err)
			}
			if !sawHTML {
				return nil, fmt.Errorf("%w: no HTML", ErrIndex)
			}
			slices.SortFunc(out, func(a, b FileInfo) int { return strings.Compare(a.Name, b.Name) })
			return out, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			sawHTML = true
			name, hasAttr := z.TagName()
			if string(name) != "a" {
				if string(name) != "pre" && string(name) != "td" {
					last = nil
				}
				continue
			}
			last = nil
			inLink = true
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				if string(k) != "href" {
					continue
				}
				fi, ok := indexEntry(string(v))
				if !ok {
					break
				}
				if seen[fi.Name] {
					return nil, fmt.Errorf("%w: %s listed twice", ErrIndex, safetext.Quote(fi.Name))
				}
				if len(out) == MaxIndexEntries {
					return nil, fmt.Errorf("%w: more than %d entries", ErrIndex, MaxIndexEntries)
				}
				seen[fi.Name] = true
				out = append(out, fi)
				last = &out[len(out)-1]
			}
		case html.EndTagToken:
			sawHTML = true
			if name, _ := z.TagName(); string(name) == "a" {
				inLink = false
			}
		case html.TextToken:
			if last == nil || inLink || last.Dir {
				continue
			}
			// "  04-Jun-2024 12:34    27174203\n": the size ends the line.
			text := string(z.Text())
			line, _, _ := strings.Cut(strings.TrimLeft(text, " \t"), "\n")
			if f := strings.Fields(line); len(f) > 0 {
				if n, err := strconv.ParseInt(f[len(f)-1], 10, 64); err == nil && n >= 0 {
					last.Size = n
				}
			}
			if strings.Contains(text, "\n") {
				last = nil
			}
		}
	}
}

// indexEntry turns a listing's href into an entry, if it names a file or
// directory of the listed directory.
func indexEntry(href string) (FileInfo, bool) {
	if href == "" || strings.ContainsAny(href, "?#:") || strings.HasPrefix(href, "/") {
		return FileInfo{}, false
	}
	dir := strings.HasSuffix(href, "/")
	name, err := url.PathUnescape(strings.TrimSuffix(href, "/"))
	if err != nil || names.CheckFileName(name) != nil {
		return FileInfo{}, false
	}
	return FileInfo{Name: name, Dir: dir, Size: -1}, true
}

// A Fetcher reads the small document at url (a directory listing, a
// sidecar), failing if it is longer than limit bytes. It is how callers give
// [HTTP] access to the network.
type Fetcher func(ctx context.Context, url string, limit int64) ([]byte, error)

// A Streamer downloads the file at url, writing its bytes to the writer
// newSink returns (see [Source].Stream): at most limit bytes, a longer
// file failing with an error matching ErrTooLarge.
type Streamer func(ctx context.Context, url string, limit int64, newSink func() (io.Writer, error)) error

// HTTP returns the Source for the mirror at base (a URL such as
// "https://www.python.org/ftp/python/"), read through fetch and stream:
// directories are read from the server's directory listings (see
// [ParseIndex]).
func HTTP(base string, fetch Fetcher, stream Streamer) (Source, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s: not an http(s) URL of a directory", safetext.URL(base))
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	return &httpSource{base: u, fetch: fetch, stream: stream}, nil
}

type httpSource struct {
	base   *url.URL
	fetch  Fetcher
	stream Streamer
}

func (h *httpSource) url(rel string, dir bool) string {
	u := *h.base
	var segs []string
	if rel != "" {
		segs = strings.Split(rel, "/")
	}
	esc := make([]string, len(segs))
	for i, s := range segs {
		esc[i] = url.PathEscape(s)
	}
	p := strings.Join(esc, "/")
	if dir && p != "" {
		p += "/"
	}
	return strings.TrimSuffix(u.String(), "/") + "/" + p
}

func (h *httpSource) ReadDir(ctx context.Context, dir string) ([]FileInfo, error) {
	u := h.url(dir, true)
	data, err := h.fetch(ctx, u, MaxIndexSize)
	if err != nil {
		return nil, err
	}
	fis, err := ParseIndex(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return fis, nil
}

func (h *httpSource) ReadFile(ctx context.Context, rel string, limit int64) ([]byte, error) {
	return h.fetch(ctx, h.url(rel, false), limit)
}

func (h *httpSource) Stream(ctx context.Context, rel string, limit int64, newSink func() (io.Writer, error)) error {
	return h.stream(ctx, h.url(rel, false), limit, newSink)
}
