package release_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/fixtureserver"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/manifest/release"
)

// An API answering 403 or 418 is an answer, not an outage: the load fails
// instead of going on with the page alone, whichever Fetcher reads it. A
// 429 or a 5xx is an outage, and the page stands in.
func TestLoadAPIRefusedIsNotUnreachable(t *testing.T) {
	for _, status := range []int{403, 418, 429, 503} {
		c, s := serve(t, nil)
		hs := httptest.NewServer(s)
		t.Cleanup(hs.Close)
		for name, fetch := range map[string]release.Fetcher{"ReleaseFetcher": c.ReleaseFetcher(), "HTTPFetcher": release.HTTPFetcher(nil, hs.URL)} {
			s.SetFault("/api/v2/downloads/release/", fixtureserver.Fault{Status: status})
			s.SetFault("/api/v1/downloads/release_file/", fixtureserver.Fault{Status: status})
			r, err := release.Load(context.Background(), fetch, v3124, release.Both)
			var ue *release.UnreachableError
			switch status {
			case 403, 418:
				if err == nil || errors.As(err, &ue) {
					t.Errorf("%s, API answers %d: err = %v, want the refusal as an error of its own", name, status, err)
				}
			default:
				if err != nil || len(r.Warnings) != 1 || !strings.Contains(r.Warnings[0], "JSON API unreachable") {
					t.Errorf("%s, API answers %d: err = %v, want the page alone, with a warning", name, status, err)
				}
			}
		}
	}
}

// ReadFrom names the address read, not python.org's, in the sources, the
// manifests and a data error.
func TestReadFrom(t *testing.T) {
	c, _ := serve(t, func(dir string) {
		os.WriteFile(filepath.Join(dir, "downloads/release/python-3124/index.html"), []byte("root:x:0:0\n"), 0o644)
	})
	good, _ := serve(t, nil)
	addr := func(c *download.Client) func(string) string {
		return func(u string) string {
			r, err := c.Resolve(u)
			if err != nil {
				t.Fatal(err)
			}
			return r.String()
		}
	}
	rel, err := release.Load(context.Background(), good.ReleaseFetcher(), v3124, release.Both)
	rel, err = release.ReadFrom(rel, err, addr(good))
	if err != nil {
		t.Fatal(err)
	}
	base := good.Mirror.String() + "/"
	for _, s := range rel.Sources {
		if !strings.HasPrefix(s.URL, base) {
			t.Errorf("source %s: %s, want an address on %s", s.Name, s.URL, base)
		}
	}
	for _, m := range []*manifest.Manifest{rel.Manifest, rel.Page, rel.API} {
		if !strings.HasPrefix(m.Source, base) {
			t.Errorf("manifest source %s, want an address on %s", m.Source, base)
		}
	}
	if a := rel.Manifest.Artifacts[0]; !strings.HasPrefix(a.URL, release.PythonOrg+"/") {
		t.Errorf("artifact URL %s: links stay python.org's", a.URL)
	}

	_, err = release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.Both)
	_, err = release.ReadFrom(nil, err, addr(c))
	var de *manifest.DataError
	if !errors.As(err, &de) || de.Source != c.Mirror.String()+"/downloads/release/python-3124/" {
		t.Errorf("err = %v, want a *manifest.DataError naming the page read", err)
	}
}

// An API answer that cannot be used matches ErrAPI; a page that cannot be
// used does not, whatever the address it was read from says.
func TestLoadErrAPI(t *testing.T) {
	c, _ := serve(t, func(dir string) {
		files, _ := filepath.Glob(filepath.Join(dir, "api", "v2", "downloads", "release_file", "*.json"))
		for _, f := range files {
			os.WriteFile(f, []byte("not json"), 0o644)
		}
	})
	_, err := release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.Both)
	var de *manifest.DataError
	if !errors.As(err, &de) || !errors.Is(err, release.ErrAPI) {
		t.Errorf("malformed API answer: err = %v, want a *manifest.DataError matching ErrAPI", err)
	}
	c, _ = serve(t, func(dir string) {
		os.WriteFile(filepath.Join(dir, "downloads/release/python-3124/index.html"), []byte("root:x:0:0\n"), 0o644)
	})
	_, err = release.Load(context.Background(), c.ReleaseFetcher(), v3124, release.Both)
	if !errors.As(err, &de) || errors.Is(err, release.ErrAPI) {
		t.Errorf("malformed page: err = %v, want a *manifest.DataError not matching ErrAPI", err)
	}
}
