// Package sbom reads the SPDX 2.x SBOMs python.org publishes next to release
// artifacts (FILE.spdx.json) and binds them to verified artifacts.
//
// python.org's SBOMs are not signed. An SBOM is trustworthy only through its
// binding: the SHA-256 its CPython package lists must equal the SHA-256 of an
// artifact that verified under the trust policy. Parse reads the little it
// needs (the SPDX version, and the CPython package's name, checksums and
// description fields) strictly, and ignores everything else, so that
// python.org may add to its documents freely. Verify adds the binding to an
// artifact's report.
package sbom

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/pyverify/pyverify/internal/safetext"
)

// MaxSize is the largest SBOM Parse accepts. python.org's SBOMs list every
// file of the release (the 3.12.13 source SBOM is 2.7 MB); Windows installer
// SBOMs are larger still.
const MaxSize = 32 << 20

// Suffix is what python.org appends to an artifact's name for its SBOM.
const Suffix = ".spdx.json"

// CPythonName is the name of the package an SBOM describes the artifact by.
const CPythonName = "CPython"

// A Document is what pyverify reads from an SPDX document.
type Document struct {
	// SPDXVersion is the document's spdxVersion, such as "SPDX-2.3".
	SPDXVersion string
	// Namespace is the documentNamespace (python.org: the SBOM's URL), or "".
	Namespace string
	// CPython is the package named "CPython": the artifact itself.
	CPython Package
}

// A Package is an SPDX package of the document.
type Package struct {
	// Index is the package's position in the document's packages array.
	Index  int
	SPDXID string
	Name   string
	// Version is versionInfo, such as "3.12.13", or "".
	Version string
	// FileName is packageFileName, such as "Python-3.12.13.tgz", or "".
	FileName string
	// SHA256 is the package's SHA-256 checksum, lower-case hex.
	SHA256 string
}

// An Error reports a malformed SBOM: which file and which field.
type Error struct {
	// File names the SBOM, as given to Parse.
	File string
	// Field is the JSON path of the offending value, such as
	// "packages[5].checksums[0].checksumValue", or "" for the document as
	// a whole (a JSON syntax error, or a document too large).
	Field string
	// Err says what is wrong.
	Err error
}

// Error names the file (and the field), then what is wrong.
func (e *Error) Error() string {
	if e.Field == "" {
		return e.File + ": " + e.Err.Error()
	}
	return e.File + ": " + e.Field + ": " + e.Err.Error()
}

// Unwrap returns e.Err.
func (e *Error) Unwrap() error { return e.Err }

// A MismatchError reports an SBOM that does not describe the artifact: its
// CPython package's SHA-256 is not the artifact's.
type MismatchError struct {
	// File names the SBOM.
	File string
	// Field is the JSON path of the CPython package's checksums.
	Field string
	// Listed is the SHA-256 the SBOM lists; Verified is the artifact's.
	Listed, Verified string
}

// Error says how the SBOM and the artifact differ.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("%s: %s: the CPython package's SHA-256 is %s, but the verified file's is %s",
		e.File, e.Field, e.Listed, e.Verified)
}

// Parse reads an SPDX 2.x JSON document. file names the document in errors.
// It needs a spdxVersion "SPDX-2.x" and exactly one package named "CPython"
// with exactly one SHA-256 checksum (repeats of the same value are allowed);
// when several packages are named "CPython", the one the document DESCRIBES
// is taken. Every other field is ignored.
func Parse(file string, data []byte) (*Document, error) {
	fail := func(field string, format string, v ...any) (*Document, error) {
		return nil, &Error{File: file, Field: field, Err: fmt.Errorf(format, v...)}
	}
	if len(data) > MaxSize {
		return fail("", "%d bytes: larger than the %d an SBOM may have", len(data), MaxSize)
	}
	if !utf8.Valid(data) {
		return fail("", "not UTF-8 text")
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return nil, &Error{File: file, Err: jsonError(data, err)}
	}
	if top == nil {
		return fail("", "want a JSON object, got null")
	}
	doc := &Document{}
	if err := str(top, "spdxVersion", &doc.SPDXVersion, true); err != nil {
		return fail("spdxVersion", "%v", err)
	}
	if !strings.HasPrefix(doc.SPDXVersion, "SPDX-2.") {
		return fail("spdxVersion", "%s: want an SPDX 2.x document (SPDX-2.2, SPDX-2.3)", safetext.Quote(doc.SPDXVersion))
	}
	if err := str(top, "documentNamespace", &doc.Namespace, false); err != nil {
		return fail("documentNamespace", "%v", err)
	}
	pkgs, err := array(top, "packages", "missing: the document lists no packages")
	if err != nil {
		return fail("packages", "%v", err)
	}
	var found []map[string]json.RawMessage
	var index []int
	for i, raw := range pkgs {
		field := fmt.Sprintf("packages[%d]", i)
		p, err := object(raw)
		if err != nil {
			return fail(field, "%v", err)
		}
		var name string
		if err := str(p, "name", &name, false); err != nil {
			return fail(field+".name", "%v", err)
		}
		if name == CPythonName {
			found = append(found, p)
			index = append(index, i)
		}
	}
	switch {
	case len(found) == 0:
		return fail("packages", "no package named %q: the SBOM does not describe a CPython artifact", CPythonName)
	case len(found) > 1:
		i, err := described(top, found, index)
		if err != nil {
			return fail("packages", "%d packages are named %q and %v", len(found), CPythonName, err)
		}
		found, index = found[i:i+1], index[i:i+1]
	}
	pkg, err := readPackage(file, found[0], index[0])
	if err != nil {
		return nil, err
	}
	doc.CPython = *pkg
	return doc, nil
}

// readPackage reads the fields of the CPython package.
func readPackage(file string, p map[string]json.RawMessage, i int) (*Package, error) {
	prefix := fmt.Sprintf("packages[%d]", i)
	fail := func(field string, format string, v ...any) (*Package, error) {
		return nil, &Error{File: file, Field: prefix + field, Err: fmt.Errorf(format, v...)}
	}
	pkg := &Package{Index: i, Name: CPythonName}
	for _, f := range []struct {
		key string
		dst *string
	}{{"SPDXID", &pkg.SPDXID}, {"versionInfo", &pkg.Version}, {"packageFileName", &pkg.FileName}} {
		if err := str(p, f.key, f.dst, false); err != nil {
			return fail("."+f.key, "%v", err)
		}
	}
	sums, err := array(p, "checksums", "missing: the CPython package lists no checksums")
	if err != nil {
		return fail(".checksums", "%v", err)
	}
	for j, raw := range sums {
		field := fmt.Sprintf(".checksums[%d]", j)
		c, err := object(raw)
		if err != nil {
			return fail(field, "%v", err)
		}
		var alg, value string
		if err := str(c, "algorithm", &alg, true); err != nil {
			return fail(field+".algorithm", "%v", err)
		}
		if err := str(c, "checksumValue", &value, true); err != nil {
			return fail(field+".checksumValue", "%v", err)
		}
		if !strings.EqualFold(alg, "SHA256") {
			continue
		}
		b, err := hex.DecodeString(value)
		if err != nil || len(b) != 32 {
			return fail(field+".checksumValue", "%s: want 64 hexadecimal digits", safetext.Quote(value))
		}
		value = strings.ToLower(value)
		if pkg.SHA256 != "" && pkg.SHA256 != value {
			return fail(".checksums", "two different SHA-256 checksums (%s and %s)", pkg.SHA256, value)
		}
		pkg.SHA256 = value
	}
	if pkg.SHA256 == "" {
		return fail(".checksums", "no SHA256 checksum for the CPython package")
	}
	return pkg, nil
}

// described picks, among the packages named CPython, the one the document
// describes (a DESCRIBES relationship from the document, or
// documentDescribes).
func described(top map[string]json.RawMessage, found []map[string]json.RawMessage, index []int) (int, error) {
	var docID string
	if err := str(top, "SPDXID", &docID, false); err != nil || docID == "" {
		docID = "SPDXRef-DOCUMENT"
	}
	ids := map[string]bool{}
	var listed []string
	if raw, ok := top["documentDescribes"]; ok {
		if err := json.Unmarshal(raw, &listed); err != nil {
			return 0, fmt.Errorf("documentDescribes is not an array of strings")
		}
		for _, id := range listed {
			ids[id] = true
		}
	}
	if raw, ok := top["relationships"]; ok {
		var rels []struct {
			From string `json:"spdxElementId"`
			Type string `json:"relationshipType"`
			To   string `json:"relatedSpdxElement"`
		}
		if err := json.Unmarshal(raw, &rels); err != nil {
			return 0, fmt.Errorf("relationships is malformed (%v)", jsonError(raw, err))
		}
		for _, r := range rels {
			if r.From == docID && r.Type == "DESCRIBES" {
				ids[r.To] = true
			}
		}
	}
	pick := -1
	for i, p := range found {
		var id string
		if str(p, "SPDXID", &id, false) != nil || !ids[id] {
			continue
		}
		if pick >= 0 {
			return 0, fmt.Errorf("the document describes more than one (packages[%d] and packages[%d])", index[pick], index[i])
		}
		pick = i
	}
	if pick < 0 {
		return 0, errors.New("the document does not say which one it describes")
	}
	return pick, nil
}

// str reads the string field key of obj into dst. A missing field is an
// error only if required; a field of another type always is.
func str(obj map[string]json.RawMessage, key string, dst *string, required bool) error {
	raw, ok := obj[key]
	if !ok {
		if required {
			return errors.New("missing")
		}
		return nil
	}
	if err := json.Unmarshal(raw, dst); err != nil || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return fmt.Errorf("want a string, got %s", jsonType(raw))
	}
	return nil
}

// array reads obj[key] as a JSON array; missing is the error when key is
// absent.
func array(obj map[string]json.RawMessage, key, missing string) ([]json.RawMessage, error) {
	raw, ok := obj[key]
	if !ok {
		return nil, errors.New(missing)
	}
	var a []json.RawMessage
	if err := json.Unmarshal(raw, &a); err != nil || a == nil {
		return nil, fmt.Errorf("want an array, got %s", jsonType(raw))
	}
	return a, nil
}

// object reads raw as a JSON object.
func object(raw json.RawMessage) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, fmt.Errorf("want an object, got %s", jsonType(raw))
	}
	return m, nil
}

// jsonType names the JSON type of a raw value.
func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// jsonError words a JSON decoding error with the line and column it
// happened at.
func jsonError(data []byte, err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && len(bytes.TrimSpace(data)) > 0 && bytes.TrimSpace(data)[0] == '<':
		return errors.New("not JSON: an HTML or XML document, not an SPDX JSON SBOM")
	case errors.As(err, &se):
		line, col := position(data, se.Offset)
		return fmt.Errorf("invalid JSON at line %d, column %d: %v", line, col, se)
	case errors.As(err, &te):
		return fmt.Errorf("want a JSON object, got %s", te.Value)
	}
	return fmt.Errorf("invalid JSON: %v", err)
}

// position turns a byte offset into a 1-based line and column.
func position(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	col = int(off) - (bytes.LastIndexByte(before, '\n') + 1)
	return line, max(col, 1)
}
