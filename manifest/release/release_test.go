package release_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/fixtureserver"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/manifest/release"
	"github.com/pyverify/pyverify/report"
	"github.com/pyverify/pyverify/verify"
)

// serve serves a copy of the fixture site, edited by edit, and returns a
// client that reads python.org from it.
func serve(t *testing.T, edit func(dir string)) (*download.Client, *fixtureserver.Server) {
	t.Helper()
	src := filepath.Join("..", "..", "fixtures", "site")
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(dir)
	}
	s := fixtureserver.New(dir)
	hs := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); hs.Close() })
	base, _ := url.Parse(hs.URL)
	return &download.Client{Mirror: base, Retries: -1}, s
}

var v3124 = manifest.MustParseVersion("3.12.4")

func TestLoadBoth(t *testing.T) {
	c, _ := serve(t, nil)
	r, err := release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.Both)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sources) != 2 || r.Sources[0].Name != release.SourcePage || r.Sources[1].Name != release.SourceAPIv2 || len(r.Warnings) != 0 || !r.CrossChecked() {
		t.Fatalf("sources %+v, warnings %v", r.Sources, r.Warnings)
	}
	a := r.Manifest.Artifacts[0]
	if a.Name != "Python-3.12.4.tgz" || a.Size != 221739 {
		t.Errorf("first artifact %s, size %d: want the API's exact size", a.Name, a.Size)
	}
	var tg verify.Target
	r.Describe(a, &tg)
	if len(tg.Sources) != 2 || len(tg.Disagreements) != 0 || tg.SHA256Source != "" {
		t.Errorf("target %+v", tg)
	}
}

func TestLoadDisagreement(t *testing.T) {
	c, _ := serve(t, func(dir string) {
		p := filepath.Join(dir, "api/v2/downloads/release_file/release=1062.json")
		b, _ := os.ReadFile(p)
		b = []byte(strings.Replace(string(b), "7a3f5323cb22d0150acc33ca6883e7576a6f605011cb9f7500e6585528026ed2", strings.Repeat("0", 64), 1))
		os.WriteFile(p, b, 0o644)
	})
	r, err := release.Load(context.Background(), c.ReleaseFetcher(), manifest.MustParseVersion("3.14.1"), release.Both)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range r.Manifest.Artifacts {
		var tg verify.Target
		r.Describe(a, &tg)
		switch a.Name {
		case "Python-3.14.1.tgz":
			want := "sha256: the release page lists 7a3f5323cb22d0150acc33ca6883e7576a6f605011cb9f7500e6585528026ed2, the JSON API lists " + strings.Repeat("0", 64)
			if len(tg.Disagreements) != 1 || tg.Disagreements[0] != want || tg.SHA256Source != release.SourcePage {
				t.Errorf("%s: %q (sha256 from %q)", a.Name, tg.Disagreements, tg.SHA256Source)
			}
		default:
			if len(tg.Disagreements) != 0 || tg.SHA256Source != "release page and JSON API" {
				t.Errorf("%s: %q (sha256 from %q)", a.Name, tg.Disagreements, tg.SHA256Source)
			}
		}
	}
}

func TestLoadAPIUnreachable(t *testing.T) {
	c, s := serve(t, nil)
	s.SetFault("/api/v2/downloads/release/", fixtureserver.Fault{Fail503: 100})
	s.SetFault("/api/v1/downloads/release_file/", fixtureserver.Fault{Fail503: 100})
	r, err := release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.Both)
	if err != nil {
		t.Fatal(err)
	}
	want := "JSON API unreachable (v2: HTTP 503 Service Unavailable; v1: HTTP 503 Service Unavailable): verified against the release page only, without a cross-check"
	if len(r.Sources) != 1 || r.Sources[0].Name != release.SourcePage || len(r.Warnings) != 1 || r.Warnings[0] != want || r.CrossChecked() {
		t.Fatalf("sources %+v, warnings %q", r.Sources, r.Warnings)
	}
	_, err = release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.APIOnly)
	var ue *release.UnreachableError
	if !errors.As(err, &ue) {
		t.Errorf("API only: err = %v, want an *release.UnreachableError", err)
	}
	// release.Both failures, on one line, the release first.
	re := regexp.MustCompile(`^Python 3\.12\.4: JSON API: v2: http://127\.0\.0\.1:\d+/api/v2/downloads/release/\?slug=python-3124: HTTP 503 Service Unavailable( after \d+ attempts)?; v1: http://127\.0\.0\.1:\d+/api/v1/downloads/release_file/\?release__slug=python-3124: HTTP 503 Service Unavailable( after \d+ attempts)?$`)
	if err == nil || !re.MatchString(err.Error()) {
		t.Errorf("API only: err = %v, want both versions' failures", err)
	}
}

func TestLoadAPIUnknownReleaseNamesBothVersions(t *testing.T) {
	c, _ := serve(t, nil)
	_, err := release.Load(context.Background(), c.ReleaseFetcher(), manifest.MustParseVersion("3.99.0"), release.APIOnly)
	re := regexp.MustCompile(`^Python 3\.99\.0: JSON API: v2: \S+/api/v2/downloads/release/\?slug=python-3990: HTTP 404 Not Found; v1: \S+/api/v1/downloads/release_file/\?release__slug=python-3990: HTTP 404 Not Found$`)
	if err == nil || !re.MatchString(err.Error()) || !errors.Is(err, download.ErrNotFound) {
		t.Errorf("err = %v, want both versions' failures, matching ErrNotFound", err)
	}
}

func TestUnreachableErrorNotListedByV2(t *testing.T) {
	v := manifest.MustParseVersion("3.99.0")
	// As FetchAPIv2 and FetchAPI return them: the release not listed by
	// v2, and the Fetcher's *FetchError for v1 after the API's subject.
	v2 := &manifest.NotInAPIError{Source: "https://www.python.org/api/v2/downloads/release/?slug=python-3990", Version: v}
	v1 := fmt.Errorf("Python 3.99.0: JSON API: %w", &release.FetchError{
		Err:      errors.New("https://www.python.org/api/v1/downloads/release_file/?release__slug=python-3990: HTTP 404 Not Found"),
		NotFound: true, StatusCode: 404, Brief: "HTTP 404 Not Found"})
	err := &release.UnreachableError{Version: v, V2: v2, V1: v1}
	want := "Python 3.99.0: JSON API: v2: https://www.python.org/api/v2/downloads/release/?slug=python-3990: the API does not list the release; v1: https://www.python.org/api/v1/downloads/release_file/?release__slug=python-3990: HTTP 404 Not Found"
	if err.Error() != want || !errors.Is(err, manifest.ErrNotInAPI) {
		t.Errorf("Error() = %q\nwant      %q", err.Error(), want)
	}
}

func TestLoadAPIv1Fallback(t *testing.T) {
	c, _ := serve(t, func(dir string) { os.RemoveAll(filepath.Join(dir, "api", "v2")) })
	r, err := release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.Both)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Sources) != 2 || r.Sources[1].Name != release.SourceAPIv1 || len(r.Notes) != 1 || r.Notes[0] != "JSON API v2: HTTP 404 Not Found; read v1 instead" {
		t.Fatalf("sources %+v, notes %q", r.Sources, r.Notes)
	}
}

func TestLoadAPIMalformed(t *testing.T) {
	c, _ := serve(t, func(dir string) {
		os.WriteFile(filepath.Join(dir, "api/v2/downloads/release_file/release=905.json"), []byte(`{"not": "a list"}`), 0o644)
	})
	_, err := release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.Both)
	var de *manifest.DataError
	if !errors.As(err, &de) || de.Field != "json" {
		t.Fatalf("err = %v, want a *manifest.DataError about the JSON", err)
	}
	if _, err := release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.PageOnly); err != nil {
		t.Errorf("page only: %v", err)
	}
}

// HTTPFetcher is enough for Load: a release the server does not have is
// ErrNotFound, and the cross-check of a listed artifact is a check.
func TestHTTPFetcher(t *testing.T) {
	hs := httptest.NewServer(fixtureserver.New(filepath.Join("..", "..", "fixtures", "site")))
	defer hs.Close()
	fetch := release.HTTPFetcher(nil, hs.URL)
	_, err := release.Load(context.Background(), fetch, manifest.MustParseVersion("3.99.0"), release.PageOnly)
	if !errors.Is(err, release.ErrNotFound) {
		t.Errorf("3.99.0: %v, want ErrNotFound", err)
	}
	r, err := release.Load(context.Background(), fetch, v3124, release.Both)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := r.CrossCheck("Python-3.12.4.tgz")
	if !ok || c.Kind != report.KindCrossCheck || c.Status != report.StatusPass || c.Detail != "release page and JSON API agree" {
		t.Errorf("cross-check %+v, %v", c, ok)
	}
	if m, err := r.Reconciled(); err != nil || len(m.Artifacts) != len(r.Manifest.Artifacts) {
		t.Errorf("Reconciled: %v", err)
	}
}
