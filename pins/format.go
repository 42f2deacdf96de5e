package pins

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

// A Format is a way of writing pins.
type Format string

// The formats.
const (
	// FormatSHA256SUMS: one "HEX  NAME" line per file, as sha256sum writes
	// them; sha256sum -c checks files against it.
	FormatSHA256SUMS Format = "sha256sums"
	// FormatDockerfile: ENV lines in the manner of the official Docker
	// python images (see Key): PYTHON_VERSION, PYTHON_SHA256 for the
	// .tar.xz source tarball they build from, and PYTHON_SHA256_<KEY> for
	// every other file.
	FormatDockerfile Format = "dockerfile"
	// FormatJSON: the Set as a JSON document (Schema).
	FormatJSON Format = "json"
	// FormatGitHubOutput: key=value lines for $GITHUB_OUTPUT, the keys of
	// FormatDockerfile in lower case (python_version, python_sha256,
	// python_sha256_tgz, …).
	FormatGitHubOutput Format = "github-output"
)

// Formats lists every format.
var Formats = []Format{FormatSHA256SUMS, FormatDockerfile, FormatJSON, FormatGitHubOutput}

// ParseFormat returns the format named s, or false if there is none.
func ParseFormat(s string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// Marshal writes s in format f. FormatDockerfile and FormatGitHubOutput need
// the set's Version, and fail if two files map to the same key.
func (s *Set) Marshal(f Format) ([]byte, error) {
	var b bytes.Buffer
	switch f {
	case FormatSHA256SUMS:
		for _, p := range s.Pins {
			fmt.Fprintf(&b, "%s  %s\n", p.SHA256, p.Name)
		}
	case FormatJSON:
		out := *s
		out.Schema = Schema
		if out.Pins == nil {
			out.Pins = []Pin{}
		}
		enc := json.NewEncoder(&b)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return nil, err
		}
	case FormatDockerfile, FormatGitHubOutput:
		keys, err := s.keys()
		if err != nil {
			return nil, err
		}
		line := func(key, value string) {
			if f == FormatDockerfile {
				fmt.Fprintf(&b, "ENV %s=%s\n", key, value)
			} else {
				fmt.Fprintf(&b, "%s=%s\n", strings.ToLower(key), value)
			}
		}
		if f == FormatDockerfile {
			fmt.Fprintf(&b, "# Python %s: SHA-256 of files whose signatures pyverify verified\n", s.Version)
		}
		line("PYTHON_VERSION", s.Version)
		for i, p := range s.Pins {
			line(keys[i], p.SHA256)
		}
	default:
		return nil, fmt.Errorf("pins: unknown format %q", f)
	}
	return b.Bytes(), nil
}

// keys returns the variable name of each pin, checking that none repeats.
func (s *Set) keys() ([]string, error) {
	if s.Version == "" {
		return nil, fmt.Errorf("pins: the release version is not known, and these formats name it")
	}
	keys := make([]string, len(s.Pins))
	seen := map[string]string{}
	for i, p := range s.Pins {
		k := Key(s.Version, p.Name)
		if other, dup := seen[k]; dup {
			return nil, fmt.Errorf("pins: %s and %s would both be %s", other, p.Name, k)
		}
		seen[k] = p.Name
		keys[i] = k
	}
	return keys, nil
}

// Key returns the variable that holds the digest of file name of release
// version in FormatDockerfile: PYTHON_SHA256 for the .tar.xz source tarball
// (Python-3.12.4.tar.xz), the file the official Docker python images build
// from; for every other file, PYTHON_SHA256_ and the rest of its name once
// "Python-VERSION" (or the version) is taken out, upper-case, with every run
// of other characters than letters and digits made one underscore:
//
//	Python-3.12.4.tgz            PYTHON_SHA256_TGZ
//	python-3.12.4-amd64.exe      PYTHON_SHA256_AMD64_EXE
//	python-3.12.4-macos11.pkg    PYTHON_SHA256_MACOS11_PKG
//	windows-3.14.1.json          PYTHON_SHA256_WINDOWS_JSON
func Key(version, name string) string {
	lower, v := strings.ToLower(name), strings.ToLower(version)
	if lower == "python-"+v+".tar.xz" {
		return "PYTHON_SHA256"
	}
	rest := lower
	if after, ok := strings.CutPrefix(lower, "python-"+v); ok {
		rest = after
	} else if v != "" {
		rest = strings.Replace(lower, v, "", 1)
	}
	if strings.IndexFunc(rest, isKeyRune) < 0 {
		rest = lower // nothing but the version: keep the whole name
	}
	var b strings.Builder
	b.WriteString("PYTHON_SHA256")
	sep := true // an underscore is due before the next letter or digit
	for _, r := range rest {
		if isKeyRune(r) {
			if sep {
				b.WriteByte('_')
				sep = false
			}
			b.WriteRune(unicode.ToUpper(r))
			continue
		}
		sep = true
	}
	return b.String()
}

func isKeyRune(r rune) bool { return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' }
