// Package binding reads, from the head of a release artifact's byte stream,
// the release its content names, so that a signed file can be bound to the
// release it is listed as, not only to its signer.
//
// A release manager signs every release of a series, often of two series:
// a signature says who made the bytes, not which release they are. The
// content says it where the format allows it cheaply:
//
//   - a source tarball (.tgz, .tar.gz, .tar.xz, .tar.bz2) unpacks into
//     Python-{V}/: its first tar header names the release;
//   - an embeddable package (.zip) holds python{XY}.dll and python{XY}.zip:
//     its member names (in the local headers as they go by, and in the
//     central directory at its end, which is what extractors read) name the
//     series (not the release);
//   - an install manager index (windows-{V}.json) lists the release's
//     packages, each with its "sort-version".
//
// A Head is an io.Writer fed the artifact's bytes as they are hashed: it
// keeps only what it needs of the head of the stream, decodes it once there
// is enough, and then ignores the rest. Nothing is read twice, and a
// compressed stream is decompressed only as far as its first tar header.
// Installers (.exe, .pkg) and the Android packages carry no such marker
// that can be read cheaply: their Format is None.
//
// The package does no I/O and depends on nothing but the standard library
// and an LZMA2 decoder.
package binding

import (
	"strings"
)

// A Format is how the release can be read from an artifact's content.
type Format string

// The formats.
const (
	// None: the content has no cheap marker of the release.
	None Format = ""
	// TarGzip, TarXZ, TarBzip2: a compressed tar archive whose first entry
	// is its top folder.
	TarGzip  Format = "tar.gz"
	TarXZ    Format = "tar.xz"
	TarBzip2 Format = "tar.bz2"
	// Zip: a zip archive whose member names carry the series
	// (python312.dll).
	Zip Format = "zip"
	// WindowsIndex: the install manager's JSON index (windows-{V}.json).
	WindowsIndex Format = "windows-json"
)

// FormatOf returns the format of the file name's content, judged by the
// name alone: the source tarballs, the Windows embeddable packages and
// the install manager index. Every other name, Android and iOS packages
// included, is None.
func FormatOf(name string) Format {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "python-") && strings.Count(n, "-") == 1:
		switch {
		case strings.HasSuffix(n, ".tgz"), strings.HasSuffix(n, ".tar.gz"):
			return TarGzip
		case strings.HasSuffix(n, ".tar.xz"):
			return TarXZ
		case strings.HasSuffix(n, ".tar.bz2"):
			return TarBzip2
		}
	case strings.HasPrefix(n, "python-") && strings.Contains(n, "-embed-") && strings.HasSuffix(n, ".zip"):
		return Zip
	case strings.HasPrefix(n, "windows-") && strings.HasSuffix(n, ".json"):
		return WindowsIndex
	}
	return None
}

// A Marker is what an artifact's content says about its release.
type Marker struct {
	// Format is the format the content was read as.
	Format Format
	// Found is the marker as it appears in the content, for messages: the
	// top folder ("Python-3.11.2/"), the member name ("python311.dll") or
	// the index field ("sort-version 3.13.9"). It is untrusted text.
	Found string
	// Version is the release the content names ("3.11.2"), or the series
	// ("3.11") when Series is set; empty when it names none.
	Version string
	// Series reports that the content names only a series.
	Series bool
	// Err, when set, says why the content could not be read as Format
	// (it is not an archive of that format, or its head is malformed or
	// larger than the limit).
	Err error
}

// A Verdict is how a Marker compares with the release an artifact is
// listed as.
type Verdict int

// The verdicts.
const (
	// Unbound: the content names no release (Format None, or no marker
	// found where the format may legitimately lack one).
	Unbound Verdict = iota
	// Bound: the content names the release.
	Bound
	// SeriesOnly: the content names the release's series, not the release.
	SeriesOnly
	// Other: the content names another release or series, or does not
	// have the marker its format must have.
	Other
)

// Judge compares m with version, the release the artifact is listed as
// ("3.13.5", "3.14.0a2").
func (m Marker) Judge(version string) Verdict {
	switch {
	case m.Err != nil:
		return Other
	case m.Version == "":
		if m.Format == TarGzip || m.Format == TarXZ || m.Format == TarBzip2 || m.Format == Zip {
			return Other // every source tarball has Python-{V}/, every embeddable package python{XY}.dll
		}
		return Unbound
	case m.Series:
		if m.Version == seriesOf(version) {
			return SeriesOnly
		}
		return Other
	case m.Version == version:
		return Bound
	}
	return Other
}

// seriesOf returns "3.13" for "3.13.5" and "3.14.0a2".
func seriesOf(v string) string {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return v
	}
	minor := parts[1]
	for i := 0; i < len(minor); i++ {
		if minor[i] < '0' || minor[i] > '9' {
			minor = minor[:i]
			break
		}
	}
	return parts[0] + "." + minor
}

// SourceFolderVersion returns the version a source tarball's top folder
// names ("Python-3.11.2" or "Python-3.11.2/" gives "3.11.2"), or "".
func SourceFolderVersion(folder string) string {
	f := strings.TrimSuffix(folder, "/")
	v, ok := strings.CutPrefix(f, "Python-")
	if !ok || !plausibleVersion(v) {
		return ""
	}
	return v
}

// plausibleVersion reports whether v is shaped like a release tag: digits
// and dots, then an optional a/b/rc and digits.
func plausibleVersion(v string) bool {
	if v == "" || len(v) > 32 {
		return false
	}
	dots := 0
	i := 0
	for i < len(v) && (v[i] >= '0' && v[i] <= '9' || v[i] == '.') {
		if v[i] == '.' {
			dots++
		}
		i++
	}
	if dots < 1 || dots > 2 || i == 0 || v[0] == '.' || v[i-1] == '.' || strings.Contains(v[:i], "..") {
		return false
	}
	rest := v[i:]
	for _, p := range []string{"rc", "a", "b"} {
		if n, ok := strings.CutPrefix(rest, p); ok {
			rest = n
			if rest == "" {
				return false
			}
			break
		}
	}
	for j := 0; j < len(rest); j++ {
		if rest[j] < '0' || rest[j] > '9' {
			return false
		}
	}
	return true
}
