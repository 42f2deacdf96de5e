package audit

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/names"
)

func parseIndexFile(t *testing.T, name string) []FileInfo {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	got, err := ParseIndex(data)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestParseIndexNginx(t *testing.T) {
	got := parseIndexFile(t, "index-nginx.html")
	want := []FileInfo{
		{Name: "Python-3.12.4.tar.xz", Size: 20575628},
		{Name: "Python-3.12.4.tar.xz.asc", Size: 963},
		{Name: "amd64", Dir: true, Size: -1},
		{Name: "python-3.12.4+extra.exe", Size: 26474808},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ParseIndex:\n got  %+v\n want %+v", got, want)
	}
}

func TestParseIndexApache(t *testing.T) {
	got := parseIndexFile(t, "index-apache.html")
	// Sort links, the parent and absolute links are not entries; "20M" is
	// no exact size.
	want := []FileInfo{
		{Name: "Python-3.12.4.tar.xz", Size: -1},
		{Name: "win32", Dir: true, Size: -1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("ParseIndex:\n got  %+v\n want %+v", got, want)
	}
}

func TestParseIndexRejects(t *testing.T) {
	for name, page := range map[string]string{
		"not-html":     "just text",
		"listed-twice": `<pre><a href="a">a</a> 1\n<a href="a">a</a> 2\n</pre>`,
		"too-large":    "<pre>" + strings.Repeat(" ", MaxIndexSize),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := ParseIndex([]byte(page)); !errors.Is(err, ErrIndex) {
				t.Errorf("ParseIndex: %v, want ErrIndex", err)
			}
		})
	}
	// Hostile names are no entries.
	got, err := ParseIndex([]byte(`<pre><a href="..%2Fetc">x</a><a href="a%0Ab">x</a><a href="https://evil/">x</a><a href="%2e%2e/">x</a><a href="ok">ok</a></pre>`))
	if err != nil || len(got) != 1 || got[0].Name != "ok" {
		t.Errorf("ParseIndex of hostile links = %+v, %v; want only ok", got, err)
	}
}

func FuzzParseIndex(f *testing.F) {
	for _, name := range []string{"index-nginx.html", "index-apache.html"} {
		data, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<pre><a href="3.12.4/">3.12.4/</a>  06-Jun-2024 21:23  -` + "\n</pre>"))
	f.Add([]byte(`<a href="x">x</a> 12`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fis, err := ParseIndex(data)
		if err != nil {
			if !errors.Is(err, ErrIndex) {
				t.Fatalf("error not wrapping ErrIndex: %v", err)
			}
			return
		}
		for i, fi := range fis {
			if names.CheckFileName(fi.Name) != nil || fi.Size < -1 || fi.Dir && fi.Size != -1 {
				t.Fatalf("bad entry %+v", fi)
			}
			if i > 0 && fis[i-1].Name >= fi.Name {
				t.Fatalf("entries not sorted and unique: %q, %q", fis[i-1].Name, fi.Name)
			}
		}
	})
}
