package manifest

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pyverify/pyverify/names"
)

// Manifest and artifact field names as they appear in the JSON form; a
// DataError's Field uses them.
const (
	fieldSchema      = "schema"
	fieldVersion     = "version"
	fieldSource      = "source"
	fieldArtifacts   = "artifacts"
	fieldName        = "name"
	fieldURL         = "url"
	fieldLabel       = "label"
	fieldOS          = "os"
	fieldDescription = "description"
	fieldClass       = "class"
	fieldSize        = "size"
	fieldSizeText    = "size_text"
	fieldMD5         = "md5"
	fieldSHA256      = "sha256"
	fieldGPG         = "gpg_url"
	fieldSigstore    = "sigstore_url"
	fieldSigCert     = "sigstore_cert_url"
	fieldSigSig      = "sigstore_sig_url"
	fieldSBOM        = "sbom_url"
)

// Validate checks that m is well-formed release data: the schema is
// [Schema], the version parses, there is at least one and at most
// [MaxArtifacts] artifacts, Source is printable text, and every artifact passes these rules:
//
//   - Name is non-empty, at most 255 bytes of valid UTF-8, has no '/', '\\',
//     "..", control or format characters, and equals the last element of
//     URL (URL-unescaped); names are unique within the manifest; and it is
//     a name python.org gives a file of the release (names.CheckReleaseName).
//   - URL is an absolute http or https URL with a host, no user
//     information, query or fragment, made of printable ASCII.
//   - Class is ClassOf(Name).
//   - Label, OS and Description are valid UTF-8 without control or format
//     characters.
//   - Size is between 0 and [MaxArtifactSize]; SizeText is empty, an exact
//     byte count equal to Size, or a human size (see [HumanSize]) that is
//     consistent with Size when Size is known.
//   - MD5 and SHA256 are empty or lower-case hex of the right length.
//   - Each sidecar URL is empty or the artifact URL plus its suffix
//     (".asc", ".sigstore", ".crt", ".sig", ".spdx.json") on the same host;
//     only the scheme may differ (http or https).
//
// The error is a [*DataError] naming the first offending artifact and field.
func (m *Manifest) Validate() error {
	src := quoteIfNeeded(m.Source)
	if m.Source == "" {
		src = manifestSource
	}
	return m.validate(src, "artifact")
}

// validate validates m, naming src as the DataError's Source and the
// artifacts "<kind> <n>".
func (m *Manifest) validate(src, kind string) error {
	fail := func(row, field string, err error) error {
		return &DataError{Source: src, Row: row, Field: field, Err: err}
	}
	if m.Schema != Schema {
		return fail("", fieldSchema, fmt.Errorf("%s is not %q", quote(m.Schema), Schema))
	}
	version, err := ParseVersion(m.Version)
	if err != nil {
		return fail("", fieldVersion, err)
	}
	if err := checkTextLen(m.Source, 2*maxURLLen+8); err != nil {
		return fail("", fieldSource, err)
	}
	if len(m.Artifacts) == 0 {
		return fail("", fieldArtifacts, errors.New("no artifacts"))
	}
	if len(m.Artifacts) > MaxArtifacts {
		return fail("", fieldArtifacts, fmt.Errorf("%w: %d artifacts, more than %d", ErrTooLarge, len(m.Artifacts), MaxArtifacts))
	}
	seen := make(map[string]int, len(m.Artifacts))
	for i := range m.Artifacts {
		a := &m.Artifacts[i]
		row := rowName(kind, i+1, a.Name)
		if field, err := checkArtifact(a); err != nil {
			return fail(row, field, err)
		}
		// Only names python.org gives a file of this release: another
		// release's file, or any other name, is refused.
		if err := names.CheckReleaseName(a.Name, version); err != nil {
			return fail(row, fieldName, err)
		}
		if j, dup := seen[a.Name]; dup {
			return fail(row, fieldName, fmt.Errorf("duplicate of %s %d", kind, j))
		}
		seen[a.Name] = i + 1
	}
	return nil
}

// sidecar describes one sidecar URL field of an Artifact.
type sidecar struct {
	field  string
	suffix string
	get    func(*Artifact) *string
}

var sidecars = []sidecar{
	{fieldGPG, ".asc", func(a *Artifact) *string { return &a.GPGURL }},
	{fieldSigstore, ".sigstore", func(a *Artifact) *string { return &a.SigstoreURL }},
	{fieldSigCert, ".crt", func(a *Artifact) *string { return &a.SigstoreCertURL }},
	{fieldSigSig, ".sig", func(a *Artifact) *string { return &a.SigstoreSigURL }},
	{fieldSBOM, ".spdx.json", func(a *Artifact) *string { return &a.SBOMURL }},
}

// checkArtifact checks one artifact and returns the field at fault.
func checkArtifact(a *Artifact) (field string, err error) {
	u, err := checkURL(a.URL)
	if err != nil {
		return fieldURL, err
	}
	if err := names.CheckFileName(a.Name); err != nil {
		return fieldName, err
	}
	if n := fileName(u); n != a.Name {
		return fieldName, fmt.Errorf("not the last element of the URL (%s)", quote(n))
	}
	if c := ClassOf(a.Name); a.Class != c {
		return fieldClass, fmt.Errorf("%s, but the file name says %q", quote(string(a.Class)), c)
	}
	for _, f := range []struct {
		field, text string
	}{{fieldLabel, a.Label}, {fieldOS, a.OS}, {fieldDescription, a.Description}} {
		if err := checkText(f.text); err != nil {
			return f.field, err
		}
	}
	if a.Size < 0 {
		return fieldSize, fmt.Errorf("negative size %d", a.Size)
	}
	if a.Size > MaxArtifactSize {
		return fieldSize, fmt.Errorf("%d bytes is absurd", a.Size)
	}
	if a.SizeText != "" {
		n, exact, err := parseSizeText(a.SizeText)
		switch {
		case err != nil:
			return fieldSizeText, err
		case exact && n != a.Size:
			return fieldSizeText, fmt.Errorf("%s is not the size %d", quote(a.SizeText), a.Size)
		case !exact && a.Size != 0 && !SizeTextMatches(a.SizeText, a.Size):
			return fieldSizeText, fmt.Errorf("%s does not match the size %d (%s)", quote(a.SizeText), a.Size, strings.ReplaceAll(HumanSize(a.Size), nbsp, " "))
		}
	}
	if err := names.CheckDigest(a.MD5, 32); err != nil {
		return fieldMD5, err
	}
	if err := names.CheckDigest(a.SHA256, 64); err != nil {
		return fieldSHA256, err
	}
	for _, sc := range sidecars {
		if s := *sc.get(a); s != "" {
			if err := checkSidecar(a.URL, u, s, sc.suffix); err != nil {
				return sc.field, err
			}
		}
	}
	return "", nil
}

func checkText(s string) error { return checkTextLen(s, maxTextLen) }

func checkTextLen(s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("longer than %d bytes", max)
	}
	if !utf8.ValidString(s) {
		return errors.New("not valid UTF-8")
	}
	for _, r := range s {
		if unicode.In(r, unicode.Cc, unicode.Cf) {
			return fmt.Errorf("%s contains a control character", quote(s))
		}
	}
	return nil
}

// checkURL checks that s is an absolute http(s) URL fit to download from.
func checkURL(s string) (*url.URL, error) {
	if s == "" {
		return nil, errors.New("empty URL")
	}
	if len(s) > maxURLLen {
		return nil, fmt.Errorf("URL longer than %d bytes", maxURLLen)
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return nil, fmt.Errorf("URL %s contains a space, control or non-ASCII character", quote(s))
		}
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("URL %s does not parse", quote(s))
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("URL %s is not http or https", quote(s))
	case u.Opaque != "" || u.Hostname() == "":
		return nil, fmt.Errorf("URL %s has no host", quote(s))
	case u.User != nil:
		return nil, fmt.Errorf("URL %s has user information", quote(s))
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("URL %s has a query", quote(s))
	case u.Fragment != "" || strings.Contains(s, "#"):
		return nil, fmt.Errorf("URL %s has a fragment", quote(s))
	}
	if _, err := url.PathUnescape(u.EscapedPath()); err != nil {
		return nil, fmt.Errorf("URL %s has a bad escape", quote(s))
	}
	return u, nil
}

// fileName returns the last element of u's path, URL-unescaped, or "" if
// there is none.
func fileName(u *url.URL) string {
	p := u.EscapedPath()
	seg := p[strings.LastIndexByte(p, '/')+1:]
	name, err := url.PathUnescape(seg)
	if err != nil {
		return ""
	}
	return name
}

// checkSidecar checks that sidecar is the artifact URL (raw, parsed as u)
// plus suffix on the same host. Only the scheme may differ.
func checkSidecar(raw string, u *url.URL, sidecar, suffix string) error {
	su, err := checkURL(sidecar)
	if err != nil {
		return err
	}
	if !strings.EqualFold(su.Host, u.Host) {
		return fmt.Errorf("%s is on another host than the artifact (%s)", quote(sidecar), quote(u.Host))
	}
	rest := func(s string) string { _, r, _ := strings.Cut(s, ":"); return r }
	if rest(sidecar) != rest(raw)+suffix {
		return fmt.Errorf("%s is not the artifact URL plus %q", quote(sidecar), suffix)
	}
	return nil
}

// itoa is strconv.Itoa for int64.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
