package pins

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
)

// readDockerfile reads the pins of a Dockerfile: ENV (or ARG)
// PYTHON_VERSION, then PYTHON_SHA256 and PYTHON_SHA256_<KEY> (see Key),
// in either form ENV takes ("ENV K V" and "ENV K=V K2=V2"), continued
// lines included:
//
//	ENV PYTHON_VERSION 3.13.5
//	ENV PYTHON_SHA256 93e583f2…
//
// Each digest belongs to the PYTHON_VERSION set before it (a file with
// several stages may set several). PYTHON_SHA256 is the .tar.xz source
// tarball, except in a Dockerfile that downloads the Windows installer
// (python-X-amd64.exe) and no tarball, as docker-library's Windows images
// do. Other variables ending in _SHA256 (PYTHON_GET_PIP_SHA256) pin other
// files and are listed as not ours.
func readDockerfile(data []byte) ([]Entry, error) {
	text := string(data)
	windows := strings.Contains(text, "-amd64.exe") && !strings.Contains(text, ".tar.xz")
	var kvs []keyValue
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		n := i + 1
		line := strings.TrimSuffix(lines[i], "\r")
		for strings.HasSuffix(strings.TrimRight(line, " \t"), `\`) && i+1 < len(lines) {
			i++
			line = strings.TrimSuffix(strings.TrimRight(line, " \t"), `\`) + " " + strings.TrimSuffix(lines[i], "\r")
		}
		t := strings.TrimSpace(line)
		instr, rest, _ := strings.Cut(t, " ")
		instr = strings.ToUpper(instr)
		if instr != "ENV" && instr != "ARG" {
			continue
		}
		rest = strings.TrimSpace(rest)
		if rest == "" {
			return nil, errAt(n, "%s with nothing after it", instr)
		}
		pairs, err := envPairs(instr, rest)
		if err != nil {
			return nil, errAt(n, "%v", err)
		}
		for _, p := range pairs {
			p.line = n
			kvs = append(kvs, p)
		}
	}
	return pinsOfVariables(kvs, windows, false)
}

// A keyValue is one variable a file sets.
type keyValue struct {
	line       int
	key, value string
}

// envPairs reads what follows ENV or ARG: "KEY VALUE" (ENV's old form),
// or KEY=VALUE pairs, values optionally double-quoted. ARG KEY without a
// value sets nothing.
func envPairs(instr, rest string) ([]keyValue, error) {
	first, after, _ := strings.Cut(rest, " ")
	if !strings.Contains(first, "=") {
		if instr == "ARG" {
			if strings.TrimSpace(after) != "" {
				return nil, fmt.Errorf("ARG %s: want ARG NAME or ARG NAME=VALUE", safetext.Word(first))
			}
			return nil, nil
		}
		v := strings.TrimSpace(after)
		if v == "" {
			return nil, fmt.Errorf("ENV %s: no value", safetext.Word(first))
		}
		return []keyValue{{key: first, value: unquote(v)}}, nil
	}
	words, err := shellWords(rest)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", instr, err)
	}
	var out []keyValue
	for _, w := range words {
		k, v, ok := strings.Cut(w, "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("%s: %s is not KEY=VALUE", instr, safetext.Quote(w))
		}
		out = append(out, keyValue{key: k, value: v})
	}
	return out, nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// pinsOfVariables turns PYTHON_VERSION and PYTHON_SHA256… variables into
// entries. lower reads the keys lower-case (GitHub outputs).
func pinsOfVariables(kvs []keyValue, windows, lower bool) ([]Entry, error) {
	var es []Entry
	var version manifest.Version
	versionLine := 0
	for _, kv := range kvs {
		key := strings.ToUpper(kv.key)
		if lower && kv.key != strings.ToLower(kv.key) {
			return nil, errAt(kv.line, "%s: output names are lower-case", safetext.Word(kv.key))
		}
		switch {
		case key == "PYTHON_VERSION":
			v, err := manifest.ParseVersion(kv.value)
			if err != nil {
				return nil, errAt(kv.line, "%s: %v", kv.key, err)
			}
			version, versionLine = v, kv.line
		case key == "PYTHON_SHA256" || strings.HasPrefix(key, "PYTHON_SHA256_"):
			if versionLine == 0 {
				return nil, errAt(kv.line, "%s comes before any PYTHON_VERSION: the release it pins is not known", kv.key)
			}
			d, err := checkDigest(kv.value)
			if err != nil {
				return nil, errAt(kv.line, "%s: %v", kv.key, err)
			}
			name, err := nameOfKey(version, key, windows)
			if err != nil {
				return nil, errAt(kv.line, "%s: %v", kv.key, err)
			}
			e := Entry{Line: kv.line, Name: name, SHA256: d}
			classify(&e)
			es = append(es, e)
		case strings.HasSuffix(key, "_SHA256"):
			d, err := checkDigest(kv.value)
			if err != nil {
				return nil, errAt(kv.line, "%s: %v", kv.key, err)
			}
			es = append(es, Entry{Line: kv.line, Name: kv.key, SHA256: d})
		}
	}
	return es, nil
}

// releaseFileShapes are python.org's release file names, with V for the
// version, that a PYTHON_SHA256_<KEY> variable can stand for.
var releaseFileShapes = []string{
	"Python-V.tgz", "Python-V.tar.xz", "Python-V.tar.bz2",
	"python-V.exe", "python-V-amd64.exe", "python-V-arm64.exe",
	"python-V-embed-amd64.zip", "python-V-embed-win32.zip", "python-V-embed-arm64.zip",
	"python-V.msi", "python-V.amd64.msi", "python-V-amd64.msi",
	"python-V-macos11.pkg", "python-V-macosx10.9.pkg", "python-V-macosx10.6.pkg", "python-V-macosx10.5.pkg",
	"python-V-macosx10.3.dmg", "python-V-macosx.dmg",
	"windows-V.json",
	"python-V-aarch64-linux-android.tar.gz", "python-V-x86_64-linux-android.tar.gz",
	"python-V-iOS-XCframework.tar.gz",
	"python-V-docs-html.tar.bz2", "python-V-docs-html.zip", "python-V-docs-pdf-a4.tar.bz2",
	"python-V-docs-pdf-letter.tar.bz2", "python-V-docs-text.tar.bz2", "python-V-docs-texinfo.tar.bz2",
}

// nameOfKey returns the file a PYTHON_SHA256… variable of release v
// stands for: the inverse of Key over python.org's file names.
func nameOfKey(v manifest.Version, key string, windows bool) (string, error) {
	vs := v.String()
	if key == "PYTHON_SHA256" {
		if windows {
			return "python-" + vs + "-amd64.exe", nil
		}
		return "Python-" + vs + ".tar.xz", nil
	}
	for _, shape := range releaseFileShapes {
		name := strings.Replace(shape, "V", vs, 1)
		if Key(vs, name) == key {
			return name, nil
		}
	}
	return "", errors.New("no python.org file name of Python " + vs + " has this key")
}
