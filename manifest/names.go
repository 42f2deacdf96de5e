package manifest

import "github.com/pyverify/pyverify/names"

// Release versions and artifact classes are defined in package names; these
// aliases keep the manifest's vocabulary in one place for its callers.

// A Version is a CPython release tag; see [names.Version].
type Version = names.Version

// A Class groups artifacts by who signs them; see [names.Class].
type Class = names.Class

// The artifact classes; see package names.
const (
	ClassSource          = names.ClassSource
	ClassWindows         = names.ClassWindows
	ClassMacOS           = names.ClassMacOS
	ClassAndroid         = names.ClassAndroid
	ClassIOS             = names.ClassIOS
	ClassWindowsManifest = names.ClassWindowsManifest
	ClassDocs            = names.ClassDocs
	ClassOther           = names.ClassOther
)

// Classes lists every class, in the order reports use.
var Classes = names.Classes

// ParseVersion parses a CPython release tag; see [names.ParseVersion]
// (its errors match [names.ErrInvalidVersion]).
func ParseVersion(s string) (Version, error) { return names.ParseVersion(s) }

// MustParseVersion is like ParseVersion but panics on error.
func MustParseVersion(s string) Version { return names.MustParseVersion(s) }

// ParseClass returns the class named s; see [names.ParseClass].
func ParseClass(s string) (Class, bool) { return names.ParseClass(s) }

// ClassOf returns the class of a release file from its name; see [names.ClassOf].
func ClassOf(name string) Class { return names.ClassOf(name) }

// VersionFromFileName returns the release version written in a file name;
// see [names.VersionFromFileName].
func VersionFromFileName(name string) (Version, error) { return names.VersionFromFileName(name) }
