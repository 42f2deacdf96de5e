package pins

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
)

// dockerChecksumFiles maps the keys of docker-library/python's checksums
// to the python.org file each stands for (see its Dockerfile-linux.template
// and Dockerfile-windows.template): "source" is the .tar.xz the Linux
// images build from, "windows" the amd64 installer the Windows images run.
var dockerChecksumFiles = map[string]func(v string) string{
	"source":  func(v string) string { return "Python-" + v + ".tar.xz" },
	"windows": func(v string) string { return "python-" + v + "-amd64.exe" },
}

// readDockerVersions reads docker-library/python's versions.json:
//
//	{"3.14": {"version": "3.14.0", "checksums": {"source": {"sha256": "…"}, "windows": {"sha256": "…"}},
//	          "pip": {"url": "…", "sha256": "…"}, …}, …}
//
// Each series' checksums are pins of python.org files; its pip (get-pip.py
// from GitHub) is another project's. A checksum under a key this reader
// does not know is an error: it cannot tell which file it pins.
func readDockerVersions(data []byte) ([]Entry, error) {
	type sum struct {
		SHA256 *string `json:"sha256"`
	}
	type series struct {
		Version   string         `json:"version"`
		Checksums map[string]sum `json:"checksums"`
		Pip       *struct {
			URL    string `json:"url"`
			SHA256 string `json:"sha256"`
		} `json:"pip"`
	}
	var doc map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, jsonErr(data, dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: more data after the document")
	}
	keys := make([]string, 0, len(doc))
	for k := range doc {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var es []Entry
	for _, k := range keys {
		var s series
		if err := json.Unmarshal(doc[k], &s); err != nil {
			return nil, fmt.Errorf("%s: %v", safetext.Quote(k), jsonTypeText(err))
		}
		if s.Version == "" {
			return nil, fmt.Errorf("%s.version: missing", safetext.Quote(k))
		}
		v, err := manifest.ParseVersion(s.Version)
		if err != nil {
			return nil, errAt(lineOf(data, `"`+s.Version+`"`), "%s.version: %v", safetext.Quote(k), err)
		}
		kinds := make([]string, 0, len(s.Checksums))
		for kind := range s.Checksums {
			kinds = append(kinds, kind)
		}
		slices.Sort(kinds)
		for _, kind := range kinds {
			c := s.Checksums[kind]
			where := fmt.Sprintf("%s.checksums.%s.sha256", safetext.Quote(k), safetext.Word(kind))
			if c.SHA256 == nil {
				return nil, fmt.Errorf("%s: missing", where)
			}
			line := lineOf(data, *c.SHA256)
			name, ok := dockerChecksumFiles[kind]
			if !ok {
				return nil, errAt(line, "%s: pyverify does not know which python.org file the key %s stands for", where, safetext.Quote(kind))
			}
			d, err := checkDigest(*c.SHA256)
			if err != nil {
				return nil, errAt(line, "%s: %v", where, err)
			}
			e := Entry{Line: line, Name: name(v.String()), SHA256: d}
			e.URL = "https://www.python.org/ftp/python/" + v.FTPDir() + "/" + e.Name
			classify(&e)
			es = append(es, e)
		}
		if s.Pip != nil && s.Pip.SHA256 != "" {
			line := lineOf(data, s.Pip.SHA256)
			e, err := entryFromURL(line, s.Pip.URL, s.Pip.SHA256)
			if err != nil {
				var le *lineErr
				if errors.As(err, &le) {
					return nil, errAt(line, "%s.pip: %v", safetext.Quote(k), le.err)
				}
				return nil, err
			}
			es = append(es, e)
		}
	}
	return es, nil
}

// jsonErr words a decoding error with the line it is on.
func jsonErr(data []byte, dec *json.Decoder, err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := min(int(se.Offset), len(data))
		return errAt(bytes.Count(data[:off], []byte("\n"))+1, "invalid JSON: %v", err)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return errors.New("invalid JSON: the document ends too early")
	}
	off := min(int(dec.InputOffset()), len(data))
	return errAt(bytes.Count(data[:off], []byte("\n"))+1, "%s", jsonTypeText(err))
}

func jsonTypeText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field != "" {
			return fmt.Sprintf("%s: want a JSON %s, got %s", strings.ReplaceAll(te.Field, ".", "."), te.Type, te.Value)
		}
		return fmt.Sprintf("want a JSON %s, got %s", te.Type, te.Value)
	}
	return "invalid JSON: " + err.Error()
}
