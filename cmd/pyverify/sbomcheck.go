package main

// The --sbom, --spdx and --pins flags of 'pyverify check'.

import (
	"fmt"
	"path/filepath"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/pins"
	"github.com/pyverify/pyverify/sbom"
	"github.com/pyverify/pyverify/verify"
)

// readPins reads --pins. With no FILE arguments, the files to check are the
// pinned names, in the current directory (as with sha256sum -c).
func (f *checkFlags) readPins(cmd string, files []string) ([]string, error) {
	if f.pinsFile == "" {
		return files, nil
	}
	if f.sha256 != "" {
		return nil, usagef(cmd, "--pins and --sha256 both give the expected SHA-256: use one")
	}
	data, err := readCapped(f.pinsFile, pins.MaxSize)
	if err != nil {
		return nil, inputError(fmt.Errorf("--pins: %w", err))
	}
	if f.pins, err = pins.Parse(filepath.Base(f.pinsFile), data); err != nil {
		return nil, inputError(err)
	}
	if len(files) == 0 {
		for _, p := range f.pins.Pins {
			files = append(files, p.Name)
		}
	}
	return files, nil
}

// pinnedDigest makes the pinned SHA-256 of name the expected one. A file
// the pin file does not list is an error: it has nothing to be checked
// against. The pin adds an expectation; signatures are checked as ever.
func (f *checkFlags) pinnedDigest(cmd, name string, t *verify.Target) error {
	if f.pins == nil {
		return nil
	}
	p, ok := f.pins.Lookup(name)
	if !ok {
		return usagef(cmd, "%s: not in the pin file %s", sanitize(name), sanitize(f.pinsFile))
	}
	if t.SHA256 != "" && t.SHA256 != p.SHA256 {
		return inputError(fmt.Errorf("%s: the pin file and the manifest give different SHA-256 digests (%s, %s)",
			sanitize(name), p.SHA256, sanitize(t.SHA256)))
	}
	t.SHA256 = p.SHA256
	return nil
}

// A localSBOM is the SBOM of a local file, and the name reports give it.
type localSBOM struct {
	name string
	sc   verify.Sidecar
}

// findSBOM reads --spdx, or FILE.spdx.json next to file. It is listed when
// the manifest lists an SBOM for the file, or --spdx names one.
func findSBOM(f *checkFlags, file string, m *manifest.Manifest) (localSBOM, error) {
	name := filepath.Base(file)
	if file == "" {
		name = f.name // the digest form
	}
	path := f.spdx
	if path == "" {
		path = file + sbom.Suffix
	}
	s := localSBOM{name: filepath.Base(path)}
	s.sc.Listed = f.spdx != ""
	if m != nil {
		for _, a := range m.Artifacts {
			if a.Name == name && a.SBOMURL != "" {
				s.sc.Listed = true
			}
		}
	}
	if f.spdx == "" && !exists(path) {
		return s, nil
	}
	data, err := readCapped(path, sbom.MaxSize)
	if err != nil {
		return s, inputError(err)
	}
	s.sc.Data = data
	return s, nil
}
