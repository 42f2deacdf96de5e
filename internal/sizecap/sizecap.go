// Package sizecap says how many bytes pyverify reads of a file at most,
// when nothing says how large it should be: every read of an artifact is
// capped, by its listed size when python.org gives one (see the callers),
// else by a mirror's own size for it plus Margin, else by the default of
// its class here. The defaults are a few times the largest file of the
// class python.org has published, far below what would fill a disk.
package sizecap

import "github.com/pyverify/pyverify/manifest"

// Margin is added to a size that a mirror (its directory listing, or the
// file system) gives for a file, which may change while it is read.
const Margin = 1 << 20

// The defaults, by class.
const (
	// Source tarballs and documentation archives are at most tens of MB.
	SourceDefault = 256 << 20
	// Installers, app bundles and mobile frameworks are at most about
	// 100 MB.
	BinaryDefault = 1 << 30
	// The Windows install manager's index is a small JSON document.
	ManifestDefault = 16 << 20
)

// Default returns the most bytes read of a file of class c whose size
// nothing gives.
func Default(c manifest.Class) int64 {
	switch c {
	case manifest.ClassSource, manifest.ClassDocs:
		return SourceDefault
	case manifest.ClassWindowsManifest:
		return ManifestDefault
	}
	return BinaryDefault
}

// ForKnown returns the cap for a file a mirror says has size bytes (-1
// when it does not say): size plus Margin, else the class default.
func ForKnown(c manifest.Class, size int64) int64 {
	if size >= 0 {
		return size + Margin
	}
	return Default(c)
}
