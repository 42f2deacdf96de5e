package names

import "strings"

// ReleaseFile reports whether name is a file that python.org's naming gives
// release v, and the file's class. The name must pass [CheckFileName] and
// carry v's tag: in full (Python-3.12.4.tgz, python-3.14.0a2-amd64.exe,
// windows-3.14.1.json, python-2.7.18.amd64.msi) or, for the Windows help
// files, without dots (python3120.chm for 3.12.0). A name that carries
// another release's tag, or none, is not v's.
//
// It says nothing about whether python.org actually published the file:
// that is the release data's to say.
func ReleaseFile(name string, v Version) (Class, bool) {
	if CheckFileName(name) != nil || v.IsZero() {
		return "", false
	}
	if w, err := VersionFromFileName(name); err == nil {
		if w.Compare(v) != 0 || w.IsPrerelease() != v.IsPrerelease() {
			return "", false
		}
		return ClassOf(name), true
	}
	lower := strings.ToLower(name)
	if tag, ok := strings.CutPrefix(lower, "python"); ok {
		if tag, ok = strings.CutSuffix(tag, ".chm"); ok && tag == strings.ReplaceAll(v.String(), ".", "") {
			return ClassDocs, true
		}
	}
	return "", false
}
