package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// manifestSource is the DataError source for saved manifests.
const manifestSource = "manifest"

// ReadManifest reads a saved manifest (JSON, as [Manifest.WriteJSON] writes
// it) from r and validates it (see [Manifest.Validate]).
//
// Reading is strict: the input must be valid UTF-8, the schema must be [Schema] (checked first, so a
// manifest of another schema gets a clear error), unknown fields and
// trailing data are rejected, and the input is capped at [MaxManifestSize]
// bytes. Bad data gives a [*DataError]; a failing reader gives its own
// error. Artifacts are numbered from 1 in errors ("artifact 2 (…)").
func ReadManifest(r io.Reader) (*Manifest, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxManifestSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", manifestSource, err)
	}
	return parseManifest(data)
}

func parseManifest(data []byte) (*Manifest, error) {
	fail := func(field string, err error) error {
		return &DataError{Source: manifestSource, Field: field, Err: err}
	}
	if len(data) > MaxManifestSize {
		return nil, fail("", fmt.Errorf("%w: more than %d bytes", ErrTooLarge, MaxManifestSize))
	}
	if firstToken(data) != '{' {
		return nil, fail("json", errors.New("not a JSON object"))
	}
	if !utf8.Valid(data) {
		return nil, fail("json", errors.New("not valid UTF-8"))
	}
	var head struct {
		Schema json.RawMessage `json:"schema"`
	}
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&head); err != nil {
		return nil, fail("json", jsonError(err))
	}
	var schema string
	if head.Schema == nil || json.Unmarshal(head.Schema, &schema) != nil || schema != Schema {
		return nil, fail(fieldSchema, fmt.Errorf("not a %s manifest", Schema))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		if msg := err.Error(); len(msg) > 19 && msg[:19] == "json: unknown field" {
			return nil, fail("json", errors.New("unknown field "+quoteIfNeeded(msg[20:])))
		}
		return nil, fail("json", jsonError(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fail("json", errors.New("data after the manifest"))
	}
	if err := m.validate(manifestSource, "artifact"); err != nil {
		return nil, err
	}
	return &m, nil
}

// WriteJSON validates m and writes it to w as indented JSON followed by a
// newline, in the form [ReadManifest] reads.
func (m *Manifest) WriteJSON(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
