package pins

import (
	"reflect"
	"strings"
	"testing"
)

const (
	xzDigest  = "f6595b710890be00233020f8158be4f43eadd27565ce314163a5e74e593eecc1"
	tgzDigest = "aaa5f9afb341c7f8c473ab9e3940cd398b23096dc0ad85d49cb8f74fbff52f8e"
	exeDigest = "f6704178431f385f5bb1b7adbbb160ce5becf766663bd047d47fef5e8da1b850"
)

func sample(t *testing.T) *Set {
	t.Helper()
	s, err := New("3.12.4", []Pin{
		{Name: "Python-3.12.4.tgz", SHA256: strings.ToUpper(tgzDigest), URL: "https://www.python.org/ftp/python/3.12.4/Python-3.12.4.tgz",
			Signers: []string{"rm-3.12@fixtures.test (https://issuer.fixtures.test)"}},
		{Name: "Python-3.12.4.tar.xz", SHA256: xzDigest},
		{Name: "python-3.12.4-amd64.exe", SHA256: exeDigest},
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMarshal(t *testing.T) {
	s := sample(t)
	tests := map[Format]string{
		FormatSHA256SUMS: tgzDigest + "  Python-3.12.4.tgz\n" + xzDigest + "  Python-3.12.4.tar.xz\n" + exeDigest + "  python-3.12.4-amd64.exe\n",
		FormatDockerfile: "# Python 3.12.4: SHA-256 of files whose signatures pyverify verified\n" +
			"ENV PYTHON_VERSION=3.12.4\nENV PYTHON_SHA256_TGZ=" + tgzDigest + "\nENV PYTHON_SHA256=" + xzDigest +
			"\nENV PYTHON_SHA256_AMD64_EXE=" + exeDigest + "\n",
		FormatGitHubOutput: "python_version=3.12.4\npython_sha256_tgz=" + tgzDigest + "\npython_sha256=" + xzDigest +
			"\npython_sha256_amd64_exe=" + exeDigest + "\n",
		FormatJSON: `{
  "schema": "pyverify.pins/v1",
  "version": "3.12.4",
  "pins": [
    {
      "name": "Python-3.12.4.tgz",
      "sha256": "` + tgzDigest + `",
      "url": "https://www.python.org/ftp/python/3.12.4/Python-3.12.4.tgz",
      "signers": [
        "rm-3.12@fixtures.test (https://issuer.fixtures.test)"
      ]
    },
    {
      "name": "Python-3.12.4.tar.xz",
      "sha256": "` + xzDigest + `"
    },
    {
      "name": "python-3.12.4-amd64.exe",
      "sha256": "` + exeDigest + `"
    }
  ]
}
`,
	}
	for _, f := range Formats {
		got, err := s.Marshal(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if string(got) != tests[f] {
			t.Errorf("%s:\n got %s\nwant %s", f, got, tests[f])
		}
	}
	if _, err := s.Marshal("yaml"); err == nil || err.Error() != `pins: unknown format "yaml"` {
		t.Errorf("an unknown format: got %v", err)
	}
}

// The SHA256SUMS and JSON forms read back to the same pins.
func TestRoundTrip(t *testing.T) {
	s := sample(t)
	for _, f := range []Format{FormatSHA256SUMS, FormatJSON} {
		data, err := s.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Parse("pins", data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		want := s
		if f == FormatSHA256SUMS {
			// Only names and digests.
			want = &Set{Schema: Schema}
			for _, p := range s.Pins {
				want.Pins = append(want.Pins, Pin{Name: p.Name, SHA256: p.SHA256})
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", f, got, want)
		}
	}
}

func TestKey(t *testing.T) {
	for _, tt := range []struct{ version, name, want string }{
		{"3.12.4", "Python-3.12.4.tar.xz", "PYTHON_SHA256"},
		{"3.12.4", "Python-3.12.4.tgz", "PYTHON_SHA256_TGZ"},
		{"3.14.0a2", "python-3.14.0a2-embed-amd64.zip", "PYTHON_SHA256_EMBED_AMD64_ZIP"},
		{"3.14.1", "python-3.14.1-aarch64-linux-android.tar.gz", "PYTHON_SHA256_AARCH64_LINUX_ANDROID_TAR_GZ"},
		{"3.14.1", "windows-3.14.1.json", "PYTHON_SHA256_WINDOWS_JSON"},
		{"3.12.4", "python-3.12.4.exe", "PYTHON_SHA256_EXE"},
		{"3.3.3", "python333.chm", "PYTHON_SHA256_PYTHON333_CHM"},
		{"3.12.4", "Python-3.12.4", "PYTHON_SHA256_PYTHON_3_12_4"},
	} {
		if got := Key(tt.version, tt.name); got != tt.want {
			t.Errorf("Key(%s, %s) = %s, want %s", tt.version, tt.name, got, tt.want)
		}
	}
}

func TestMarshalKeyCollision(t *testing.T) {
	s, err := New("3.12.4", []Pin{{Name: "python-3.12.4-amd64.exe", SHA256: exeDigest}, {Name: "python-3.12.4_amd64.exe", SHA256: exeDigest}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Marshal(FormatDockerfile)
	if err == nil || err.Error() != "pins: python-3.12.4-amd64.exe and python-3.12.4_amd64.exe would both be PYTHON_SHA256_AMD64_EXE" {
		t.Errorf("got %v", err)
	}
	s.Version = ""
	if _, err := s.Marshal(FormatGitHubOutput); err == nil || !strings.Contains(err.Error(), "version is not known") {
		t.Errorf("got %v", err)
	}
}

func TestNewRejects(t *testing.T) {
	for _, tt := range []struct {
		version string
		pins    []Pin
		want    string
	}{
		{"3.12", []Pin{{Name: "a/b", SHA256: xzDigest}}, `pins: "a/b": want a plain file name, without directories`},
		{"3.12", []Pin{{Name: "x\n", SHA256: xzDigest}}, `pins: "x\n": a file name with control characters or invalid UTF-8`},
		{"3.12", []Pin{{Name: "x", SHA256: "abc"}}, `pins: x: SHA-256 "abc": want 64 hexadecimal digits`},
		{"3.12", []Pin{{Name: "x", SHA256: xzDigest}, {Name: "x", SHA256: xzDigest}}, `pins: x is pinned twice`},
		{"v3", nil, `pins: `},
	} {
		_, err := New(tt.version, tt.pins)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) || (tt.want != "pins: " && err.Error() != tt.want) {
			t.Errorf("New(%q, %v): got %v, want %s", tt.version, tt.pins, err, tt.want)
		}
	}
}

func TestParseForms(t *testing.T) {
	sums := "# made by hand\r\n\n" + strings.ToUpper(tgzDigest) + " *Python-3.12.4.tgz\r\n" +
		"SHA256 (Python-3.12.4.tar.xz) = " + xzDigest + "\n" +
		tgzDigest + "  Python-3.12.4.tgz\n" // the same again: counted once
	s, err := Parse("SHA256SUMS", []byte(sums))
	if err != nil {
		t.Fatal(err)
	}
	want := []Pin{{Name: "Python-3.12.4.tgz", SHA256: tgzDigest}, {Name: "Python-3.12.4.tar.xz", SHA256: xzDigest}}
	if !reflect.DeepEqual(s.Pins, want) || s.Version != "" {
		t.Errorf("got %+v", s)
	}
	if p, ok := s.Lookup("Python-3.12.4.tar.xz"); !ok || p.SHA256 != xzDigest {
		t.Errorf("Lookup: %+v %v", p, ok)
	}
	if _, ok := s.Lookup("python-3.12.4-amd64.exe"); ok {
		t.Error("Lookup found a file that is not pinned")
	}
	// Names with spaces are fine: everything after the separator is the name.
	s, err = Parse("SUMS", []byte(tgzDigest+"  my copy.tgz\n"))
	if err != nil || s.Pins[0].Name != "my copy.tgz" {
		t.Errorf("%v %+v", err, s)
	}
}

// Malformed pin files are errors naming the file and the line or field.
func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ name, data, want string }{
		{"empty", "\n# nothing\n", "p: no pins"},
		{"md5", "c5f77f1ea256dc5bdb0897eeb4d35bb0  Python-3.11.0.tgz\n", "p: line 1: Python-3.11.0.tgz: a 32-digit digest: pins are SHA-256 digests (64 hexadecimal digits)"},
		{"bsd-md5", "SHA256 (x.tgz) = c5f77f1ea256dc5bdb0897eeb4d35bb0\n", "p: line 1: x.tgz: a 32-digit digest: pins are SHA-256 digests (64 hexadecimal digits)"},
		{"one-space", tgzDigest + " Python-3.12.4.tgz\n", `p: line 1: want "HEX  NAME" (a SHA-256 digest, two spaces, a file name)`},
		{"dockerfile", "ENV PYTHON_VERSION=3.12.4\n", `p: line 1: want "HEX  NAME" (a SHA-256 digest, two spaces, a file name)`},
		{"not-hex", strings.Repeat("g", 64) + "  x\n", `p: line 1: x: SHA-256 "` + strings.Repeat("g", 64) + `": want 64 hexadecimal digits`},
		{"path", "\n" + tgzDigest + "  dl/Python-3.12.4.tgz\n", `p: line 2: "dl/Python-3.12.4.tgz": want a plain file name, without directories`},
		{"escaped", `\` + tgzDigest + `  a\\b` + "\n", "p: line 1: a file name with escaped characters: pin files hold plain file names"},
		{"two-digests", tgzDigest + "  x\n" + xzDigest + "  x\n", "p: line 2: x is pinned to two digests (" + tgzDigest + ", " + xzDigest + ")"},
		{"bsd-broken", "SHA256 (x.tgz = " + tgzDigest + "\n", `p: line 1: want "SHA256 (NAME) = HEX"`},
		{"binary", "\xff\xfe", "p: not UTF-8 text"},
		{"json-syntax", `{"schema": "pyverify.pins/v1",`, "p: invalid JSON: unexpected EOF"},
		{"json-schema", `{"schema": "pyverify.manifest/v1", "pins": []}`, `p: schema: "pyverify.manifest/v1" is not "pyverify.pins/v1"`},
		{"json-no-schema", `{"pins": []}`, `p: schema: missing (want "pyverify.pins/v1")`},
		{"json-no-pins", `{"schema": "pyverify.pins/v1"}`, "p: pins: missing"},
		{"json-empty", `{"schema": "pyverify.pins/v1", "pins": []}`, "p: no pins"},
		{"json-type", `{"schema": "pyverify.pins/v1", "pins": [{"name": 3}]}`, "p: pins.name: want a JSON string, got number"},
		{"json-digest", `{"schema": "pyverify.pins/v1", "pins": [{"name": "x", "sha256": "00"}]}`, `p: pins[0].sha256: SHA-256 "00": want 64 hexadecimal digits`},
		{"json-name", `{"schema": "pyverify.pins/v1", "pins": [null]}`, "p: pins[0].name: empty file name"},
		{"json-version", `{"schema": "pyverify.pins/v1", "version": "latest", "pins": [{"name": "x", "sha256": "` + xzDigest + `"}]}`, "p: version: "},
		{"json-trailing", `{"schema": "pyverify.pins/v1", "pins": [{"name": "x", "sha256": "` + xzDigest + `"}]} {}`, "p: invalid JSON: more data after the document"},
		{"json-two-digests", `{"schema": "pyverify.pins/v1", "pins": [{"name": "x", "sha256": "` + xzDigest + `"}, {"name": "x", "sha256": "` + tgzDigest + `"}]}`,
			"p: pins[1]: x is pinned to two digests (" + xzDigest + ", " + tgzDigest + ")"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("p", []byte(tt.data))
			if err == nil {
				t.Fatal("parsed")
			}
			if err.Error() != tt.want && !(strings.HasSuffix(tt.want, ": ") && strings.HasPrefix(err.Error(), tt.want)) {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
	if _, err := Parse("big", make([]byte, MaxSize+1)); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(tgzDigest + "  Python-3.12.4.tgz\n" + xzDigest + " *Python-3.12.4.tar.xz\n"))
	f.Add([]byte("SHA256 (x.tgz) = " + tgzDigest + "\r\n# comment\n"))
	f.Add([]byte(`{"schema": "pyverify.pins/v1", "version": "3.12.4", "pins": [{"name": "x", "sha256": "` + xzDigest + `", "signers": ["a"]}]}`))
	f.Add([]byte("ENV PYTHON_VERSION=3.12.4\n"))
	f.Add([]byte(`\` + tgzDigest + "  a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("f", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "f: ") {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		// What parses writes out and reads back the same, in both forms.
		for _, form := range []Format{FormatSHA256SUMS, FormatJSON} {
			out, err := s.Marshal(form)
			if err != nil {
				t.Fatal(err)
			}
			back, err := Parse("f", out)
			if err != nil {
				t.Fatalf("%s: reparse: %v\n%s", form, err, out)
			}
			if len(back.Pins) != len(s.Pins) {
				t.Fatalf("%s: %d pins, reparsed %d", form, len(s.Pins), len(back.Pins))
			}
			for i, p := range s.Pins {
				if back.Pins[i].Name != p.Name || back.Pins[i].SHA256 != p.SHA256 {
					t.Fatalf("%s: pin %d: %+v, reparsed %+v", form, i, p, back.Pins[i])
				}
			}
		}
	})
}
