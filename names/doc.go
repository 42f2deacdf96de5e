// Package names holds the vocabulary of CPython releases as python.org
// names them: release versions ([Version], [ParseVersion]), the classes of
// artifacts by who signs them ([Class], [ClassOf]), the rule every artifact
// file name must pass ([CheckFileName]), the version a file name carries
// ([VersionFromFileName]) and whether a name is one python.org gives a
// release ([ReleaseFile]), and hexadecimal digests ([IsHex], [CheckDigest]).
//
// It is a leaf: it imports only the standard library and pyverify's
// internal/safetext (to quote untrusted names in errors), so every other
// package may use it.
package names
