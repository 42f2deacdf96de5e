package manifest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// apiFiles lists the saved API v2 answers, with the truth of their page.
func apiFiles(t *testing.T) map[string]string {
	t.Helper()
	files, _ := filepath.Glob("testdata/pages/*.api-v2-release_file.json")
	if len(files) < 2 {
		t.Fatalf("found %d API files, want at least 2", len(files))
	}
	out := map[string]string{}
	for _, f := range files {
		truths, _ := filepath.Glob(strings.Replace(f, ".api-v2-release_file.json", ".*.truth.json", 1))
		if len(truths) != 1 {
			t.Fatalf("%s: want one truth file, found %v", f, truths)
		}
		out[f] = truths[0]
	}
	return out
}

func TestParseAPIv2Real(t *testing.T) {
	for api, tf := range apiFiles(t) {
		t.Run(filepath.Base(api), func(t *testing.T) {
			tr := readTruth(t, tf)
			m, err := ParseAPIv2(readFile(t, api), api, MustParseVersion(tr.Version))
			if err != nil {
				t.Fatal(err)
			}
			if m.Version != tr.Version || m.Source != api || m.Schema != Schema {
				t.Errorf("header %q %q %q", m.Schema, m.Version, m.Source)
			}
			if len(m.Artifacts) != len(tr.Artifacts) {
				t.Fatalf("%d artifacts, want %d", len(m.Artifacts), len(tr.Artifacts))
			}
			for i, got := range m.Artifacts {
				w := tr.Artifacts[i]
				w.Class = ClassOf(w.Name)
				w.SizeText = strconv.FormatInt(w.Size, 10)
				diffArtifacts(t, w.Name, got, w)
			}
		})
	}
}

// editAPI decodes a v2 list, lets edit change it, and encodes it again.
func editAPI(t testing.TB, data []byte, edit func(rows []map[string]any)) []byte {
	t.Helper()
	var rows []map[string]any
	if err := json.Unmarshal(data, &rows); err != nil {
		t.Fatal(err)
	}
	edit(rows)
	out, err := json.Marshal(rows)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

const api3140a2 = "testdata/pages/python-3140a2.api-v2-release_file.json"

func TestParseAPIv2Bad(t *testing.T) {
	v := MustParseVersion("3.14.0a2")
	orig := readFile(t, api3140a2)
	tests := []struct {
		name       string
		data       []byte
		row, field string
		msg        string
	}{
		{"broken JSON", orig[:len(orig)/2], "", "json", "malformed JSON at byte"},
		{"not JSON", []byte("<html>"), "", "json", "not a JSON list"},
		{"object not list", []byte(`{"meta":{},"objects":[]}`), "", "json", "not a JSON list"},
		{"empty list", []byte(`[]`), "", "artifacts", "no artifacts"},
		{"wrong type", []byte(`[{"url":"https://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz","filesize":"12"}]`), "", "json", `field "filesize": want int64, got JSON string`},
		{"trailing garbage", append(append([]byte{}, orig...), "]"...), "", "json", "malformed JSON"},
		{"negative size", editAPI(t, orig, func(r []map[string]any) { r[1]["filesize"] = -5 }), "object 2 (Python-3.14.0a2.tar.xz)", "size", "negative size -5"},
		{"absurd size", editAPI(t, orig, func(r []map[string]any) { r[1]["filesize"] = int64(1) << 40 }), "object 2 (Python-3.14.0a2.tar.xz)", "size", "1099511627776 bytes is absurd"},
		{"short md5", editAPI(t, orig, func(r []map[string]any) { r[0]["md5_sum"] = "abc" }), "object 1 (Python-3.14.0a2.tgz)", "md5", `"abc" has 3 characters`},
		{"bad sha256", editAPI(t, orig, func(r []map[string]any) { r[0]["sha256_sum"] = strings.Repeat("z", 64) }), "object 1 (Python-3.14.0a2.tgz)", "sha256", "not lower-case hex"},
		{"relative url", editAPI(t, orig, func(r []map[string]any) { r[2]["url"] = "/ftp/python/3.14.0/python-3.14.0a2-macos11.pkg" }), "object 3 (python-3.14.0a2-macos11.pkg)", "url", "is not http or https"},
		{"file scheme", editAPI(t, orig, func(r []map[string]any) { r[2]["url"] = "file:///etc/passwd" }), "object 3 (passwd)", "url", "is not http or https"},
		{"sidecar other host", editAPI(t, orig, func(r []map[string]any) {
			r[0]["sigstore_bundle_file"] = "https://evil.example/ftp/python/3.14.0/Python-3.14.0a2.tgz.sigstore"
		}), "object 1 (Python-3.14.0a2.tgz)", "sigstore_url", "on another host"},
		{"cert not crt", editAPI(t, orig, func(r []map[string]any) {
			r[0]["sigstore_cert_file"] = "https://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz.pem"
		}), "object 1 (Python-3.14.0a2.tgz)", "sigstore_cert_url", `not the artifact URL plus ".crt"`},
		{"duplicate", editAPI(t, orig, func(r []map[string]any) { r[4] = r[0] }), "object 5 (Python-3.14.0a2.tgz)", "name", "duplicate of object 1"},
		{"two releases", editAPI(t, orig, func(r []map[string]any) { r[3]["release"] = "https://www.python.org/api/v2/downloads/release/2/" }), "object 4", "release", "is not the release of object 1"},
		{"name with backslash", editAPI(t, orig, func(r []map[string]any) { r[3]["url"] = "https://www.python.org/ftp/python/3.14.0/a%5Cb.exe" }), `object 4 ("a\\b.exe")`, "name", "path separator"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := ParseAPIv2(tt.data, "api.json", v)
			if err == nil {
				t.Fatalf("no error: %+v", m)
			}
			wantDataError(t, err, tt.row, tt.field, tt.msg)
		})
	}
}

func TestParseAPIv2Optional(t *testing.T) {
	v := MustParseVersion("3.14.0a2")
	data := editAPI(t, readFile(t, api3140a2), func(r []map[string]any) {
		delete(r[0], "sha256_sum")
		delete(r[0], "md5_sum")
		r[1]["md5_sum"] = "E797EAB193F656006BE0E51247D65E43"
		r[1]["sha256_sum"] = nil
		r[2]["os"] = "https://www.python.org/api/v2/downloads/os/7/"
		r[3]["filesize"] = 0
		r[4]["brand_new_field"] = []int{1}
	})
	m, err := ParseAPIv2(data, "api.json", v)
	if err != nil {
		t.Fatal(err)
	}
	a := m.Artifacts
	if a[0].MD5 != "" || a[0].SHA256 != "" {
		t.Errorf("absent digests: %q %q", a[0].MD5, a[0].SHA256)
	}
	if a[1].MD5 != "e797eab193f656006be0e51247d65e43" {
		t.Errorf("upper-case md5 read as %q", a[1].MD5)
	}
	if a[2].OS != "" {
		t.Errorf("unknown os id named %q", a[2].OS)
	}
	if a[3].Size != 0 || a[3].SizeText != "" {
		t.Errorf("size 0 read as %d %q", a[3].Size, a[3].SizeText)
	}
	if _, err := ParseAPIv2(data, "api.json", Version{}); err == nil {
		t.Error("ParseAPIv2 without a version succeeded")
	}
}

// v1Pages splits a v2 list into v1 pages of size n, as the v1 API serves
// them under base, with relative next links.
func v1Pages(t testing.TB, v2 []byte, base string, slug string, n int) map[string][]byte {
	t.Helper()
	var rows []json.RawMessage
	if err := json.Unmarshal(v2, &rows); err != nil {
		t.Fatal(err)
	}
	pageURL := func(off int) string {
		if off == 0 {
			return base + "/api/v1/downloads/release_file/?release__slug=" + slug
		}
		return fmt.Sprintf("%s/api/v1/downloads/release_file/?limit=%d&offset=%d&release__slug=%s", base, n, off, slug)
	}
	pages := map[string][]byte{}
	for off := 0; off < len(rows); off += n {
		end := min(off+n, len(rows))
		var next any
		if end < len(rows) {
			next = strings.TrimPrefix(pageURL(end), base)
		}
		body, err := json.Marshal(map[string]any{
			"meta":    map[string]any{"limit": n, "next": next, "offset": off, "previous": nil, "total_count": len(rows)},
			"objects": rows[off:end],
		})
		if err != nil {
			t.Fatal(err)
		}
		pages[pageURL(off)] = body
	}
	return pages
}

// mapFetcher serves pages from a map and counts requests.
func mapFetcher(pages map[string][]byte, calls *int) Fetcher {
	return func(ctx context.Context, url string) ([]byte, error) {
		*calls++
		if b, ok := pages[url]; ok {
			return b, nil
		}
		return nil, fmt.Errorf("404 not found")
	}
}

func TestFetchAPI(t *testing.T) {
	const base = "https://www.python.org"
	for api, tf := range apiFiles(t) {
		t.Run(filepath.Base(api), func(t *testing.T) {
			tr := readTruth(t, tf)
			v := MustParseVersion(tr.Version)
			v2, err := ParseAPIv2(readFile(t, api), "saved", v)
			if err != nil {
				t.Fatal(err)
			}
			pages := v1Pages(t, readFile(t, api), base, v.Slug(), 4)
			calls := 0
			m, err := FetchAPI(context.Background(), mapFetcher(pages, &calls), base+"/", v)
			if err != nil {
				t.Fatal(err)
			}
			if calls != 3 {
				t.Errorf("%d fetches, want 3", calls)
			}
			if want := base + "/api/v1/downloads/release_file/?release__slug=" + v.Slug(); m.Source != want {
				t.Errorf("Source = %q, want %q", m.Source, want)
			}
			if len(m.Artifacts) != len(v2.Artifacts) {
				t.Fatalf("%d artifacts, want %d", len(m.Artifacts), len(v2.Artifacts))
			}
			for i := range m.Artifacts {
				diffArtifacts(t, v2.Artifacts[i].Name, m.Artifacts[i], v2.Artifacts[i])
			}
		})
	}
}

func TestFetchAPIBad(t *testing.T) {
	const base = "https://www.python.org"
	v := MustParseVersion("3.14.0a2")
	first := base + "/api/v1/downloads/release_file/?release__slug=python-3140a2"
	good := v1Pages(t, readFile(t, api3140a2), base, v.Slug(), 4)
	second := base + "/api/v1/downloads/release_file/?limit=4&offset=4&release__slug=python-3140a2"
	setNext := func(pages map[string][]byte, url string, next any, total any) {
		var p map[string]any
		json.Unmarshal(pages[url], &p)
		meta := p["meta"].(map[string]any)
		meta["next"] = next
		if total != nil {
			meta["total_count"] = total
		}
		pages[url], _ = json.Marshal(p)
	}
	clone := func() map[string][]byte {
		c := map[string][]byte{}
		for k, v := range good {
			c[k] = v
		}
		return c
	}

	t.Run("next on another host", func(t *testing.T) {
		pages := clone()
		setNext(pages, first, "https://evil.example/api/v1/downloads/release_file/?offset=4", nil)
		_, err := FetchAPI(context.Background(), mapFetcher(pages, new(int)), base, v)
		wantDataError(t, err, "", "meta.next", `"https://evil.example/api/v1/downloads/release_file/?offset=4" is not on "https://www.python.org"`)
	})
	t.Run("next downgrades to http", func(t *testing.T) {
		pages := clone()
		setNext(pages, first, "http://www.python.org/x", nil)
		_, err := FetchAPI(context.Background(), mapFetcher(pages, new(int)), base, v)
		wantDataError(t, err, "", "meta.next", "is not on")
	})
	t.Run("loop", func(t *testing.T) {
		pages := clone()
		setNext(pages, second, strings.TrimPrefix(first, base), nil)
		_, err := FetchAPI(context.Background(), mapFetcher(pages, new(int)), base, v)
		wantDataError(t, err, "", "meta.next", "pages loop")
	})
	t.Run("too many pages", func(t *testing.T) {
		calls := 0
		fetch := func(ctx context.Context, url string) ([]byte, error) {
			calls++
			return fmt.Appendf(nil, `{"meta":{"next":"/api/v1/downloads/release_file/?offset=%d"},"objects":[]}`, calls), nil
		}
		_, err := FetchAPI(context.Background(), fetch, base, v)
		wantDataError(t, err, "", "meta.next", "more than 50 pages")
		if !errors.Is(err, ErrTooLarge) || calls != 50 {
			t.Errorf("err %v, %d calls; want ErrTooLarge after 50", err, calls)
		}
	})
	t.Run("total_count disagrees", func(t *testing.T) {
		pages := clone()
		setNext(pages, first, strings.TrimPrefix(second, base), 12)
		_, err := FetchAPI(context.Background(), mapFetcher(pages, new(int)), base, v)
		wantDataError(t, err, "", "meta.total_count", "but the first page said 12")
	})
	t.Run("fetch fails", func(t *testing.T) {
		boom := errors.New("connection refused")
		_, err := FetchAPI(context.Background(), func(context.Context, string) ([]byte, error) { return nil, boom }, base, v)
		var de *DataError
		if !errors.Is(err, boom) || errors.As(err, &de) || err.Error() != "Python "+v.String()+": JSON API: connection refused" {
			t.Errorf("err = %v, want the fetcher's error after the release, not a DataError", err)
		}
	})
	t.Run("not v1", func(t *testing.T) {
		pages := clone()
		pages[first] = readFile(t, api3140a2)
		_, err := FetchAPI(context.Background(), mapFetcher(pages, new(int)), base, v)
		wantDataError(t, err, "", "json", "not a JSON object")
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := FetchAPI(ctx, mapFetcher(clone(), new(int)), base, v)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
	})
	t.Run("bad base", func(t *testing.T) {
		for _, b := range []string{"", "www.python.org", "ftp://www.python.org", "https://"} {
			if _, err := FetchAPI(context.Background(), mapFetcher(clone(), new(int)), b, v); err == nil {
				t.Errorf("base %q accepted", b)
			}
		}
	})
}

func TestParseAPIv1(t *testing.T) {
	v := MustParseVersion("3.14.0a2")
	pages := v1Pages(t, readFile(t, api3140a2), "https://www.python.org", v.Slug(), 100)
	if len(pages) != 1 {
		t.Fatal(len(pages))
	}
	for _, p := range pages {
		m, err := ParseAPIv1(p, "v1.json", v)
		if err != nil || len(m.Artifacts) != 9 {
			t.Fatalf("ParseAPIv1: %v", err)
		}
	}
	partial := v1Pages(t, readFile(t, api3140a2), "https://www.python.org", v.Slug(), 4)
	_, err := ParseAPIv1(partial["https://www.python.org/api/v1/downloads/release_file/?release__slug=python-3140a2"], "v1.json", v)
	wantDataError(t, err, "", "meta.next", "more pages follow")

	_, err = ParseAPIv1([]byte(`{"meta":{"total_count":3},"objects":[]}`), "v1.json", v)
	wantDataError(t, err, "", "meta.total_count", "3, but the page lists 0 objects")
	_, err = ParseAPIv1([]byte(`{"objects":[]}`), "v1.json", v)
	wantDataError(t, err, "", "json", `want "meta" and "objects"`)
	_, err = ParseAPIv1([]byte(`[]`), "v1.json", v)
	wantDataError(t, err, "", "json", `not a JSON object`)
}

func TestAPIOSName(t *testing.T) {
	for in, want := range map[string]string{
		"https://www.python.org/api/v2/downloads/os/1/": "Windows",
		"https://www.python.org/api/v2/downloads/os/2/": "macOS",
		"/api/v1/downloads/os/3/":                       "Source release",
		"https://www.python.org/api/v2/downloads/os/4/": "",
		"https://www.python.org/api/v2/downloads/os/":   "",
		"https://www.python.org/api/v2/downloads/x/1/":  "",
		"":    "",
		"%zz": "",
	} {
		if got := apiOSName(in); got != want {
			t.Errorf("apiOSName(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzParseAPI checks that the API parsers never panic and return only
// valid manifests.
func FuzzParseAPI(f *testing.F) {
	files, _ := filepath.Glob("testdata/pages/*.api-v2-release_file.json")
	for _, file := range files {
		data := readFile(f, file)
		f.Add(data)
		for _, p := range v1Pages(f, data, "https://www.python.org", "python-3140a2", 4) {
			f.Add(p)
		}
	}
	f.Add([]byte(`{"meta":{"next":null,"total_count":1},"objects":[{"url":"https://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz","filesize":1}]}`))
	f.Add([]byte(`[{"url":"http://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz","gpg_signature_file":"http://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz.asc"}]`))
	v := MustParseVersion("3.14.0a2")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte, string, Version) (*Manifest, error){ParseAPIv2, ParseAPIv1} {
			m, err := parse(data, "fuzz", v)
			if err != nil {
				var de *DataError
				if !errors.As(err, &de) {
					t.Fatalf("error is not a DataError: %v", err)
				}
				continue
			}
			if err := m.Validate(); err != nil {
				t.Fatalf("invalid manifest returned: %v", err)
			}
		}
		// The same data as a saved manifest.
		if m, err := ReadManifest(bytes.NewReader(data)); err == nil {
			var buf bytes.Buffer
			if err := m.WriteJSON(&buf); err != nil {
				t.Fatalf("ReadManifest accepted what WriteJSON refuses: %v", err)
			}
		}
	})
}
