package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/manifest"
)

// TestManifestPagesMatchTruth runs `pyverify manifest --page PAGE --json` on
// every real release page and compares the artifacts with the page's truth.
func TestManifestPagesMatchTruth(t *testing.T) {
	pages, err := filepath.Glob(filepath.Join(repoRoot, "manifest", "testdata", "pages", "*.html"))
	if err != nil || len(pages) == 0 {
		t.Fatalf("no pages: %v", err)
	}
	for _, page := range pages {
		t.Run(filepath.Base(page), func(t *testing.T) {
			var truth struct {
				Version   string              `json:"version"`
				SizeExact bool                `json:"size_exact"`
				Artifacts []manifest.Artifact `json:"artifacts"`
			}
			data, err := os.ReadFile(strings.TrimSuffix(page, ".html") + ".truth.json")
			if err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(data, &truth); err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			if code := run(context.Background(), []string{"manifest", "--page", page, "--json"}, &stdout, &stderr); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr.String())
			}
			var got manifest.Manifest
			if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
				t.Fatalf("stdout is not a manifest: %v\n%s", err, stdout.String())
			}
			if got.Schema != manifest.Schema || got.Version != truth.Version {
				t.Errorf("schema %q version %q, want %q %q", got.Schema, got.Version, manifest.Schema, truth.Version)
			}
			if len(got.Artifacts) != len(truth.Artifacts) {
				t.Fatalf("%d artifacts, want %d", len(got.Artifacts), len(truth.Artifacts))
			}
			for i, want := range truth.Artifacts {
				g := got.Artifacts[i]
				if !truth.SizeExact {
					if g.Size != 0 || !manifest.SizeTextMatches(g.SizeText, want.Size) {
						t.Errorf("%s: size %d %q, want the human form of %d", want.Name, g.Size, g.SizeText, want.Size)
					}
					want.Size = 0
				}
				want.Class, want.SizeText = g.Class, g.SizeText
				if g != want {
					t.Errorf("artifact %d:\n got %+v\nwant %+v", i, g, want)
				}
			}
		})
	}
}
