package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

const pythonOrg = "https://www.python.org/downloads/release/"

// TestParsePageReal parses every real page and compares it with its truth
// file.
func TestParsePageReal(t *testing.T) {
	for _, base := range realPages(t) {
		t.Run(filepath.Base(base), func(t *testing.T) {
			tr := readTruth(t, base+".truth.json")
			pageURL := pythonOrg + slugOf(base) + "/"
			for _, want := range []Version{{}, MustParseVersion(tr.Version)} {
				m, err := ParsePage(bytes.NewReader(readFile(t, base+".html")), pageURL, want)
				if err != nil {
					t.Fatal(err)
				}
				if m.Schema != Schema || m.Version != tr.Version || m.Source != pageURL {
					t.Errorf("manifest header = %q %q %q, want %q %q %q", m.Schema, m.Version, m.Source, Schema, tr.Version, pageURL)
				}
				if len(m.Artifacts) != len(tr.Artifacts) {
					t.Fatalf("%d artifacts, want %d", len(m.Artifacts), len(tr.Artifacts))
				}
				for i, got := range m.Artifacts {
					w := tr.Artifacts[i]
					w.Class = ClassOf(w.Name)
					if tr.SizeExact {
						w.SizeText = strconv.FormatInt(w.Size, 10)
					} else {
						if !SizeTextMatches(got.SizeText, w.Size) {
							t.Errorf("%s: size text %q does not match exact size %d", w.Name, got.SizeText, w.Size)
						}
						w.Size, w.SizeText = 0, got.SizeText
					}
					diffArtifacts(t, w.Name, got, w)
				}
			}
		})
	}
}

// TestParsePageEras parses a sample of every layout python.org has used, and
// of awkward markup, and compares it with the manifest next to it.
func TestParsePageEras(t *testing.T) {
	pages, _ := filepath.Glob("testdata/eras/*.html")
	if len(pages) < 9 {
		t.Fatalf("found %d era samples, want at least 9", len(pages))
	}
	for _, p := range pages {
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		t.Run(name, func(t *testing.T) {
			want, err := ReadManifest(bytes.NewReader(readFile(t, strings.TrimSuffix(p, ".html")+".want.json")))
			if err != nil {
				t.Fatalf("want file: %v", err)
			}
			got, err := ParsePage(bytes.NewReader(readFile(t, p)), want.Source, Version{})
			if err != nil {
				t.Fatal(err)
			}
			if got.Version != want.Version || got.Source != want.Source || got.Schema != want.Schema {
				t.Errorf("got %q %q %q, want %q %q %q", got.Schema, got.Version, got.Source, want.Schema, want.Version, want.Source)
			}
			if len(got.Artifacts) != len(want.Artifacts) {
				t.Fatalf("%d artifacts, want %d", len(got.Artifacts), len(want.Artifacts))
			}
			for i := range got.Artifacts {
				diffArtifacts(t, want.Artifacts[i].Name, got.Artifacts[i], want.Artifacts[i])
			}
		})
	}
}

// TestParsePageBad checks the exact error for every malformed page in
// testdata/bad. Each is testdata/bad-base.html with one defect.
func TestParsePageBad(t *testing.T) {
	const pageURL = pythonOrg + "python-3140a2/"
	base, err := ParsePage(bytes.NewReader(readFile(t, "testdata/bad-base.html")), pageURL, MustParseVersion("3.14.0a2"))
	if err != nil || len(base.Artifacts) != 3 {
		t.Fatalf("the base of the bad pages does not parse: %v", err)
	}
	const tgz = "row 1 (Python-3.14.0a2.tgz)"
	tests := []struct {
		file       string
		want       string // expected version; "" for none
		row, field string
		msg        string
	}{
		{"no-file-table", "", "", "table", `no file table`},
		{"header-version-not-first", "", "", "header", `does not start with a Version column`},
		{"two-file-tables", "", "", "table", `more than one file table`},
		{"two-md5-columns", "", "", "header", `two MD5 columns`},
		{"no-rows", "", "", "table", `the file table has no rows`},
		{"row-without-link", "", "row 2", "url", `no link in the Version cell`},
		{"two-links-in-version-cell", "", "row 2", "url", `more than one link in the Version cell`},
		{"md5-too-short", "", tgz, "md5", `has 31 characters, want 32 hex digits`},
		{"sha256-not-hex", "", tgz, "sha256", `is not lower-case hex`},
		{"size-negative", "", "row 1", "size_text", `"-29471990" is neither a number of bytes nor a size`},
		{"size-absurd-bytes", "", "row 1", "size_text", `"99999999999999" bytes is absurd`},
		{"size-absurd-human", "", "row 1", "size_text", `"17.0 GB" is absurd`},
		{"size-garbage", "", "row 1", "size_text", `"28,1 MB" is neither`},
		{"url-ftp-scheme", "", tgz, "url", `is not http or https`},
		{"url-javascript", "", "row 1", "url", `"javascript:alert(1)//Python-3.14.0a2.tgz" is not http or https`},
		{"url-no-host", "", tgz, "url", `has no host`},
		{"url-query", "", tgz, "url", `has a query`},
		{"name-empty", "", "row 1", "name", `empty file name`},
		{"name-dotdot", "", `row 1 ("Python..tgz")`, "name", `contains ".."`},
		{"name-escaped-slash", "", `row 1 ("../../etc/passwd")`, "name", `contains a path separator`},
		{"name-backslash", "", `row 1 ("evil\\Python-3.14.0a2.tgz")`, "name", `contains a path separator`},
		{"name-control-char", "", `row 1 ("Python-3.14.0a2\n.tgz")`, "name", `contains a control character`},
		{"label-bidi-control", "", tgz, "label", `contains a control character`},
		{"sidecar-other-host", "", tgz, "sigstore_url", `is on another host than the artifact ("www.python.org")`},
		{"sidecar-other-file", "", tgz, "sigstore_url", `is not the artifact URL plus ".sigstore"`},
		{"gpg-link-not-asc", "", tgz, "gpg_url", `is not the artifact URL plus ".asc"`},
		{"sbom-wrong-suffix", "", tgz, "sbom_url", `is not the artifact URL plus ".spdx.json"`},
		{"crt-link-to-sig", "", tgz, "sigstore_cert_url", `is not the artifact URL plus ".crt"`},
		{"sigstore-unknown-link", "", "row 1", "sigstore_url", `link "bundle file" in the Sigstore column is neither`},
		{"two-sigstore-bundles", "", "row 1", "sigstore_url", `more than one link`},
		{"duplicate-artifact", "", "row 3 (Python-3.14.0a2.tgz)", "name", `duplicate of row 1`},
		{"version-conflict", "", "", "version", `the page names both 3.14.0a2 and 3.14.0a1`},
		{"no-version", "", "", "version", `the page names no version and none was given`},
		{"bad-base", "3.14.0a1", "", "version", `the page is for 3.14.0a2, not 3.14.0a1`},
	}
	seen := map[string]bool{"bad-base": true}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			seen[tt.file] = true
			path := "testdata/bad/" + tt.file + ".html"
			if tt.file == "bad-base" {
				path = "testdata/bad-base.html"
			}
			var want Version
			if tt.want != "" {
				want = MustParseVersion(tt.want)
			}
			m, err := ParsePage(bytes.NewReader(readFile(t, path)), pageURL, want)
			if err == nil {
				t.Fatalf("parsed without error: %+v", m)
			}
			de := wantDataError(t, err, "", tt.field, tt.msg)
			if !strings.HasPrefix(de.Row, tt.row) || (tt.row == "") != (de.Row == "") {
				t.Errorf("Row = %q, want %q", de.Row, tt.row)
			}
			if !strings.HasPrefix(err.Error(), pageURL+": ") {
				t.Errorf("error %q does not start with the page URL", err)
			}
		})
	}
	files, _ := filepath.Glob("testdata/bad/*.html")
	for _, f := range files {
		if n := strings.TrimSuffix(filepath.Base(f), ".html"); !seen[n] {
			t.Errorf("%s is not tested", f)
		}
	}
}

func TestParsePageCaps(t *testing.T) {
	const pageURL = pythonOrg + "python-3140a2/"
	base := string(readFile(t, "testdata/bad-base.html"))
	v := MustParseVersion("3.14.0a2")

	big := strings.Replace(base, "<body>", "<body><!--"+strings.Repeat("x", MaxPageSize)+"-->", 1)
	_, err := ParsePage(strings.NewReader(big), pageURL, v)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("page of %d bytes: %v, want ErrTooLarge", len(big), err)
	}
	wantDataError(t, err, "", "", "page larger than")

	// MaxArtifacts+1 rows, each a distinct valid artifact.
	var rows strings.Builder
	for i := range MaxArtifacts + 1 {
		fmt.Fprintf(&rows, `<tr><td><a href="https://www.python.org/ftp/python/3.14.0/f%d.tgz">f</a></td></tr>`, i)
	}
	many := strings.Replace(base, "<tbody>\n", "<tbody>\n"+rows.String(), 1)
	_, err = ParsePage(strings.NewReader(many), pageURL, v)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("%d rows: %v, want ErrTooLarge", MaxArtifacts+4, err)
	}
	wantDataError(t, err, "", "table", "more than 1000 rows")

	// Text read again and again from nested headings: the work cap stops it.
	nested := strings.Repeat("<h1><div>", 200) + strings.Repeat("<i></i>", 200000)
	_, err = ParsePage(strings.NewReader(strings.Replace(base, "<body>", "<body>"+nested, 1)), pageURL, v)
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("nested headings: %v, want ErrTooLarge", err)
	}
	wantDataError(t, err, "", "", "page too complex")

	deep := strings.Repeat("<div>", 600)
	_, err = ParsePage(strings.NewReader(strings.Replace(base, "<body>", "<body>"+deep, 1)), pageURL, v)
	wantDataError(t, err, "", "", "html: ")
}

func TestParsePageRelativeLinksNeedURL(t *testing.T) {
	data := readFile(t, "testdata/eras/e2026jan-sha256-split-relative-links.html")
	_, err := ParsePage(bytes.NewReader(data), "", Version{})
	wantDataError(t, err, "row 1 (Python-3.14.0a2.tgz)", "url", `"/ftp/python/3.14.0/Python-3.14.0a2.tgz" is not http or https`)
	if !strings.HasPrefix(err.Error(), "release page: ") {
		t.Errorf("error %q does not name the release page", err)
	}
	if _, err := ParsePage(bytes.NewReader(data), "https://mirror.example.org/downloads/release/python-3140a2/", Version{}); err != nil {
		t.Errorf("with the page URL: %v", err)
	}
	if _, err := ParsePage(bytes.NewReader(data), "%zz", Version{}); err == nil {
		t.Error("a malformed page URL was accepted")
	}
}

func TestParsePageReadError(t *testing.T) {
	boom := errors.New("connection reset")
	_, err := ParsePage(io.MultiReader(strings.NewReader("<html>"), errReader{boom}), "x", Version{})
	var de *DataError
	if !errors.Is(err, boom) || errors.As(err, &de) {
		t.Fatalf("err = %v, want the reader's error", err)
	}
}

// FuzzParsePage checks that ParsePage never panics and that whatever it
// returns is valid and survives a JSON round trip.
func FuzzParsePage(f *testing.F) {
	for _, pattern := range []string{"testdata/pages/*.html", "testdata/eras/*.html", "testdata/bad/*.html", "testdata/*.html"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			f.Add(readFile(f, file))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParsePage(bytes.NewReader(data), pythonOrg+"python-3140a2/", Version{})
		if err != nil {
			var de *DataError
			if !errors.As(err, &de) {
				t.Fatalf("error is not a DataError: %v", err)
			}
			return
		}
		if err := m.Validate(); err != nil {
			t.Fatalf("ParsePage returned an invalid manifest: %v", err)
		}
		var buf bytes.Buffer
		if err := m.WriteJSON(&buf); err != nil {
			t.Fatal(err)
		}
		back, err := ReadManifest(&buf)
		if err != nil || !reflect.DeepEqual(back, m) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func BenchmarkParsePage(b *testing.B) {
	for _, file := range []string{"testdata/pages/python-333.real.html", "testdata/eras/e2026jan-sha256-split-relative-links.html"} {
		data := readFile(b, file)
		b.Run(filepath.Base(file), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ParsePage(bytes.NewReader(data), "https://www.python.org/downloads/release/x/", Version{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestParsePageNotReleasePage checks that a document with neither a release
// title nor a file table is reported as no release page at all (with or
// without an expected version), not as a release page with a defect.
func TestParsePageNotReleasePage(t *testing.T) {
	const pageURL = pythonOrg + "python-3140a2/"
	files, _ := filepath.Glob("testdata/notpage/*")
	if len(files) == 0 {
		t.Fatal("no testdata/notpage files")
	}
	for _, f := range files {
		for _, want := range []Version{{}, MustParseVersion("3.14.0a2")} {
			_, err := ParsePage(bytes.NewReader(readFile(t, f)), pageURL, want)
			if !errors.Is(err, ErrNotReleasePage) {
				t.Errorf("%s (want %v): %v, want ErrNotReleasePage", f, want, err)
				continue
			}
			wantDataError(t, err, "", "", pageURL+": not a python.org release page (no release title, no file table)")
		}
	}
	// A release page with a defect is not "not a release page".
	for _, f := range []string{"testdata/bad/no-file-table.html", "testdata/bad/no-version.html", "testdata/bad/header-version-not-first.html"} {
		if _, err := ParsePage(bytes.NewReader(readFile(t, f)), pageURL, Version{}); errors.Is(err, ErrNotReleasePage) {
			t.Errorf("%s: %v, want the defect named", f, err)
		}
	}
}
