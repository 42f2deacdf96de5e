package names

import (
	"regexp"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
)

// A ReleaseNameError reports a file name that python.org's naming does not
// give the release being verified (see [CheckReleaseName]).
type ReleaseNameError struct {
	Name    string
	Version Version
	// Other is the release the name carries, when it carries another one.
	Other Version
}

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

// installerPartFolders are the subfolders of a release directory in which
// python.org publishes the MSI parts of its Windows web installers.
var installerPartFolders = []string{"amd64", "win32", "arm64"}

// installerPart is the name python.org gives an MSI part of a Windows web
// installer: a word and ".msi", no version (core.msi, core_d.msi,
// tcltk_pdb.msi).
var installerPart = regexp.MustCompile(`^[a-z][a-z0-9_]*\.msi$`)

// IsInstallerPartFolder reports whether folder, a subfolder of a release
// directory ("amd64" for 3.12.4/amd64/), is one in which python.org
// publishes the MSI parts of its Windows web installers: amd64, win32 or
// arm64.
func IsInstallerPartFolder(folder string) bool {
	for _, f := range installerPartFolders {
		if folder == f {
			return true
		}
	}
	return false
}

// CheckReleasePath is [CheckReleaseName] for a file in folder, a subfolder
// of release v's directory ("amd64"; "" for the directory itself). In the
// installer-part folders ([IsInstallerPartFolder]) python.org names the MSI
// parts of its Windows web installers without a version (core.msi,
// core_d.msi): such a name is a file of v, the release whose directory
// holds it. Every other name, there or anywhere, must be one
// CheckReleaseName gives v: a name carrying another release's version is
// not v's wherever it is. The error is a [*ReleaseNameError].
func CheckReleasePath(folder, name string, v Version) error {
	if IsInstallerPartFolder(folder) && installerPart.MatchString(name) && !v.IsZero() {
		return nil
	}
	return CheckReleaseName(name, v)
}
