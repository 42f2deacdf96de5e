package manifest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// truth is the format of testdata/pages/*.truth.json: what a parser must
// read from a page. Size is always the exact size, even when the page shows
// a human size (SizeExact false).
type truth struct {
	Version   string     `json:"version"`
	Era       string     `json:"era"`
	SizeExact bool       `json:"size_exact"`
	Artifacts []Artifact `json:"artifacts"`
}

func readTruth(t *testing.T, path string) truth {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var tr truth
	if err := json.Unmarshal(data, &tr); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(tr.Artifacts) == 0 {
		t.Fatalf("%s: no artifacts", path)
	}
	return tr
}

// realPages lists the real pages: base names such as
// "python-3140a2.e2024nov" with their .html, .truth.json and the API file.
func realPages(t *testing.T) []string {
	t.Helper()
	htmls, err := filepath.Glob("testdata/pages/*.html")
	if err != nil || len(htmls) < 3 {
		t.Fatalf("want at least 3 real pages, got %v (%v)", htmls, err)
	}
	var out []string
	for _, h := range htmls {
		out = append(out, strings.TrimSuffix(h, ".html"))
	}
	return out
}

// slugOf returns "python-3140a2" for "testdata/pages/python-3140a2.e2024nov".
func slugOf(base string) string {
	b := filepath.Base(base)
	return b[:strings.IndexByte(b, '.')]
}

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// wantDataError checks that err is a *DataError for field (and, if row is
// not "", that row) whose message contains each of msgs.
func wantDataError(t *testing.T, err error, row, field string, msgs ...string) *DataError {
	t.Helper()
	var de *DataError
	if !errors.As(err, &de) {
		t.Fatalf("error = %v (%T), want a *DataError", err, err)
	}
	if de.Field != field {
		t.Errorf("DataError.Field = %q, want %q (error: %v)", de.Field, field, err)
	}
	if row != "" && de.Row != row {
		t.Errorf("DataError.Row = %q, want %q (error: %v)", de.Row, row, err)
	}
	for _, m := range msgs {
		if !strings.Contains(err.Error(), m) {
			t.Errorf("error %q does not contain %q", err, m)
		}
	}
	return de
}

// diffArtifacts reports the fields in which got and want differ.
func diffArtifacts(t *testing.T, what string, got, want Artifact) {
	t.Helper()
	gv, wv := reflect.ValueOf(got), reflect.ValueOf(want)
	for i := 0; i < gv.NumField(); i++ {
		if !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("%s: %s = %q, want %q", what, gv.Type().Field(i).Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}
