package names

import (
	"regexp"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
)

// A ReleaseNameError reports a file name that python.org's naming does not
// give the release being verified (see [CheckReleaseName]).
type ReleaseNameError struct {
	// Name is the file name refused.
	Name string
	// Version is the release being verified.
	Version Version
	// Other is the release the name carries, when it carries another one.
	Other Version
}

// Error says which name is not one of the release's files.
func (e *ReleaseNameError) Error() string {
	if !e.Other.IsZero() {
		return safetext.Word(e.Name) + " is a file of " + e.Other.String() + ", not of " + e.Version.String()
	}
	return safetext.Word(e.Name) + " is not a name python.org gives a file of " + e.Version.String()
}

// releaseSuffix is what may follow the tag in a release file name: dashed
// or dotted words (platform, variant) and one of the extensions python.org
// publishes under /ftp/python/X.Y.Z/.
var releaseSuffix = regexp.MustCompile(`^(?:[-.][a-z0-9_]+)*?\.(?:tgz|tar\.xz|tar\.bz2|tar\.gz|exe|msi|msix|zip|pkg|dmg|nupkg|json)$`)

// CheckReleaseName reports whether name is one python.org's naming gives a
// file of release v: [ReleaseFile]'s rule (v's tag, in full or as the
// Windows help file's python3120.chm), and the shape python.org's names
// have: "Python-" or "python-" and the tag, then platform words and one
// of the extensions it publishes (.tgz, .tar.xz, .tar.bz2, .tar.gz, .exe,
// .msi, .msix, .zip, .pkg, .dmg, .nupkg), or "windows-" and the tag and
// ".json". Anything else a release page or API lists (".bashrc",
// "Python-3.11.4.sh") is not a file of the release. The error is a
// [*ReleaseNameError].
func CheckReleaseName(name string, v Version) error {
	fail := &ReleaseNameError{Name: name, Version: v}
	if _, ok := ReleaseFile(name, v); !ok {
		if w, err := VersionFromFileName(name); err == nil && (w.Compare(v) != 0 || w.IsPrerelease() != v.IsPrerelease()) {
			fail.Other = w
		}
		return fail
	}
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".chm") && !strings.Contains(lower, "-") {
		return nil // python3120.chm: ReleaseFile checked its tag
	}
	prefix := ""
	for _, p := range []string{"python-", "windows-"} {
		if strings.HasPrefix(lower, p) {
			prefix = p
		}
	}
	if prefix == "" {
		return fail
	}
	tag, err := VersionFromFileName(name)
	if err != nil {
		return fail
	}
	// The tag as written (3.3 or 3.3.0) is the text after the prefix up to
	// the suffix: find where the written tag ends.
	rest := lower[len(prefix):]
	written := tag.String()
	if !strings.HasPrefix(rest, written) {
		return fail
	}
	suffix := rest[len(written):]
	if prefix == "windows-" {
		if suffix != ".json" {
			return fail
		}
		return nil
	}
	if !releaseSuffix.MatchString(suffix) {
		return fail
	}
	return nil
}
