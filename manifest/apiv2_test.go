package manifest

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// v2Site is the v2 API of one release, 3.14.0a2 as release 1 (as its saved
// release files say).
func v2Site(t testing.TB) map[string][]byte {
	const base = "https://www.python.org"
	return map[string][]byte{
		base + "/api/v2/downloads/release/?slug=python-3140a2": []byte(`[{"name": "Python 3.14.0a2", "slug": "python-3140a2",
			"resource_uri": "https://www.python.org/api/v2/downloads/release/1/"}]`),
		base + "/api/v2/downloads/release_file/?release=1": readFile(t, api3140a2),
	}
}

func TestFetchAPIv2(t *testing.T) {
	v := MustParseVersion("3.14.0a2")
	want, err := ParseAPIv2(readFile(t, api3140a2), "saved", v)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	m, err := FetchAPIv2(context.Background(), mapFetcher(v2Site(t), &calls), "https://www.python.org/", v)
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || m.Source != "https://www.python.org/api/v2/downloads/release_file/?release=1" {
		t.Errorf("calls = %d, Source = %q", calls, m.Source)
	}
	if len(m.Artifacts) != len(want.Artifacts) {
		t.Fatalf("%d artifacts, want %d", len(m.Artifacts), len(want.Artifacts))
	}
	for i := range m.Artifacts {
		diffArtifacts(t, want.Artifacts[i].Name, m.Artifacts[i], want.Artifacts[i])
	}
}

func TestFetchAPIv2Bad(t *testing.T) {
	v := MustParseVersion("3.14.0a2")
	const rel = "https://www.python.org/api/v2/downloads/release/?slug=python-3140a2"
	tests := []struct {
		name    string
		release string
		want    string
	}{
		{"not listed", `[]`, "the API does not list the release"},
		{"other slug only", `[{"slug": "python-3140a1", "resource_uri": "https://www.python.org/api/v2/downloads/release/999/"}]`, "the API does not list the release"},
		{"twice", `[{"slug": "python-3140a2", "resource_uri": "/api/v2/downloads/release/1000/"}, {"slug": "python-3140a2", "resource_uri": "/api/v2/downloads/release/1001/"}]`, "slug: 2 releases named"},
		{"not a list", `{"slug": "python-3140a2"}`, "json: not a JSON list of releases"},
		{"bad resource", `[{"slug": "python-3140a2", "resource_uri": "https://www.python.org/api/v2/downloads/os/1/"}]`, "resource_uri: "},
		{"non-numeric id", `[{"slug": "python-3140a2", "resource_uri": "https://www.python.org/api/v2/downloads/release/1000;x/"}]`, "resource_uri: "},
		{"files of another release", `[{"slug": "python-3140a2", "resource_uri": "https://www.python.org/api/v2/downloads/release/1/"}]`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := v2Site(t)
			site[rel] = []byte(tt.release)
			if tt.name == "files of another release" {
				site["https://www.python.org/api/v2/downloads/release_file/?release=1"] = []byte(strings.ReplaceAll(string(site["https://www.python.org/api/v2/downloads/release_file/?release=1"]), "/release/", "/release/9"))
				tt.want = "release: "
			}
			var calls int
			_, err := FetchAPIv2(context.Background(), mapFetcher(site, &calls), "https://www.python.org", v)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			var de *DataError
			if notListed := errors.Is(err, ErrNotInAPI); notListed == errors.As(err, &de) {
				t.Errorf("err = %T %v: want ErrNotInAPI or a *DataError, not both", err, err)
			}
		})
	}
	// A fetch failure is returned wrapped.
	var calls int
	_, err := FetchAPIv2(context.Background(), mapFetcher(map[string][]byte{}, &calls), "https://www.python.org", v)
	if err == nil || !strings.HasPrefix(err.Error(), "Python 3.14.0a2: JSON API: ") || !strings.Contains(err.Error(), "404") {
		t.Errorf("err = %v", err)
	}
}

func FuzzParseV2Release(f *testing.F) {
	f.Add([]byte(`[{"name": "Python 3.14.0a2", "slug": "python-3140a2", "resource_uri": "https://www.python.org/api/v2/downloads/release/1000/"}]`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"slug": "python-3140a2", "resource_uri": "/release/"}]`))
	v := MustParseVersion("3.14.0a2")
	f.Fuzz(func(t *testing.T, data []byte) {
		id, _, err := parseV2Release(data, "fuzz", v)
		if err == nil && (id == "" || !isDigits(id)) {
			t.Fatalf("id %q accepted", id)
		}
	})
}
