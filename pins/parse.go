package pins

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/names"
)

// Parse reads a pin file in the JSON form (a document whose schema is
// Schema) or the SHA256SUMS form: lines "HEX  NAME" or "HEX *NAME" as GNU
// sha256sum writes them, or "SHA256 (NAME) = HEX" as BSD tools do; blank
// lines and lines starting with "#" are skipped. Every name must be a plain
// file name. A name listed twice with the same digest counts once; with two
// digests, it is an error. file names the pin file in errors.
func Parse(file string, data []byte) (*Set, error) {
	if len(data) > MaxSize {
		return nil, fmt.Errorf("%s: %d bytes: larger than the %d a pin file may have", file, len(data), MaxSize)
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s: not UTF-8 text", file)
	}
	var s *Set
	var err error
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		s, err = parseJSON(data)
	} else {
		s, err = parseSums(data)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if len(s.Pins) == 0 {
		return nil, fmt.Errorf("%s: no pins", file)
	}
	return s, nil
}

func parseJSON(data []byte) (*Set, error) {
	var raw struct {
		Schema  *string `json:"schema"`
		Version string  `json:"version"`
		Pins    []Pin   `json:"pins"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, fmt.Errorf("%s: want a JSON %s, got %s", te.Field, te.Type, te.Value)
		}
		return nil, fmt.Errorf("invalid JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("invalid JSON: more data after the document")
	}
	switch {
	case raw.Schema == nil:
		return nil, fmt.Errorf("schema: missing (want %q)", Schema)
	case *raw.Schema != Schema:
		return nil, fmt.Errorf("schema: %s is not %q", safetext.Quote(*raw.Schema), Schema)
	case raw.Pins == nil:
		return nil, errors.New("pins: missing")
	}
	if raw.Version != "" {
		if _, err := names.ParseVersion(raw.Version); err != nil {
			return nil, fmt.Errorf("version: %w", err)
		}
	}
	for i, p := range raw.Pins {
		if err := checkName(p.Name); err != nil {
			return nil, fmt.Errorf("pins[%d].name: %w", i, err)
		}
		if _, err := checkDigest(p.SHA256); err != nil {
			return nil, fmt.Errorf("pins[%d].sha256: %w", i, err)
		}
	}
	return collapse(raw.Version, raw.Pins, func(i int) string { return fmt.Sprintf("pins[%d]", i) })
}

func parseSums(data []byte) (*Set, error) {
	var pins []Pin
	var lines []int
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p, err := parseSumLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		pins = append(pins, p)
		lines = append(lines, n)
	}
	return collapse("", pins, func(i int) string { return fmt.Sprintf("line %d", lines[i]) })
}

// parseSumLine reads one GNU or BSD checksum line.
func parseSumLine(line string) (Pin, error) {
	var p Pin
	if rest, ok := strings.CutPrefix(line, "SHA256 ("); ok {
		// BSD: SHA256 (NAME) = HEX
		i := strings.LastIndex(rest, ") = ")
		if i < 0 {
			return p, errors.New(`want "SHA256 (NAME) = HEX"`)
		}
		p.Name, p.SHA256 = rest[:i], rest[i+len(") = "):]
	} else {
		if strings.HasPrefix(line, `\`) {
			return p, errors.New("a file name with escaped characters: pin files hold plain file names")
		}
		hexPart, rest, ok := strings.Cut(line, " ")
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '*') {
			if isHexDigits(hexPart) && len(hexPart) != 64 {
				return p, fmt.Errorf("a %d-digit digest: pins are SHA-256 digests (64 hexadecimal digits)", len(hexPart))
			}
			return p, errors.New(`want "HEX  NAME" (a SHA-256 digest, two spaces, a file name)`)
		}
		p.Name, p.SHA256 = rest[1:], hexPart
	}
	if err := checkName(p.Name); err != nil {
		return p, err
	}
	if len(p.SHA256) != 64 && isHexDigits(p.SHA256) {
		return p, fmt.Errorf("%s: a %d-digit digest: pins are SHA-256 digests (64 hexadecimal digits)", p.Name, len(p.SHA256))
	}
	if _, err := checkDigest(p.SHA256); err != nil {
		return p, fmt.Errorf("%s: %w", p.Name, err)
	}
	return p, nil
}

func isHexDigits(s string) bool { return s != "" && names.IsHex(s, len(s)) }

// collapse builds the set, keeping one pin per name: a name listed again
// with the same digest is dropped; with another digest it is an error that
// where names.
func collapse(version string, pins []Pin, where func(int) string) (*Set, error) {
	var kept []Pin
	first := map[string]int{}
	for i, p := range pins {
		if j, seen := first[p.Name]; seen {
			if !strings.EqualFold(pins[j].SHA256, p.SHA256) {
				return nil, fmt.Errorf("%s: %s is pinned to two digests (%s, %s)", where(i), p.Name,
					strings.ToLower(pins[j].SHA256), strings.ToLower(p.SHA256))
			}
			continue
		}
		first[p.Name] = i
		kept = append(kept, p)
	}
	return newSet(version, kept)
}
