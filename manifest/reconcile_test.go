package manifest

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func parsePageFile(t *testing.T, path, pageURL string) *Manifest {
	t.Helper()
	m, err := ParsePage(bytes.NewReader(readFile(t, path)), pageURL, Version{})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return m
}

func TestReconcileReal(t *testing.T) {
	for api, tf := range apiFiles(t) {
		t.Run(filepath.Base(api), func(t *testing.T) {
			tr := readTruth(t, tf)
			page := parsePageFile(t, strings.TrimSuffix(tf, ".truth.json")+".html", pythonOrg+slugOf(tf)+"/")
			am, err := ParseAPIv2(readFile(t, api), api, MustParseVersion(tr.Version))
			if err != nil {
				t.Fatal(err)
			}
			m, err := Reconcile(page, am)
			if err != nil {
				t.Fatal(err)
			}
			if m.Source != page.Source+" + "+api {
				t.Errorf("Source = %q", m.Source)
			}
			for i, got := range m.Artifacts {
				w := tr.Artifacts[i]
				w.Class = ClassOf(w.Name)
				w.SizeText = page.Artifacts[i].SizeText
				if w.SizeText == "" || w.Size == 0 {
					t.Fatalf("%s: no size", w.Name)
				}
				diffArtifacts(t, w.Name, got, w)
			}
		})
	}
}

// TestReconcileMerge checks that digests come from whichever source has
// them: the Dec 2025 page lists SHA-256 for some files, the API for others.
func TestReconcileMerge(t *testing.T) {
	page := parsePageFile(t, "testdata/eras/e2025dec.html", pythonOrg+"python-3140a2/")
	apiData := editAPI(t, readFile(t, api3140a2), func(r []map[string]any) {
		r[6]["sha256_sum"] = "34d605ae22ce00d7d75ed7720060c96cb9d388e854c847efdc02c3d6b76d0c7a" // embed-amd64: n/a on the page
		r[0]["md5_sum"] = ""
	})
	api, err := ParseAPIv2(apiData, "api.json", MustParseVersion("3.14.0a2"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := Reconcile(page, api)
	if err != nil {
		t.Fatal(err)
	}
	if page.Artifacts[0].SHA256 == "" || m.Artifacts[0].SHA256 != page.Artifacts[0].SHA256 {
		t.Errorf("page's sha256 lost: %q", m.Artifacts[0].SHA256)
	}
	if m.Artifacts[0].MD5 != page.Artifacts[0].MD5 {
		t.Errorf("page's md5 lost: %q", m.Artifacts[0].MD5)
	}
	if page.Artifacts[6].SHA256 != "" || m.Artifacts[6].SHA256 != "34d605ae22ce00d7d75ed7720060c96cb9d388e854c847efdc02c3d6b76d0c7a" {
		t.Errorf("API's sha256 not taken: page %q, result %q", page.Artifacts[6].SHA256, m.Artifacts[6].SHA256)
	}
	for i, a := range m.Artifacts {
		if a.Size != api.Artifacts[i].Size || a.SizeText != page.Artifacts[i].SizeText {
			t.Errorf("%s: size %d %q, want %d %q", a.Name, a.Size, a.SizeText, api.Artifacts[i].Size, page.Artifacts[i].SizeText)
		}
	}
}

func TestReconcileMismatch(t *testing.T) {
	page, api := mismatchedSources(t)
	_, err := Reconcile(page, api)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want a MismatchError", err)
	}
	wantDataError(t, err, "", "", "release page and API disagree (5 differences)")
	want := []Difference{
		{Name: "Python-3.14.0a2.tgz", Field: "md5", Page: "3a57cdc52ec15f7c74662d7c7b666170", API: "00000000000000000000000000000000"},
		{Name: "Python-3.14.0a2.tar.xz", Field: "size_text", Page: "21.6\u00a0MB", API: "22896948"},
		{Name: "python-3.14.0a2-amd64.exe", Field: "sigstore_url", Page: "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe.sigstore"},
		{Name: "python-3.14.0a2.exe", Field: "artifact", Page: "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2.exe"},
		{Name: "python-3.14.0a2-win32.exe", Field: "artifact", API: "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-win32.exe"},
	}
	if !reflect.DeepEqual(me.Differences, want) {
		t.Errorf("differences:\n%+v\nwant\n%+v", me.Differences, want)
	}
	for _, s := range []string{
		`Python-3.14.0a2.tgz: md5: page "3a57cdc52ec15f7c74662d7c7b666170", API "00000000000000000000000000000000"`,
		`python-3.14.0a2.exe: only on the release page`,
		`python-3.14.0a2-win32.exe: only in the API`,
	} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not contain %q", err, s)
		}
	}
}

func TestReconcileExactSizes(t *testing.T) {
	page := parsePageFile(t, "testdata/pages/python-333.real.html", pythonOrg+"python-333/")
	api := *page
	api.Artifacts = append([]Artifact(nil), page.Artifacts...)
	api.Source = "api"
	if m, err := Reconcile(page, &api); err != nil || m.Artifacts[2].Size != page.Artifacts[2].Size {
		t.Fatalf("identical manifests: %v", err)
	}
	api.Artifacts[2].Size++
	api.Artifacts[2].SizeText = itoa(api.Artifacts[2].Size)
	// An API that calls 3.3.3's files 3.3.4's is refused outright.
	api.Version = "3.3.4"
	_, err := Reconcile(page, &api)
	wantDataError(t, err, "artifact 1 (Python-3.3.3.tar.bz2)", "name", "Python-3.3.3.tar.bz2 is a file of 3.3.3, not of 3.3.4")
	api.Version = "3.3.3"
	_, err = Reconcile(page, &api)
	var me *MismatchError
	if !errors.As(err, &me) {
		t.Fatalf("err = %v, want a MismatchError", err)
	}
	want := []Difference{
		{Name: "Python-3.3.3.tar.xz", Field: "size", Page: "12057744", API: "12057745"},
	}
	if !reflect.DeepEqual(me.Differences, want) {
		t.Errorf("differences:\n%+v\nwant\n%+v", me.Differences, want)
	}
}

func TestReconcileInvalidInput(t *testing.T) {
	page := parsePageFile(t, "testdata/pages/python-333.real.html", pythonOrg+"python-333/")
	bad := *page
	bad.Artifacts = append([]Artifact(nil), page.Artifacts...)
	bad.Artifacts[0].MD5 = "XYZ"
	_, err := Reconcile(page, &bad)
	wantDataError(t, err, "artifact 1 (Python-3.3.3.tar.bz2)", "md5", `"XYZ" has 3 characters`)
}

// TestMergeKeepsEveryArtifact checks that Merge returns the union of both
// sources with the differences beside it, each worded for its artifact.
func TestMergeKeepsEveryArtifact(t *testing.T) {
	page, api := mismatchedSources(t)
	m, diffs, err := Merge(page, api)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Artifacts) != len(page.Artifacts)+1 || m.Artifacts[len(m.Artifacts)-1].Name != "python-3.14.0a2-win32.exe" {
		t.Fatalf("artifacts: %d, last %q", len(m.Artifacts), m.Artifacts[len(m.Artifacts)-1].Name)
	}
	// The disagreeing size is not taken from the API.
	if m.Artifacts[1].Size != 0 || m.Artifacts[1].SizeText != page.Artifacts[1].SizeText {
		t.Errorf("tar.xz size = %d %q", m.Artifacts[1].Size, m.Artifacts[1].SizeText)
	}
	var reasons []string
	for _, d := range diffs {
		reasons = append(reasons, d.Name+": "+d.Reason())
	}
	want := []string{
		`Python-3.14.0a2.tgz: md5: the release page lists 3a57cdc52ec15f7c74662d7c7b666170, the JSON API lists 00000000000000000000000000000000`,
		`Python-3.14.0a2.tar.xz: size: the release page shows "21.6\u00a0MB", the JSON API lists 22896948 bytes`,
		`python-3.14.0a2-amd64.exe: sigstore_url: the release page lists https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe.sigstore, the JSON API lists nothing`,
		`python-3.14.0a2.exe: listed only on the release page, not in the JSON API`,
		`python-3.14.0a2-win32.exe: listed only in the JSON API, not on the release page`,
	}
	if !reflect.DeepEqual(reasons, want) {
		t.Errorf("reasons:\n%s\nwant:\n%s", strings.Join(reasons, "\n"), strings.Join(want, "\n"))
	}
	// Reconcile fails on the same input.
	var me *MismatchError
	if _, err := Reconcile(page, api); !errors.As(err, &me) || !reflect.DeepEqual(me.Differences, diffs) {
		t.Errorf("Reconcile: got %v, want a MismatchError of Merge's differences", err)
	}
}

// mismatchedSources is a 3.14.0a2 page and an API that disagree on five
// points: an MD5, a size, a sidecar, and a file listed by each only.
func mismatchedSources(t *testing.T) (page, api *Manifest) {
	t.Helper()
	page = parsePageFile(t, "testdata/pages/python-3140a2.e2024nov.html", pythonOrg+"python-3140a2/")
	apiData := editAPI(t, readFile(t, api3140a2), func(r []map[string]any) {
		r[0]["md5_sum"] = "00000000000000000000000000000000"
		r[1]["filesize"] = 22696948 + 200000 // 21.8 MB, the page says 21.6 MB
		r[3]["sigstore_bundle_file"] = ""
		r[3]["sbom_spdx2_file"] = "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe.spdx.json"
		r[4]["url"] = "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-win32.exe"
		r[4]["sigstore_bundle_file"] = r[4]["url"].(string) + ".sigstore"
		r[4]["sbom_spdx2_file"] = ""
	})
	api, err := ParseAPIv2(apiData, "api.json", MustParseVersion("3.14.0a2"))
	if err != nil {
		t.Fatal(err)
	}
	return page, api
}
