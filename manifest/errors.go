package manifest

import (
	"errors"
	"strconv"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/names"
)

// A DataError reports release data (a release page, API JSON or a saved
// manifest) that is malformed, inconsistent or unsafe. Callers can detect it
// with errors.As to tell bad data from I/O failures.
type DataError struct {
	// Source names where the data came from: a URL or a file name.
	Source string
	// Row locates the artifact, such as `row 3 (Python-3.14.0a2.tgz)`;
	// empty when the error concerns the whole document.
	Row string
	// Field is the manifest field at fault, named as in the manifest's JSON
	// ("sha256", "sigstore_url"), or a part of the document such as
	// "table", "header", "version" or "json". It may be empty.
	Field string
	// Err says what is wrong.
	Err error
}

// Error names the source, the row and the field, then what is wrong.
func (e *DataError) Error() string {
	var b strings.Builder
	for _, s := range []string{e.Source, e.Row, e.Field} {
		if s != "" {
			b.WriteString(s)
			b.WriteString(": ")
		}
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("bad release data")
	}
	return b.String()
}

// Unwrap returns e.Err.
func (e *DataError) Unwrap() error { return e.Err }

// ErrTooLarge is wrapped by the error returned when a document or a list
// exceeds this package's size caps.
var ErrTooLarge = errors.New("too large")

// Size caps for untrusted input.
const (
	// MaxPageSize caps the size of a release page.
	MaxPageSize = 8 << 20
	// MaxAPISize caps the size of one API response.
	MaxAPISize = 8 << 20
	// MaxManifestSize caps the size of a saved manifest.
	MaxManifestSize = 16 << 20
	// MaxArtifacts caps the number of artifacts (table rows, API objects)
	// in one release.
	MaxArtifacts = 1000
	// MaxArtifactSize is the largest size in bytes accepted for an artifact.
	MaxArtifactSize = 16 << 30
)

// Limits on individual fields.
const (
	maxURLLen  = 2048
	maxTextLen = 1024
)

// quoteIfNeeded and quote put untrusted text into error messages: see
// internal/safetext, which every package uses.
func quoteIfNeeded(s string) string { return safetext.Word(s) }

func quote(s string) string { return safetext.Quote(s) }

// rowName formats a locator for the n-th (1-based) item of kind ("row",
// "artifact", "object") named name.
func rowName(kind string, n int, name string) string {
	s := kind + " " + strconv.Itoa(n)
	switch {
	case name == "":
	case names.CheckFileName(name) != nil:
		s += " (" + quote(name) + ")"
	default:
		s += " (" + quoteIfNeeded(name) + ")"
	}
	return s
}
