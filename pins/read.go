package pins

// Reading other people's pin files: the digests that pyenv, the official
// Docker images, Homebrew and CI files pin for python.org downloads. One
// file per format (read_*.go); this file has what they share.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/names"
)

// An InputFormat is a kind of file that pins digests, as Read reads it.
type InputFormat string

// The formats Read understands.
const (
	// InputSHA256SUMS: "HEX  NAME" lines (GNU) or "SHA256 (NAME) = HEX"
	// (BSD), as Parse reads them.
	InputSHA256SUMS InputFormat = "sha256sums"
	// InputJSON: pyverify's own pins JSON (Schema).
	InputJSON InputFormat = "json"
	// InputPyenv: a pyenv python-build definition file, whose
	// install_package lines pin "URL#SHA256".
	InputPyenv InputFormat = "pyenv"
	// InputDockerVersions: docker-library/python's versions.json
	// (checksums.source.sha256 for Python-X.tar.xz, checksums.windows.sha256
	// for python-X-amd64.exe).
	InputDockerVersions InputFormat = "docker-versions"
	// InputHomebrew: a Homebrew formula: url "…" followed by sha256 "…",
	// resources included.
	InputHomebrew InputFormat = "homebrew"
	// InputDockerfile: ENV (or ARG) PYTHON_VERSION with PYTHON_SHA256 and
	// PYTHON_SHA256_<KEY> (see Key), as the official images and
	// 'pyverify pins --format dockerfile' write them.
	InputDockerfile InputFormat = "dockerfile"
	// InputGitHubOutput: python_version=… and python_sha256…=… lines, as
	// 'pyverify pins --format github-output' writes them.
	InputGitHubOutput InputFormat = "github-output"
)

// InputFormats lists every format Read understands.
var InputFormats = []InputFormat{InputSHA256SUMS, InputJSON, InputPyenv, InputDockerVersions,
	InputHomebrew, InputDockerfile, InputGitHubOutput}

// ParseInputFormat returns the input format named s, or false.
func ParseInputFormat(s string) (InputFormat, bool) {
	for _, f := range InputFormats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// ErrNoPins is matched (with errors.Is) by the error Read returns for a
// file in which it finds no pin at all.
var ErrNoPins = errors.New("no pins")

// An Entry is one digest a file pins.
type Entry struct {
	// File is the pin file it was read from, as the caller named it.
	File string `json:"file"`
	// Line is the 1-based line of the pin in File (for JSON formats, the
	// line where the digest is written); 0 when not known.
	Line int `json:"line,omitempty"`
	// Name is the pinned file's name: a python.org release file name
	// (Python-3.13.5.tar.xz) when Ours, else what the file calls it (a
	// file name, a URL's last element or a variable).
	Name string `json:"name"`
	// SHA256 is the pinned digest, lower-case hex.
	SHA256 string `json:"sha256"`
	// URL is the URL the file downloads the pinned file from, if it says.
	URL string `json:"url,omitempty"`
	// Version is the CPython release the file belongs to, for Ours
	// entries.
	Version string `json:"version,omitempty"`
	// Ours reports whether the pin is of a CPython release file from
	// python.org, which pyverify can prove. Other entries (OpenSSL,
	// readline, pip, PyPy…) are listed and not checked.
	Ours bool `json:"ours"`
}

// Where says where the entry was read, for messages: "FILE:LINE".
func (e Entry) Where() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d", e.File, e.Line)
	}
	return e.File
}

// A ReadError says which line of a pin file is wrong and why.
type ReadError struct {
	File string
	Line int // 0 when the error is about the whole file
	Err  error
}

func (e *ReadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

func (e *ReadError) Unwrap() error { return e.Err }

// lineErr is the error of one line, before the file is known.
type lineErr struct {
	line int
	err  error
}

func (e *lineErr) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }

func errAt(line int, format string, a ...any) error {
	return &lineErr{line: line, err: fmt.Errorf(format, a...)}
}

// Read reads the pins of a file in format f, or in the format Detect finds
// when f is empty, and returns them in the file's order with the format
// read. file names the file in entries and errors. Parsing is strict: a
// line of a format's pin syntax that cannot be read is an error naming its
// line; lines the format has for other purposes are skipped.
func Read(file string, data []byte, f InputFormat) ([]Entry, InputFormat, error) {
	fail := func(err error) ([]Entry, InputFormat, error) {
		var le *lineErr
		if errors.As(err, &le) {
			return nil, f, &ReadError{File: file, Line: le.line, Err: le.err}
		}
		return nil, f, &ReadError{File: file, Err: err}
	}
	if len(data) > MaxSize {
		return fail(fmt.Errorf("%d bytes: larger than the %d a pin file may have", len(data), MaxSize))
	}
	if !utf8.Valid(data) {
		return fail(errors.New("not UTF-8 text"))
	}
	if f == "" {
		f = Detect(data)
	}
	var es []Entry
	var err error
	switch f {
	case InputSHA256SUMS, InputJSON:
		es, err = readOwn(data, f)
	case InputPyenv:
		es, err = readPyenv(data)
	case InputDockerVersions:
		es, err = readDockerVersions(data)
	case InputHomebrew:
		es, err = readHomebrew(data)
	case InputDockerfile:
		es, err = readDockerfile(data)
	case InputGitHubOutput:
		es, err = readGitHubOutput(data)
	default:
		return fail(fmt.Errorf("unknown pin format %s", safetext.Quote(string(f))))
	}
	if err != nil {
		return fail(err)
	}
	if len(es) == 0 {
		return fail(fmt.Errorf("%w (read as %s)", ErrNoPins, f))
	}
	for i := range es {
		es[i].File = file
	}
	return es, f, nil
}

// Detect tells the format of a pin file from its content: JSON with
// pyverify's schema or docker-library's shape, pyenv's install_package,
// a Homebrew formula's class or url/sha256 lines, Dockerfile instructions,
// key=value outputs, and SHA256SUMS lines otherwise.
func Detect(data []byte) InputFormat {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '{' {
		var probe struct {
			Schema *string `json:"schema"`
		}
		if json.Unmarshal(t, &probe) == nil && probe.Schema == nil {
			return InputDockerVersions
		}
		return InputJSON
	}
	var brewURL, brewSHA, docker, output bool
	for _, line := range strings.Split(string(data), "\n") {
		l := strings.TrimSpace(line)
		w, _, _ := strings.Cut(l, " ")
		switch {
		case w == "install_package" || w == "install_nightly_package" || w == "install_git" || w == "install_zip" ||
			w == "install_hg" || strings.HasPrefix(w, "prefer_openssl"):
			// python-build's commands (a -dev definition pins nothing).
			return InputPyenv
		case strings.HasPrefix(l, "class ") && strings.Contains(l, "< Formula"):
			return InputHomebrew
		case w == "url" && strings.HasPrefix(l, `url "`):
			brewURL = true
		case w == "sha256" && strings.HasPrefix(l, `sha256 "`):
			brewSHA = true
		case (w == "ENV" || w == "FROM" || w == "ARG" || w == "RUN") && !strings.HasPrefix(l, "#"):
			docker = true
		case strings.HasPrefix(strings.ToLower(l), "python_version=") || strings.HasPrefix(strings.ToLower(l), "python_sha256"):
			output = true
		}
	}
	switch {
	case brewURL && brewSHA:
		return InputHomebrew
	case docker:
		return InputDockerfile
	case output:
		return InputGitHubOutput
	}
	return InputSHA256SUMS
}

// readOwn reads the formats Parse reads, keeping line numbers.
func readOwn(data []byte, f InputFormat) ([]Entry, error) {
	t := bytes.TrimSpace(data)
	isJSON := len(t) > 0 && t[0] == '{'
	if isJSON != (f == InputJSON) {
		if f == InputJSON {
			return nil, errors.New("not a JSON document")
		}
		return nil, errors.New("a JSON document, not SHA256SUMS lines (give --format json)")
	}
	var s *Set
	var err error
	if isJSON {
		s, err = parseJSON(data)
	} else {
		s, err = parseSums(data)
	}
	if err != nil {
		return nil, lineErrFromText(err)
	}
	es := make([]Entry, 0, len(s.Pins))
	for _, p := range s.Pins {
		e := Entry{Name: p.Name, SHA256: p.SHA256, URL: p.URL, Line: lineOf(data, p.SHA256)}
		if p.URL != "" {
			if err := checkPythonURL(p.URL, p.Name); err != nil {
				return nil, errAt(e.Line, "%s: %v", safetext.Word(p.Name), err)
			}
		}
		classify(&e)
		if s.Version != "" && e.Ours && e.Version != s.Version {
			return nil, errAt(e.Line, "%s: not a file of Python %s, the release the file pins", safetext.Word(p.Name), s.Version)
		}
		es = append(es, e)
	}
	return es, nil
}

// lineErrFromText turns the "line N: …" errors of parseSums into lineErrs.
func lineErrFromText(err error) error {
	var n int
	msg := err.Error()
	if _, serr := fmt.Sscanf(msg, "line %d:", &n); serr == nil && n > 0 {
		if _, rest, ok := strings.Cut(msg, ": "); ok {
			return &lineErr{line: n, err: errors.New(rest)}
		}
	}
	return err
}

// lineOf returns the line of the first occurrence of s (case-insensitive
// for hex) in data, or 0.
func lineOf(data []byte, s string) int {
	i := bytes.Index(bytes.ToLower(data), []byte(strings.ToLower(s)))
	if i < 0 || s == "" {
		return 0
	}
	return bytes.Count(data[:i], []byte("\n")) + 1
}

// classify marks an entry Ours when its name is a CPython release file
// name (one that carries its release's version, as manifest reads it, of
// an artifact class) and its URL, if any, is python.org's folder of that
// release.
func classify(e *Entry) {
	e.Ours = false
	if e.URL != "" && !isPythonOrgFTP(e.URL) {
		return
	}
	v, err := names.VersionFromFileName(e.Name)
	if err != nil || !isReleaseName(e.Name) {
		return
	}
	if c, ok := names.ReleaseFile(e.Name, v); !ok || c == names.ClassOther {
		// Not a release artifact: another project's file, or a
		// signature or other file python.org keeps beside them.
		return
	}
	e.Ours, e.Version = true, v.String()
}

// isReleaseName reports whether name is shaped like a CPython release file
// (Python-X…, python-X…, windows-X.json), not another project's.
func isReleaseName(name string) bool {
	l := strings.ToLower(name)
	return strings.HasPrefix(l, "python-") || strings.HasPrefix(l, "windows-") && strings.HasSuffix(l, ".json")
}

// pythonOrgHosts serve python.org's release files.
var pythonOrgHosts = map[string]bool{"www.python.org": true, "python.org": true}

// isPythonOrgFTP reports whether u is a python.org release download URL:
// http(s)://www.python.org/ftp/python/….
func isPythonOrgFTP(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "https" || p.Scheme == "http") && pythonOrgHosts[strings.ToLower(p.Host)] &&
		strings.HasPrefix(p.Path, "/ftp/python/")
}

// isPythonReleaseURL reports whether u downloads a CPython release file
// from python.org (not a folder, such as a livecheck's).
func isPythonReleaseURL(u string) bool {
	if !isPythonOrgFTP(u) {
		return false
	}
	name := u[strings.LastIndex(u, "/")+1:]
	_, err := manifest.VersionFromFileName(name)
	return err == nil && isReleaseName(name)
}

// checkPythonURL checks that a python.org URL is where python.org keeps
// the file it names: /ftp/python/{FTPDir}/{name}. Other URLs are not
// checked (they are not ours).
func checkPythonURL(u, name string) error {
	if !isPythonOrgFTP(u) {
		return nil
	}
	p, _ := url.Parse(u)
	rest := strings.TrimPrefix(p.Path, "/ftp/python/")
	dir, file, ok := strings.Cut(rest, "/")
	if !ok || strings.Contains(file, "/") {
		return fmt.Errorf("URL %s: want https://www.python.org/ftp/python/X.Y.Z/FILE", safetext.URL(u))
	}
	if file != name {
		return fmt.Errorf("URL %s names %s, not %s", safetext.URL(u), safetext.Word(file), safetext.Word(name))
	}
	v, err := manifest.VersionFromFileName(file)
	if err != nil {
		return nil // not a release file name: classify leaves it out
	}
	if dir != v.FTPDir() {
		return fmt.Errorf("URL %s: python.org keeps Python %s files in /ftp/python/%s/, not /ftp/python/%s/",
			safetext.URL(u), v, v.FTPDir(), safetext.Word(dir))
	}
	return nil
}

// entryFromURL makes the entry of a download URL and its digest, checking
// a python.org URL's folder.
func entryFromURL(line int, rawURL, digest string) (Entry, error) {
	e := Entry{Line: line, URL: rawURL}
	d, err := checkDigest(digest)
	if err != nil {
		return e, errAt(line, "%v", err)
	}
	e.SHA256 = d
	p, err := url.Parse(rawURL)
	if err != nil || p.Host == "" {
		return e, errAt(line, "URL %s: not an absolute URL", safetext.URL(rawURL))
	}
	e.Name = p.Path[strings.LastIndex(p.Path, "/")+1:]
	if e.Name == "" {
		e.Name = rawURL
	}
	if err := checkPythonURL(rawURL, e.Name); err != nil {
		return e, errAt(line, "%v", err)
	}
	classify(&e)
	return e, nil
}
