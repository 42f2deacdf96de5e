package manifest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// hostileRowsPage is a page of MaxPageSize bytes whose file table has
// about 900,000 rows: before checkPageBudget, html.Parse built a tree of
// some 420 MB from it before the row cap could refuse it.
func hostileRowsPage() []byte {
	base := `<html><head><title>Python Release Python 3.14.0a2 | Python.org</title></head><body><h1>Python 3.14.0a2</h1><table><tr><th>Version</th></tr>`
	var b bytes.Buffer
	b.WriteString(base)
	for b.Len()+9 < MaxPageSize {
		b.WriteString("<tr><td>x")
	}
	return b.Bytes()
}

// hostileFormattingPage opens 500 distinct formatting elements in a
// paragraph, closes the paragraph, then writes many short paragraphs: the
// tree builder re-creates the 500 elements in each one (HTML's "reconstruct
// the active formatting elements"), a tree of hundreds of millions of
// nodes from a few megabytes.
func hostileFormattingPage() []byte {
	var b bytes.Buffer
	b.WriteString(`<html><body><p>`)
	for i := range 500 {
		b.WriteString(`<b id=` + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + `>`)
	}
	b.WriteString(`</p>`)
	for b.Len()+8 < 1<<20 {
		b.WriteString(`<p>x</p>`)
	}
	return b.Bytes()
}

func TestParsePageBudget(t *testing.T) {
	for name, page := range map[string][]byte{"rows": hostileRowsPage(), "formatting": hostileFormattingPage()} {
		_, err := ParsePage(bytes.NewReader(page), pythonOrg+"python-3140a2/", Version{})
		if !errors.Is(err, ErrTooLarge) {
			t.Errorf("%s: %v, want ErrTooLarge", name, err)
			continue
		}
		wantDataError(t, err, "", "", "page too complex")
	}
	// Misnesting that stays small is read as before.
	small := `<html><head><title>Python Release Python 3.14.0a2 | Python.org</title></head><body><p><b><i>x</p>` +
		strings.Repeat("<p>y</p>", 100) + `</body></html>`
	_, err := ParsePage(strings.NewReader(small), pythonOrg+"python-3140a2/", Version{})
	if errors.Is(err, ErrTooLarge) {
		t.Errorf("small misnested page: %v", err)
	}
}

// TestPageBudgetOfRealPages checks that every page of the test data stays
// far below the budget: a real page is never refused by it.
func TestPageBudgetOfRealPages(t *testing.T) {
	var files []string
	for _, pattern := range []string{"testdata/pages/*.html", "testdata/eras/*.html"} {
		f, _ := filepath.Glob(pattern)
		files = append(files, f...)
	}
	if len(files) < 5 {
		t.Fatalf("only %d pages", len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		p, _ := newPageParser("")
		if err := p.checkPageBudget(data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// BenchmarkParsePageHostile parses the hostile pages and reports the
// largest live heap seen while doing so (peak-heap-MB, sampled after
// each op's garbage collection would be too late: it is the heap in use
// right after ParsePage returns, plus what it allocated, an upper bound).
// The whole-process figure is in BENCHMARKS.md (pyverify manifest --page).
func BenchmarkParsePageHostile(b *testing.B) {
	for name, page := range map[string][]byte{"rows-8MiB": hostileRowsPage(), "formatting-1MiB": hostileFormattingPage()} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			var ms runtime.MemStats
			for b.Loop() {
				if _, err := ParsePage(bytes.NewReader(page), pythonOrg+"python-3140a2/", Version{}); !errors.Is(err, ErrTooLarge) {
					b.Fatal(err)
				}
			}
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(ms.HeapSys)/1e6, "heap-sys-MB")
		})
	}
}
