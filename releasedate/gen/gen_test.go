package main

import (
	"os"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/releasedate"
)

// TestTableUpToDate checks that releases.json is what the generator makes
// from sources/ (run `go generate ./releasedate` after changing them).
func TestTableUpToDate(t *testing.T) {
	want := map[string]string{}
	for _, src := range generateSources(t) {
		f, err := os.Open(src.file)
		if err != nil {
			t.Fatal(err)
		}
		got, err := src.parse(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range got {
			if old, ok := want[k]; !ok || v < old {
				want[k] = v
			}
		}
	}
	tb := releasedate.Embedded()
	if tb.Len() != len(want) {
		t.Errorf("embedded table has %d releases, sources give %d", tb.Len(), len(want))
	}
	for tag, d := range want {
		got, ok := tb.Released(tag)
		if !ok || got.Format("2006-01-02") != d {
			t.Errorf("%s: embedded %v, sources %s", tag, got, d)
		}
	}
}

type source struct {
	file  string
	parse func(*os.File) (map[string]string, error)
}

// generateSources returns the sources doc.go's go:generate line passes to
// the generator, so that a source added there is checked here too.
func generateSources(t *testing.T) []source {
	t.Helper()
	doc, err := os.ReadFile("../doc.go")
	if err != nil {
		t.Fatal(err)
	}
	var srcs []source
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "//go:generate go run ./gen ") {
			continue
		}
		args := strings.Fields(line)
		for i := 0; i+1 < len(args); i++ {
			switch args[i] {
			case "-toml":
				srcs = append(srcs, source{"../" + args[i+1], func(f *os.File) (map[string]string, error) { return parseTOML(f) }})
			case "-news":
				srcs = append(srcs, source{"../" + args[i+1], func(f *os.File) (map[string]string, error) { return parseNEWS(f) }})
			}
		}
	}
	if len(srcs) < 5 {
		t.Fatalf("doc.go's go:generate line names %d sources", len(srcs))
	}
	return srcs
}

func TestTagOf(t *testing.T) {
	for in, want := range map[string]string{
		"3.11.0 alpha 1": "3.11.0a1", "3.11.0 candidate 2": "3.11.0rc2", "3.11.0 final": "3.11.0",
		"3.11.4": "3.11.4", "3.5.0 release candidate 1": "3.5.0rc1", "2.2.2 beta 1": "2.2.2b1",
	} {
		got, err := tagOf(in)
		if err != nil || got != want {
			t.Errorf("tagOf(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := tagOf("3.11 development begins"); err == nil {
		t.Error("no error for a non-release stage")
	}
}
