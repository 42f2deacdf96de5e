package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// encodeReport is the report as pyverify audit --json has always written
// it: the whole report through one json.Encoder.
func encodeReport(t testing.TB, rep *Report) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(rep); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// streamReport writes rep through a Spool fed its entries in a shuffled
// order, as OnEntry gives them.
func streamReport(t testing.TB, rep *Report, seed uint64) []byte {
	t.Helper()
	sp := NewSpool(t.TempDir())
	defer sp.Close()
	entries := append([]Entry(nil), rep.Entries...)
	rand.New(rand.NewPCG(seed, 1)).Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	for _, e := range entries {
		if err := sp.Add(e); err != nil {
			t.Fatal(err)
		}
	}
	head := *rep
	head.Entries = nil
	var b bytes.Buffer
	if err := WriteJSON(&b, &head, sp); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestWriteJSONIsTheEncodersOutput checks that a report streamed from a
// Spool is byte for byte the report encoded whole, with the entries in
// memory and with them in many sorted runs on disk.
func TestWriteJSONIsTheEncodersOutput(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	flipByte(t, filepath.Join(root, "3.12.4", "Python-3.12.4.tgz"))
	os.Remove(filepath.Join(root, "3.12.4", "Python-3.12.4.tar.xz"))
	rep := mustRunFull(t, ft.options(root))
	if len(rep.Entries) < 10 || rep.OK {
		t.Fatalf("fixture audit: %d entries, ok %v", len(rep.Entries), rep.OK)
	}
	// Entries whose text JSON escapes differently with and without HTML
	// escaping, or indents deeper.
	for i := range 50 {
		rep.Entries = append(rep.Entries, Entry{Path: fmt.Sprintf("9.9.9/a<&>\u2028%03d\t.tgz", i), Release: "9.9.9",
			Problems: []Problem{{Kind: Digest, Path: "x", Detail: "<b>é\x01</b>"}}, Warnings: []string{"w"}})
	}
	rep.finish()
	want := encodeReport(t, rep)

	for _, runBytes := range []int{spoolRunBytes, 1, 700} {
		old := spoolRunBytes
		spoolRunBytes = runBytes
		got := streamReport(t, rep, uint64(runBytes))
		spoolRunBytes = old
		if !bytes.Equal(got, want) {
			t.Errorf("run size %d: streamed report differs:\n%s\nwant\n%s", runBytes, got, want)
		}
	}

	// No entries: "entries": [] as before.
	empty := &Report{Schema: Schema, Root: "r", Listing: "none"}
	empty.finish()
	if got, want := streamReport(t, empty, 1), encodeReport(t, empty); !bytes.Equal(got, want) {
		t.Errorf("empty report:\n%s\nwant\n%s", got, want)
	}
}

// TestSpoolEntriesSortedAndRemoved checks Entries' order and that Close
// removes the temporary file.
func TestSpoolEntriesSortedAndRemoved(t *testing.T) {
	old := spoolRunBytes
	spoolRunBytes = 100
	defer func() { spoolRunBytes = old }()
	dir := t.TempDir()
	sp := NewSpool(dir)
	for _, p := range []string{"3.9.0/b", "3.10.0/a", "3.1/x", "3.9.0/a", "3.10.0/a.asc"} {
		if err := sp.Add(Entry{Path: p}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	for range 2 { // Each can be called again
		got = got[:0]
		if err := sp.Entries(func(e *Entry) error { got = append(got, e.Path); return nil }); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"3.1/x", "3.10.0/a", "3.10.0/a.asc", "3.9.0/a", "3.9.0/b"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("order %q, want %q", got, want)
	}
	if files, _ := os.ReadDir(dir); len(files) != 1 {
		t.Errorf("%d temporary files, want 1 while open", len(files))
	}
	if err := sp.Close(); err != nil {
		t.Fatal(err)
	}
	if files, _ := os.ReadDir(dir); len(files) != 0 {
		t.Errorf("Close left %d files", len(files))
	}
}

// BenchmarkReportJSON writes the --json report of n entries (copies of a
// verified fixture artifact's entry, with its checks) whole, as pyverify
// audit did (every entry in memory, the output in one buffer), and through
// a Spool, as it does now, and reports the heap in use at the end of the
// write (peak-heap-MB, after a collection: what the report holds).
func BenchmarkReportJSON(b *testing.B) {
	ft := loadFixtureTrust(b)
	rep := mustRunFull(b, ft.options(copyMirror(b)))
	var proto Entry
	for _, e := range rep.Entries {
		if len(e.Checks) > len(proto.Checks) {
			proto = e
		}
	}
	for _, n := range []int{12500, 50000} {
		entries := func(yield func(Entry)) {
			for i := range n {
				e := proto
				e.Path = fmt.Sprintf("3.12.%d/Python-3.12.%d-%d.tgz", i/20, i/20, i)
				yield(e)
			}
		}
		heap := func() float64 {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			return float64(ms.HeapInuse) / 1e6
		}
		b.Run(fmt.Sprintf("whole/entries=%d", n), func(b *testing.B) {
			var peak float64
			for b.Loop() {
				r := &Report{Schema: Schema, Root: "mirror", Listing: "none"}
				entries(func(e Entry) { r.Entries = append(r.Entries, e) })
				r.finish()
				var out bytes.Buffer
				enc := json.NewEncoder(&out)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				if err := enc.Encode(r); err != nil {
					b.Fatal(err)
				}
				peak = max(peak, heap())
				runtime.KeepAlive(r)
			}
			b.ReportMetric(peak, "peak-heap-MB")
		})
		b.Run(fmt.Sprintf("spool/entries=%d", n), func(b *testing.B) {
			var peak float64
			for b.Loop() {
				sp := NewSpool(b.TempDir())
				entries(func(e Entry) {
					if err := sp.Add(e); err != nil {
						b.Fatal(err)
					}
				})
				r := &Report{Schema: Schema, Root: "mirror", Listing: "none"}
				r.finish()
				if err := WriteJSON(io.Discard, r, sp); err != nil {
					b.Fatal(err)
				}
				peak = max(peak, heap())
				sp.Close()
			}
			b.ReportMetric(peak, "peak-heap-MB")
		})
	}
}
