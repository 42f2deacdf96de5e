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
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
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
	if version != "" {
		if _, err := manifest.ParseVersion(version); err != nil {
			return nil, fmt.Errorf("pins: %w", err)
		}
	}
	s := &Set{Schema: Schema, Version: version, Pins: make([]Pin, 0, len(pins))}
	seen := make(map[string]bool, len(pins))
	for _, p := range pins {
		if err := checkName(p.Name); err != nil {
			return nil, fmt.Errorf("pins: %w", err)
		}
		digest, err := checkDigest(p.SHA256)
		if err != nil {
			return nil, fmt.Errorf("pins: %s: %w", p.Name, err)
		}
		if seen[p.Name] {
			return nil, fmt.Errorf("pins: %s is pinned twice", p.Name)
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

// checkName accepts plain file names: no directories, nothing a SHA256SUMS
// line would have to escape.
func checkName(name string) error {
	switch {
	case name == "":
		return errors.New("empty file name")
	case len(name) > 255:
		return fmt.Errorf("file name %s: longer than 255 bytes", safetext.Quote(name))
	case name == "." || name == ".." || strings.ContainsAny(name, `/\`):
		return fmt.Errorf("%s: want a plain file name, without directories", safetext.Quote(name))
	case strings.IndexFunc(name, func(r rune) bool { return !unicode.IsGraphic(r) || r == unicode.ReplacementChar }) >= 0:
		return fmt.Errorf("%s: a file name with control characters or invalid UTF-8", safetext.Quote(name))
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("%s: a file name that begins or ends with a space", safetext.Quote(name))
	}
	return nil
}

// checkDigest accepts 64 hex digits and returns them lower-case.
func checkDigest(s string) (string, error) {
	if b, err := hex.DecodeString(s); err != nil || len(b) != 32 {
		return "", fmt.Errorf("SHA-256 %s: want 64 hexadecimal digits", safetext.Quote(s))
	}
	return strings.ToLower(s), nil
}
