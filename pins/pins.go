// Package pins writes and reads pin files: the SHA-256 digests of release
// artifacts whose signatures verified, in the forms builds consume them.
//
// A pin is worth what stands behind it: pyverify writes pins only for
// artifacts that verified under its trust policy in the same run, so a later
// build step that checks a download against a pin checks it against a digest
// a release manager's signature covers, not against the first download
// anyone saw.
//
// Formats (see Format): SHA256SUMS lines that sha256sum -c accepts, ENV lines
// for a Dockerfile in the manner of the official Docker python images, a JSON
// document (Schema), and key=value lines for a CI step's outputs
// ($GITHUB_OUTPUT). Parse reads the SHA256SUMS and JSON forms back.
//
// Read reads the pins other people's files hold (Entry), in those forms and
// in the forms pyenv, the official Docker images and Homebrew pin
// python.org downloads with (InputFormat); package pinproof proves them.
package pins

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/names"
)

// Schema is the value of Set.Schema in the JSON form.
const Schema = "pyverify.pins/v1"

// MaxSize is the largest pin file Parse accepts.
const MaxSize = 1 << 20

// A Set is the pins of one release. Its JSON form is a stable contract (see
// the README).
type Set struct {
	Schema string `json:"schema"`
	// Version is the release, such as "3.12.4"; it may be empty in a set
	// read from SHA256SUMS, which does not record it.
	Version string `json:"version,omitempty"`
	Pins    []Pin  `json:"pins"`
}

// A Pin is the digest of one artifact.
type Pin struct {
	// Name is the artifact's file name, such as "Python-3.12.4.tgz".
	Name string `json:"name"`
	// SHA256 is its SHA-256, lower-case hex.
	SHA256 string `json:"sha256"`
	// URL is where it was downloaded from, if known.
	URL string `json:"url,omitempty"`
	// Signers name whose signatures verified over it, as in the report:
	// "rm@python.org (https://accounts.google.com)" or an OpenPGP user ID
	// and fingerprint.
	Signers []string `json:"signers,omitempty"`
}

// New returns the set of pins of release version, checking that every name
// is a plain file name, every digest a SHA-256, and no name repeated.
// Digests are stored lower-case.
func New(version string, pins []Pin) (*Set, error) {
	s, err := newSet(version, pins)
	if err != nil {
		return nil, fmt.Errorf("pins: %w", err)
	}
	return s, nil
}

// newSet is New, with errors that do not name the package (Parse names
// the file and line instead).
func newSet(version string, pins []Pin) (*Set, error) {
	if version != "" {
		if _, err := names.ParseVersion(version); err != nil {
			return nil, err
		}
	}
	s := &Set{Schema: Schema, Version: version, Pins: make([]Pin, 0, len(pins))}
	seen := make(map[string]bool, len(pins))
	for _, p := range pins {
		if err := checkName(p.Name); err != nil {
			return nil, err
		}
		digest, err := checkDigest(p.SHA256)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Name, err)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("%s is pinned twice", p.Name)
		}
		seen[p.Name] = true
		p.SHA256 = digest
		p.Signers = slices.Clone(p.Signers)
		s.Pins = append(s.Pins, p)
	}
	return s, nil
}

// Lookup returns the pin of the file named name.
func (s *Set) Lookup(name string) (Pin, bool) {
	for _, p := range s.Pins {
		if p.Name == name {
			return p, true
		}
	}
	return Pin{}, false
}

// checkName accepts plain file names (names.CheckFileName): no
// directories, nothing a SHA256SUMS line would have to escape.
func checkName(name string) error {
	var fe *names.FileNameError
	if err := names.CheckFileName(name); !errors.As(err, &fe) {
		return err
	}
	q := safetext.Quote(name)
	switch fe.Problem {
	case names.NameEmpty:
		return errors.New("empty file name")
	case names.NameTooLong:
		return fmt.Errorf("file name %s: longer than 255 bytes", q)
	case names.NameSeparator, names.NameDots, names.NameLeadingDot:
		return fmt.Errorf("%s: want a plain file name, without directories", q)
	case names.NameSpace:
		if strings.TrimSpace(name) != name {
			return fmt.Errorf("%s: a file name that begins or ends with a space", q)
		}
		return fmt.Errorf("%s: a file name with a space other than U+0020", q)
	}
	return fmt.Errorf("%s: a file name with control characters or invalid UTF-8", q)
}

// checkDigest accepts 64 hex digits and returns them lower-case.
func checkDigest(s string) (string, error) {
	if !names.IsHex(s, 64) {
		return "", fmt.Errorf("SHA-256 %s: want 64 hexadecimal digits", safetext.Quote(s))
	}
	return strings.ToLower(s), nil
}
