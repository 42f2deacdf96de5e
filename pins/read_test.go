package pins

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/manifest"
)

// short is what a test compares of an entry.
type short struct {
	Line    int
	Name    string
	SHA256  string
	Version string
	Ours    bool
}

func shorts(es []Entry) []short {
	var out []short
	for _, e := range es {
		out = append(out, short{e.Line, e.Name, e.SHA256[:8], e.Version, e.Ours})
	}
	return out
}

func readTestdata(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", path))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestReadRealFormats(t *testing.T) {
	for _, tc := range []struct {
		path   string
		format InputFormat
		want   []short
	}{
		{"pyenv/3.13.5", InputPyenv, []short{
			{3, "openssl-3.5.1.tar.gz", "529043b1", "", false},
			{4, "readline-8.2.tar.gz", "3feb7171", "", false},
			{6, "Python-3.13.5.tar.xz", "93e583f2", "3.13.5", true},
			{8, "Python-3.13.5.tgz", "e6190f52", "3.13.5", true},
		}},
		{"homebrew/python@3.13.rb", InputHomebrew, []short{
			{5, "Python-3.13.14.tgz", "5ae535a3", "3.13.14", true},
			{38, "flit_core-3.12.0.tar.gz", "18f63100", "", false},
			{43, "packaging-26.2.tar.gz", "ff452ff5", "", false},
			{48, "pip-26.1.2.tar.gz", "f49cd134", "", false},
			{53, "wheel-0.47.0.tar.gz", "cc72bd10", "", false},
		}},
		{"docker/versions.json", InputDockerVersions, []short{
			{5, "Python-3.14.0.tar.xz", "2299dae5", "3.14.0", true},
			{9, "get-pip.py", "8dd03e99", "", false},
		}},
		{"docker/Dockerfile", InputDockerfile, []short{
			{7, "Python-3.14.0.tar.xz", "2299dae5", "3.14.0", true},
		}},
	} {
		t.Run(tc.path, func(t *testing.T) {
			data := readTestdata(t, tc.path)
			if got := Detect(data); got != tc.format {
				t.Errorf("Detect = %s, want %s", got, tc.format)
			}
			es, f, err := Read(tc.path, data, "")
			if err != nil {
				t.Fatal(err)
			}
			if f != tc.format {
				t.Errorf("format %s, want %s", f, tc.format)
			}
			got := shorts(es)
			if len(got) != len(tc.want) {
				t.Fatalf("got %d entries %+v, want %+v", len(got), got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("entry %d: got %+v, want %+v", i, got[i], tc.want[i])
				}
				if es[i].File != tc.path {
					t.Errorf("entry %d: file %q", i, es[i].File)
				}
			}
		})
	}
}

func TestReadOwnFormats(t *testing.T) {
	set, err := New("3.12.4", []Pin{
		{Name: "Python-3.12.4.tgz", SHA256: strings.Repeat("a", 64), URL: "https://www.python.org/ftp/python/3.12.4/Python-3.12.4.tgz"},
		{Name: "Python-3.12.4.tar.xz", SHA256: strings.Repeat("b", 64)},
		{Name: "python-3.12.4-amd64.exe", SHA256: strings.Repeat("c", 64)},
		{Name: "windows-3.12.4.json", SHA256: strings.Repeat("d", 64)},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range Formats {
		out, err := set.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		es, got, err := Read("pins", out, "")
		if err != nil {
			t.Fatalf("%s: %v\n%s", f, err, out)
		}
		if string(got) != string(f) {
			t.Errorf("%s: detected as %s", f, got)
		}
		if len(es) != len(set.Pins) {
			t.Fatalf("%s: %d entries, want %d", f, len(es), len(set.Pins))
		}
		byName := map[string]Entry{}
		for _, e := range es {
			byName[e.Name] = e
			if !e.Ours || e.Version != "3.12.4" || e.Line == 0 {
				t.Errorf("%s: %+v: want ours, 3.12.4, a line", f, e)
			}
		}
		for _, p := range set.Pins {
			if byName[p.Name].SHA256 != p.SHA256 {
				t.Errorf("%s: %s: got %q, want %q", f, p.Name, byName[p.Name].SHA256, p.SHA256)
			}
		}
	}
}

func TestReadErrors(t *testing.T) {
	hex := strings.Repeat("a", 64)
	for _, tc := range []struct {
		name, data string
		format     InputFormat
		want       string
	}{
		{"pyenv_short_digest", `install_package "Python-3.13.5" "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tgz#abc" standard`,
			"", `f: line 1: SHA-256 "abc": want 64 hexadecimal digits`},
		{"pyenv_no_digest", "# x\n" + `install_package "Python-3.13.5" "https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tgz" standard`,
			"", `f: line 2: install_package: https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tgz pins no SHA-256 (want URL#SHA256)`},
		{"pyenv_wrong_folder", `install_package "Python-3.13.5" "https://www.python.org/ftp/python/3.13.4/Python-3.13.5.tgz#` + hex + `"`,
			"", `f: line 1: URL https://www.python.org/ftp/python/3.13.4/Python-3.13.5.tgz: python.org keeps Python 3.13.5 files in /ftp/python/3.13.5/, not /ftp/python/3.13.4/`},
		{"pyenv_unclosed_quote", `install_package "Python-3.13.5 https://x#` + hex,
			"", `f: line 1: install_package: a double quote is not closed`},
		{"pyenv_expansion", `install_package "Python-$V" "https://x/a.tgz#` + hex + `"`,
			"", `f: line 1: install_package: a shell expansion ($) in a quoted word: pyverify reads pins as written`},
		{"pyenv_other_name", `install_package "Python-3.13.5" "https://www.python.org/ftp/python/3.13.4/Python-3.13.4.tgz#` + hex + `"`,
			"", `f: line 1: install_package "Python-3.13.5": the URL downloads Python-3.13.4.tgz`},
		{"brew_sha_without_url", "class X < Formula\n  sha256 \"" + hex + "\"\n", "",
			`f: line 2: sha256 with no url before it`},
		{"brew_url_without_sha", "class X < Formula\n  url \"https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tgz\"\n  license \"x\"\nend\n", "",
			`f: line 2: url https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tgz: no sha256 line follows it`},
		{"brew_interpolated_url", "class X < Formula\n  url \"https://www.python.org/ftp/python/#{version}/Python-#{version}.tgz\"\n", "",
			`f: line 2: url: an interpolated string (#{…}): pyverify reads pins as written`},
		{"docker_sha_before_version", "FROM x\nENV PYTHON_SHA256 " + hex + "\nENV PYTHON_VERSION 3.13.5\n", "",
			`f: line 2: PYTHON_SHA256 comes before any PYTHON_VERSION: the release it pins is not known`},
		{"docker_bad_version", "FROM x\nENV PYTHON_VERSION=3.13.x\n", "",
			`f: line 2: PYTHON_VERSION: "3.13.x" is not a CPython version: "x" is not a number (want e.g. 3.12.4, 3.14.0rc1)`},
		{"docker_unknown_key", "FROM x\nENV PYTHON_VERSION=3.13.5 PYTHON_SHA256_FOO=" + hex + "\n", "",
			`f: line 2: PYTHON_SHA256_FOO: no python.org file name of Python 3.13.5 has this key`},
		{"output_not_kv", "python_version=3.13.5\nnonsense\n", InputGitHubOutput,
			`f: line 2: "nonsense": want key=value`},
		{"output_heredoc", "python_version=3.13.5\npython_sha256<<EOF\n", InputGitHubOutput,
			`f: line 2: a multi-line value (KEY<<DELIMITER): pins are one line each`},
		{"versions_unknown_kind", `{"3.14": {"version": "3.14.0", "checksums": {"macos": {"sha256": "` + hex + `"}}}}`, "",
			`f: line 1: "3.14".checksums.macos.sha256: pyverify does not know which python.org file the key "macos" stands for`},
		{"versions_bad_json", "{\"3.14\": {\"version\": \"3.14.0\",\n}}", InputDockerVersions,
			`f: line 2: invalid JSON: invalid character '}' looking for beginning of object key string`},
		{"sums_bad_line", hex + "  Python-3.13.5.tgz\nnot a pin\n", "",
			`f: line 2: want "HEX  NAME" (a SHA-256 digest, two spaces, a file name)`},
		{"sums_wrong_folder", `{"schema":"pyverify.pins/v1","version":"3.13.5","pins":[{"name":"Python-3.13.5.tgz","sha256":"` + hex + `","url":"https://www.python.org/ftp/python/3.13.6/Python-3.13.5.tgz"}]}`, "",
			`f: line 1: Python-3.13.5.tgz: URL https://www.python.org/ftp/python/3.13.6/Python-3.13.5.tgz: python.org keeps Python 3.13.5 files in /ftp/python/3.13.5/, not /ftp/python/3.13.6/`},
		{"forced_json_on_sums", hex + "  Python-3.13.5.tgz\n", InputJSON, `f: not a JSON document`},
		{"unknown_format", "x", "yaml", `f: unknown pin format "yaml"`},
		{"no_pins", "FROM x\nENV A=b\n", "", `f: no pins (read as dockerfile)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Read("f", []byte(tc.data), tc.format)
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.want {
				t.Errorf("got  %s\nwant %s", err, tc.want)
			}
			var re *ReadError
			if !errors.As(err, &re) {
				t.Errorf("not a *ReadError: %T", err)
			}
		})
	}
	if _, _, err := Read("f", []byte("FROM x\n"), ""); !errors.Is(err, ErrNoPins) {
		t.Errorf("no pins: %v does not match ErrNoPins", err)
	}
}

func TestReadPyenvOtherCommands(t *testing.T) {
	hex := strings.Repeat("c", 64)
	data := "install_script \"Miniconda3-latest\" \"https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh#" + hex + "\" miniconda\n" +
		"install_git \"Python-3.13-dev\" \"https://github.com/python/cpython\" 3.13 standard\n" +
		"install_package \"Python-3.13.5\" \"https://www.python.org/ftp/python/3.13.5/Python-3.13.5.tgz#" + hex + "\"\n"
	es, f, err := Read("3.13.5", []byte(data), "")
	if err != nil || f != InputPyenv {
		t.Fatal(f, err)
	}
	got := shorts(es)
	want := []short{{1, "Miniconda3-latest-Linux-x86_64.sh", "cccccccc", "", false}, {3, "Python-3.13.5.tgz", "cccccccc", "3.13.5", true}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestReadSidecarsAreNotOurs(t *testing.T) {
	hex := strings.Repeat("d", 64)
	data := hex + "  Python-3.12.4.tgz.asc\n" + hex + "  Python-3.12.4.tgz.sigstore\n" + hex + "  Python-3.12.4.tgz\n"
	es, _, err := Read("SHA256SUMS", []byte(data), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != 3 || es[0].Ours || es[1].Ours || !es[2].Ours {
		t.Errorf("got %+v: want the signature files not ours, the tarball ours", es)
	}
}

func TestReadDockerfileForms(t *testing.T) {
	hex1, hex2 := strings.Repeat("1", 64), strings.Repeat("2", 64)
	data := "FROM mcr.microsoft.com/windows/servercore\n" +
		"ENV PYTHON_VERSION=3.13.5 \\\n    PYTHON_SHA256=\"" + hex1 + "\"\n" +
		"ENV PYTHON_GET_PIP_SHA256 " + hex2 + "\n" +
		"RUN $url = 'https://www.python.org/ftp/python/3.13.5/python-3.13.5-amd64.exe'\n"
	es, _, err := Read("Dockerfile", []byte(data), "")
	if err != nil {
		t.Fatal(err)
	}
	want := []short{
		{2, "python-3.13.5-amd64.exe", "11111111", "3.13.5", true},
		{4, "PYTHON_GET_PIP_SHA256", "22222222", "", false},
	}
	got := shorts(es)
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestNameOfKeyInvertsKey(t *testing.T) {
	for _, v := range []string{"3.12.4", "3.14.0rc1", "2.7.18"} {
		for _, shape := range releaseFileShapes {
			name := strings.Replace(shape, "V", v, 1)
			key := Key(v, name)
			got, err := nameOfKey(mustVersion(t, v), key, false)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if Key(v, got) != key {
				t.Errorf("%s: key %s gives %s", name, key, got)
			}
		}
	}
}

// FuzzRead feeds every reader arbitrary input: no panic, and every entry
// it returns holds a lower-case SHA-256 and a name.
func FuzzRead(f *testing.F) {
	hex := strings.Repeat("ab", 32)
	for _, p := range []string{"pyenv/3.13.5", "pyenv/3.14.0", "homebrew/python@3.13.rb", "docker/versions.json", "docker/Dockerfile"} {
		data, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "")
	}
	f.Add([]byte(hex+"  Python-3.12.4.tgz\n"), "sha256sums")
	f.Add([]byte("python_version=3.12.4\npython_sha256_tgz="+hex+"\n"), "github-output")
	f.Add([]byte(`{"schema":"pyverify.pins/v1","pins":[{"name":"Python-3.12.4.tgz","sha256":"`+hex+`"}]}`), "json")
	f.Add([]byte("ENV PYTHON_VERSION=3.12.4 \\\n PYTHON_SHA256="+hex), "dockerfile")
	f.Add([]byte(`install_package 'a' "b#c" \`), "pyenv")
	f.Fuzz(func(t *testing.T, data []byte, format string) {
		es, _, err := Read("f", data, InputFormat(format))
		if err != nil {
			return
		}
		for _, e := range es {
			if len(e.SHA256) != 64 || strings.ToLower(e.SHA256) != e.SHA256 || e.Name == "" {
				t.Fatalf("bad entry %+v", e)
			}
			if e.Ours && e.Version == "" {
				t.Fatalf("ours without a version: %+v", e)
			}
		}
	})
}

func mustVersion(t *testing.T, s string) manifest.Version {
	t.Helper()
	v, err := manifest.ParseVersion(s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// FuzzReadFormats feeds the same input to every reader in turn (sel picks
// one), so that each parser sees every shape the fuzzer finds, not only
// the inputs Detect sends it.
func FuzzReadFormats(f *testing.F) {
	for i, p := range []string{"pyenv/3.13.5", "homebrew/python@3.13.rb", "docker/versions.json", "docker/Dockerfile"} {
		data, err := os.ReadFile(filepath.Join("testdata", p))
		if err != nil {
			f.Fatal(err)
		}
		for sel := range len(InputFormats) {
			f.Add(data, uint8(sel+i))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, sel uint8) {
		format := InputFormats[int(sel)%len(InputFormats)]
		es, got, err := Read("f", data, format)
		if got != format {
			t.Fatalf("read as %s, asked for %s", got, format)
		}
		if err != nil {
			var re *ReadError
			if !errors.As(err, &re) || !strings.HasPrefix(err.Error(), "f: ") {
				t.Fatalf("error %q is not a *ReadError naming the file", err)
			}
			return
		}
		for _, e := range es {
			if len(e.SHA256) != 64 || e.Name == "" || e.File != "f" {
				t.Fatalf("bad entry %+v", e)
			}
		}
	})
}
