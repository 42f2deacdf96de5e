package audit

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/names"
)

// A Listing is python.org's list of the files of release directories: the
// names, sizes and digests a mirror is expected to hold.
type Listing interface {
	// Name names the listing's origin in reports ("manifests", "api").
	Name() string
	// Dirs returns the release directories the listing covers, which are
	// audited even when the mirror lacks them; nil if it cannot tell.
	Dirs(ctx context.Context) ([]string, error)
	// Release returns the artifacts listed for the release directory dir,
	// given the versions of the files the mirror holds there. ok is false
	// when the listing does not cover dir.
	Release(ctx context.Context, dir string, versions []manifest.Version) (arts []manifest.Artifact, ok bool, err error)
}

// Manifests returns the Listing made of saved manifests (pyverify manifest
// --json). Each artifact belongs to the release directory its URL names
// under /ftp/python/, or else to its release's directory.
func Manifests(ms []*manifest.Manifest) (Listing, error) {
	l := &manifestListing{byDir: map[string][]manifest.Artifact{}}
	seen := map[string]string{}
	for _, m := range ms {
		v, err := manifest.ParseVersion(m.Version)
		if err != nil {
			return nil, fmt.Errorf("manifest %s: %w", safetext.Line(m.Source), err)
		}
		for _, a := range m.Artifacts {
			dir := artifactDir(a, v)
			key := dir + "/" + a.Name
			if prev, dup := seen[key]; dup {
				return nil, fmt.Errorf("%s is listed twice (by the manifests of %s and %s)", safetext.Line(key), safetext.Word(prev), safetext.Word(m.Version))
			}
			seen[key] = m.Version
			l.byDir[dir] = append(l.byDir[dir], a)
		}
	}
	return l, nil
}

type manifestListing struct {
	byDir map[string][]manifest.Artifact
}

func (l *manifestListing) Name() string { return "manifests" }

func (l *manifestListing) Dirs(context.Context) ([]string, error) {
	dirs := make([]string, 0, len(l.byDir))
	for d := range l.byDir {
		dirs = append(dirs, d)
	}
	slices.Sort(dirs)
	return dirs, nil
}

func (l *manifestListing) Release(_ context.Context, dir string, _ []manifest.Version) ([]manifest.Artifact, bool, error) {
	arts, ok := l.byDir[dir]
	return arts, ok, nil
}

// artifactDir is the release directory of a listed artifact.
func artifactDir(a manifest.Artifact, v manifest.Version) string {
	if u, err := url.Parse(a.URL); err == nil {
		if _, rest, ok := strings.Cut(u.Path, "/ftp/python/"); ok {
			if d, name, ok := strings.Cut(rest, "/"); ok && name == a.Name && names.CheckFileName(d) == nil {
				return d
			}
		}
	}
	return v.FTPDir()
}

// ErrNotListed is what a Fetcher given to [API] wraps when python.org has
// no such document (HTTP 404): the version is then not listed, and the
// audit goes on.
var ErrNotListed = errors.New("not listed by python.org")

// API returns the Listing read from python.org's JSON API at baseURL
// through fetch (see [manifest.FetchAPI]): for each release directory, the
// files of every version the mirror holds files of there (a version the API
// does not know, or lists no files for, is not listed). It cannot tell
// which releases a mirror lacks entirely.
func API(fetch manifest.Fetcher, baseURL string) Listing {
	return &apiListing{fetch: fetch, base: baseURL}
}

// apiListing reads the v1 API with manifest.FetchAPI rather than through
// manifest/release's loader (release.Load in APIOnly mode), which would
// read other data: Load asks v2 first and reads v1 only when v2 cannot be
// read or does not list the release, and a version neither lists is an
// error of Load's (an *release.UnreachableError), where the audit reads
// v1's listing version by version and a 404 means "not listed"
// (ErrNotListed). Moving it would change what a mirror is audited against.
type apiListing struct {
	fetch manifest.Fetcher
	base  string
}

func (l *apiListing) Name() string                           { return "api" }
func (l *apiListing) Dirs(context.Context) ([]string, error) { return nil, nil }

func (l *apiListing) Release(ctx context.Context, dir string, versions []manifest.Version) ([]manifest.Artifact, bool, error) {
	var arts []manifest.Artifact
	listed := false
	for _, v := range versions {
		m, err := manifest.FetchAPI(ctx, l.fetch, l.base, v)
		if errors.Is(err, ErrNotListed) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		listed = listed || len(m.Artifacts) > 0
		for _, a := range m.Artifacts {
			if artifactDir(a, v) == dir {
				arts = append(arts, a)
			}
		}
	}
	return arts, listed, nil
}
