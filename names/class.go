package names

import "strings"

// A Class groups artifacts by who signs them.
type Class string

// The artifact classes. Signers differ by class: source tarballs are signed
// by the release manager, Windows files by the Windows release engineer,
// macOS installers by the macOS release engineer.
const (
	ClassSource          Class = "source"
	ClassWindows         Class = "windows"
	ClassMacOS           Class = "macos"
	ClassAndroid         Class = "android"
	ClassIOS             Class = "ios"
	ClassWindowsManifest Class = "windows-manifest"
	ClassDocs            Class = "docs"
	ClassOther           Class = "other"
)

// Classes lists every class, in the order reports use.
var Classes = []Class{ClassSource, ClassWindows, ClassMacOS, ClassAndroid, ClassIOS, ClassWindowsManifest, ClassDocs, ClassOther}

// ParseClass returns the class named s, or false if there is none.
func ParseClass(s string) (Class, bool) {
	for _, c := range Classes {
		if string(c) == s {
			return c, true
		}
	}
	return "", false
}

// ClassOf returns the class of a release file from its name alone, following
// python.org's naming rules (see the README). Unrecognised names are ClassOther.
func ClassOf(name string) Class {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "python-") && (strings.HasSuffix(n, ".tgz") || strings.HasSuffix(n, ".tar.xz") ||
		strings.HasSuffix(n, ".tar.bz2")) && !strings.Contains(n, "-android") && !strings.Contains(n, "-ios") &&
		strings.Count(n, "-") == 1:
		// Python-3.12.0.tgz; installers and platform tarballs have more dashes.
		return ClassSource
	case strings.HasPrefix(n, "windows-") && strings.HasSuffix(n, ".json"):
		return ClassWindowsManifest
	case strings.HasSuffix(n, "-linux-android.tar.gz") || strings.Contains(n, "-android"):
		return ClassAndroid
	case strings.Contains(n, "-ios") || strings.Contains(n, "-iphone"):
		return ClassIOS
	case strings.HasSuffix(n, ".exe") || strings.HasSuffix(n, ".msi") || strings.HasSuffix(n, ".msix") ||
		(strings.HasSuffix(n, ".zip") && strings.Contains(n, "-embed-")) || strings.HasSuffix(n, ".nupkg") ||
		strings.HasSuffix(n, "-pdb.zip"):
		// -pdb.zip: Windows debug information files (python-3.3.3-pdb.zip).
		return ClassWindows
	case strings.HasSuffix(n, ".chm"):
		return ClassDocs
	case strings.HasSuffix(n, ".pkg") || strings.HasSuffix(n, ".dmg"):
		return ClassMacOS
	case strings.HasPrefix(n, "python-") && strings.Contains(n, "-docs-"):
		return ClassDocs
	}
	return ClassOther
}
