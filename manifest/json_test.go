package manifest

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// allParsedManifests returns a manifest for every page in testdata.
func allParsedManifests(t *testing.T) map[string]*Manifest {
	t.Helper()
	out := map[string]*Manifest{}
	for _, base := range realPages(t) {
		out[base] = parsePageFile(t, base+".html", pythonOrg+slugOf(base)+"/")
	}
	eras, _ := filepath.Glob("testdata/eras/*.want.json")
	for _, w := range eras {
		m, err := ReadManifest(bytes.NewReader(readFile(t, w)))
		if err != nil {
			t.Fatalf("%s: %v", w, err)
		}
		out[w] = m
	}
	return out
}

func TestManifestRoundTrip(t *testing.T) {
	for name, m := range allParsedManifests(t) {
		var buf bytes.Buffer
		if err := m.WriteJSON(&buf); err != nil {
			t.Fatalf("%s: WriteJSON: %v", name, err)
		}
		if !bytes.HasSuffix(buf.Bytes(), []byte("}\n")) || !bytes.Contains(buf.Bytes(), []byte(`"schema": "pyverify.manifest/v1"`)) {
			t.Errorf("%s: unexpected form:\n%s", name, buf.Bytes())
		}
		back, err := ReadManifest(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("%s: ReadManifest: %v", name, err)
		}
		if !reflect.DeepEqual(back, m) {
			t.Errorf("%s: round trip changed the manifest:\n%+v\n%+v", name, back, m)
		}
	}
}

const goodManifest = `{
  "schema": "pyverify.manifest/v1",
  "version": "3.14.0a2",
  "source": "https://www.python.org/downloads/release/python-3140a2/",
  "artifacts": [
    {
      "name": "Python-3.14.0a2.tgz",
      "url": "https://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz",
      "label": "Gzipped source tarball",
      "os": "Source release",
      "description": "",
      "class": "source",
      "size": 29471990,
      "size_text": "28.1 MB",
      "md5": "3a57cdc52ec15f7c74662d7c7b666170",
      "sha256": "b038eab7823e8a1c0500e3a26c95265656c2b8dd0bfa098aa341e9812be8f89c",
      "gpg_url": "",
      "sigstore_url": "https://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz.sigstore",
      "sigstore_cert_url": "",
      "sigstore_sig_url": "",
      "sbom_url": "https://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz.spdx.json"
    },
    {
      "name": "python-3.14.0a2-amd64.exe",
      "url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe",
      "label": "Windows installer (64-bit)",
      "os": "Windows",
      "description": "Recommended",
      "class": "windows",
      "size_text": "27.6 MB",
      "md5": "a7f493a7486a461ddb859ea1c773e7c5",
      "sha256": "",
      "gpg_url": "",
      "sigstore_url": "",
      "sigstore_cert_url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe.crt",
      "sigstore_sig_url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe.sig",
      "sbom_url": ""
    }
  ]
}
`

func TestReadManifest(t *testing.T) {
	m, err := ReadManifest(strings.NewReader(goodManifest))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Artifacts) != 2 || m.Artifacts[0].Size != 29471990 || m.Artifacts[1].Class != ClassWindows {
		t.Errorf("read %+v", m)
	}
	var buf bytes.Buffer
	if err := m.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != goodManifest {
		t.Errorf("WriteJSON did not reproduce the input:\n%s", buf.String())
	}
}

func TestReadManifestBad(t *testing.T) {
	r := strings.NewReplacer
	const tgz = "artifact 1 (Python-3.14.0a2.tgz)"
	const exe = "artifact 2 (python-3.14.0a2-amd64.exe)"
	tests := []struct {
		name       string
		edit       *strings.Replacer
		raw        string
		row, field string
		msg        string
	}{
		{"broken JSON", nil, goodManifest[:300], "", "json", "malformed JSON"},
		{"not an object", nil, `["x"]`, "", "json", "not a JSON object"},
		{"trailing data", nil, goodManifest + "{}", "", "json", "data after the manifest"},
		{"no schema", r(`"schema": "pyverify.manifest/v1",`, ""), "", "", "schema", "not a pyverify.manifest/v1 manifest"},
		{"other schema", r(`manifest/v1"`, `manifest/v2"`), "", "", "schema", "not a pyverify.manifest/v1 manifest"},
		{"unknown field", r(`"label": "Windows`, `"labels": "x", "label": "Windows`), "", "", "json", `unknown field "labels"`},
		{"bad version", r(`"version": "3.14.0a2"`, `"version": "3.14.0a0"`), "", "", "version", "is not a CPython version"},
		{"no artifacts", nil, `{"schema":"pyverify.manifest/v1","version":"3.14.0a2","source":"x","artifacts":[]}`, "", "artifacts", "no artifacts"},
		{"null artifacts", nil, `{"schema":"pyverify.manifest/v1","version":"3.14.0a2","source":"x","artifacts":null}`, "", "artifacts", "no artifacts"},
		{"wrong type", r(`"size": 29471990`, `"size": "29471990"`), "", "", "json", `field "artifacts.size": want int64, got JSON string`},
		{"source control char", r(`"source": "https`, `"source": "\u001b[31mhttps`), "", "", "source", "control character"},
		{"class lies", r(`"class": "source"`, `"class": "windows"`), "", tgz, "class", `"windows", but the file name says "source"`},
		{"unknown class", r(`"class": "windows"`, `"class": "linux"`), "", exe, "class", `"linux", but the file name says "windows"`},
		{"name not from url", r(`"name": "Python-3.14.0a2.tgz"`, `"name": "Python-3.14.0a3.tgz"`), "", "artifact 1 (Python-3.14.0a3.tgz)", "name", `not the last element of the URL ("Python-3.14.0a2.tgz")`},
		{"name traversal", r(`"name": "Python-3.14.0a2.tgz"`, `"name": "../Python-3.14.0a2.tgz"`), "", `artifact 1 ("../Python-3.14.0a2.tgz")`, "name", "path separator"},
		{"duplicate", r("python-3.14.0a2-amd64.exe", "Python-3.14.0a2.tgz", `"class": "windows"`, `"class": "source"`), "", "artifact 2 (Python-3.14.0a2.tgz)", "name", "duplicate of artifact 1"},
		{"upper-case md5", r("3a57cdc52ec15f7c74662d7c7b666170", "3A57CDC52EC15F7C74662D7C7B666170"), "", tgz, "md5", "not lower-case hex"},
		{"long sha256", r("e8f89c", "e8f89c00"), "", tgz, "sha256", "has 66 characters, want 64"},
		{"negative size", r(`"size": 29471990`, `"size": -1`), "", tgz, "size", "negative size -1"},
		{"absurd size", r(`"size": 29471990`, `"size": 99999999999999`), "", tgz, "size", "99999999999999 bytes is absurd"},
		{"size text disagrees", r(`"size_text": "28.1 MB"`, `"size_text": "28.2 MB"`), "", tgz, "size_text", `"28.2 MB" does not match the size 29471990 (28.1 MB)`},
		{"exact size text disagrees", r(`"size_text": "28.1 MB"`, `"size_text": "29471991"`), "", tgz, "size_text", `"29471991" is not the size 29471990`},
		{"size text garbage", r(`"size_text": "27.6 MB"`, `"size_text": "big"`), "", exe, "size_text", `"big" is neither`},
		{"url scheme", r(`"url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe"`, `"url": "file:///ftp/python/3.14.0/python-3.14.0a2-amd64.exe"`), "", exe, "url", "is not http or https"},
		{"url user", r(`"url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe"`, `"url": "https://u:p@www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe"`), "", exe, "url", "has user information"},
		{"url fragment", r(`"url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe"`, `"url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe#x"`), "", exe, "url", "has a fragment"},
		{"url space", r(`"url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe"`, `"url": "https://www.python.org/ftp/python/3.14.0/python-3.14.0a2 amd64.exe"`), "", exe, "url", "contains a space"},
		{"crt on other host", r(`"https://www.python.org/ftp/python/3.14.0/python-3.14.0a2-amd64.exe.crt"`, `"https://python.org.evil/ftp/python/3.14.0/python-3.14.0a2-amd64.exe.crt"`), "", exe, "sigstore_cert_url", "on another host"},
		{"sig of another file", r(`python-3.14.0a2-amd64.exe.sig"`, `python-3.14.0a2-arm64.exe.sig"`), "", exe, "sigstore_sig_url", `is not the artifact URL plus ".sig"`},
		{"sigstore not https", r(`"https://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz.sigstore"`, `"ftp://www.python.org/ftp/python/3.14.0/Python-3.14.0a2.tgz.sigstore"`), "", tgz, "sigstore_url", "is not http or https"},
		{"sbom swapped", r(`Python-3.14.0a2.tgz.spdx.json`, `Python-3.14.0a2.tar.xz.spdx.json`), "", tgz, "sbom_url", `not the artifact URL plus ".spdx.json"`},
		{"label escape", r(`"label": "Gzipped source tarball"`, `"label": "Gzipped\u0007"`), "", tgz, "label", "control character"},
		{"description bidi", r(`"description": "Recommended"`, `"description": "Recommended\u202e"`), "", exe, "description", "control character"},
		{"os invalid utf8", r(`"os": "Windows"`, "\"os\": \"Win\xffdows\""), "", "", "json", "not valid UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.raw
			if tt.edit != nil {
				in = tt.edit.Replace(goodManifest)
				if in == goodManifest {
					t.Fatal("the edit changed nothing")
				}
			}
			m, err := ReadManifest(strings.NewReader(in))
			if err == nil {
				t.Fatalf("no error: %+v", m)
			}
			de := wantDataError(t, err, tt.row, tt.field, tt.msg)
			if de.Source != "manifest" {
				t.Errorf("Source = %q", de.Source)
			}
		})
	}
}

func TestReadManifestTooLarge(t *testing.T) {
	big := goodManifest[:len(goodManifest)-2] + strings.Repeat(" ", MaxManifestSize) + "}\n"
	_, err := ReadManifest(strings.NewReader(big))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	wantDataError(t, err, "", "", "too large")
}

func TestReadManifestReadError(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ReadManifest(errReader{boom})
	var de *DataError
	if !errors.Is(err, boom) || errors.As(err, &de) {
		t.Fatalf("err = %v, want the reader's error", err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestWriteJSONInvalid(t *testing.T) {
	m, err := ReadManifest(strings.NewReader(goodManifest))
	if err != nil {
		t.Fatal(err)
	}
	m.Artifacts[1].Name = "../evil.exe"
	var buf bytes.Buffer
	err = m.WriteJSON(&buf)
	wantDataError(t, err, `artifact 2 ("../evil.exe")`, "name", "path separator")
	if buf.Len() != 0 {
		t.Errorf("wrote %d bytes of an invalid manifest", buf.Len())
	}
}

func TestDataErrorMessage(t *testing.T) {
	e := &DataError{Source: "python-3140a2/index.html", Row: "row 3 (Python-3.14.0a2.tgz)", Field: "sigstore_url", Err: errors.New(`not the artifact URL plus ".sigstore"`)}
	want := `python-3140a2/index.html: row 3 (Python-3.14.0a2.tgz): sigstore_url: not the artifact URL plus ".sigstore"`
	if e.Error() != want {
		t.Errorf("Error() = %q, want %q", e.Error(), want)
	}
	if (&DataError{Source: "s"}).Error() != "s: bad release data" {
		t.Errorf("empty DataError: %q", (&DataError{Source: "s"}).Error())
	}
}
