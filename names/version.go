package names

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A Version is a CPython release tag such as 3.12.0, 3.14.0a2, 3.12.0rc2 or
// 2.7.18. Old two-part tags such as 3.3 are accepted too; they name the
// release 3.3.0 but print as they were written.
type Version struct {
	Major, Minor, Patch int
	// HasPatch reports whether the tag was written with a patch number.
	HasPatch bool
	// Pre is the pre-release phase: "a", "b", "rc", or "" for a final release.
	Pre string
	// PreNum is the number after Pre (2 in 3.14.0a2); 0 for a final release.
	PreNum int
}

// maxComponent bounds every numeric part of a tag, so that absurd tags are
// rejected instead of overflowing or producing enormous slugs.
const maxComponent = 999

// ErrInvalidVersion is matched (with errors.Is) by every error
// ParseVersion returns.
var ErrInvalidVersion = errors.New("invalid version")

// versionExamples ends every version error: what a valid tag looks like.
const versionExamples = "want e.g. 3.12.4, 3.14.0rc1"

// A versionError says, in a person's terms, why a tag is not a CPython
// version: `"3.12.4rc" is not a CPython version: rc needs a number (want e.g.
// 3.12.4, 3.14.0rc1)`. why is empty when the text does not look like an
// attempt at a version at all, where details would only confuse.
type versionError struct {
	tag, why string
}

func (e *versionError) Error() string {
	s := quote(e.tag) + " is not a CPython version"
	if e.tag == "" {
		s = "the version is empty"
	}
	if e.why != "" {
		s += ": " + e.why
	}
	return s + " (" + versionExamples + ")"
}

func (e *versionError) Is(target error) bool { return target == ErrInvalidVersion }

// ParseVersion parses a CPython release tag. It accepts MAJOR.MINOR,
// MAJOR.MINOR.PATCH, and either form followed by a pre-release suffix
// aN, bN or rcN. Anything else is an error: no leading "v", no spaces,
// no leading zeros, no other suffixes. The error matches
// [ErrInvalidVersion] and says what is wrong in a person's terms.
func ParseVersion(s string) (Version, error) {
	bad := func(why string) (Version, error) {
		return Version{}, &versionError{tag: s, why: why}
	}
	switch {
	case s == "":
		return bad("")
	case len(s) > 32:
		return bad("too long")
	case len(s) > 1 && s[0] == 'v' && isDigit(s[1]):
		return bad(`drop the leading "v"`)
	case !isDigit(s[0]):
		// Not an attempt at a version (a word, a file name): no details.
		return bad("")
	}
	num := s
	var v Version
	for _, pre := range []string{"rc", "a", "b"} {
		if i := strings.LastIndex(s, pre); i > 0 {
			digits := s[i+len(pre):]
			if digits == "" {
				return bad(pre + " needs a number, such as " + pre + "1")
			}
			n, err := parseComponent(digits)
			if err != nil {
				return bad(err.Error() + " after " + quote(pre))
			}
			if n == 0 {
				return bad("pre-release numbers start at 1 (" + pre + "1)")
			}
			v.Pre, v.PreNum, num = pre, n, s[:i]
			break
		}
	}
	parts := strings.Split(num, ".")
	switch {
	case len(parts) < 2:
		return bad("want MAJOR.MINOR or MAJOR.MINOR.PATCH")
	case len(parts) > 3:
		return bad("more than three numbers")
	}
	var nums [3]int
	for i, p := range parts {
		n, err := parseComponent(p)
		if err != nil {
			return bad(err.Error())
		}
		nums[i] = n
	}
	v.Major, v.Minor, v.Patch = nums[0], nums[1], nums[2]
	v.HasPatch = len(parts) == 3
	if v.Major < 1 {
		return bad("the major version is at least 1")
	}
	return v, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func parseComponent(p string) (int, error) {
	if p == "" {
		return 0, errors.New("a number is missing")
	}
	for _, c := range p {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("%s is not a number", quote(p))
		}
	}
	if len(p) > 1 && p[0] == '0' {
		return 0, fmt.Errorf("%s has a leading zero", quote(p))
	}
	n, err := strconv.Atoi(p)
	if err != nil || n > maxComponent {
		return 0, fmt.Errorf("%s is out of range (at most %d)", quote(p), maxComponent)
	}
	return n, nil
}

// MustParseVersion is like ParseVersion but panics on error. It is meant for
// constants in tests and tables.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// String returns the tag as python.org writes it: 3.14.0a2, 3.3, 2.7.18.
func (v Version) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d.%d", v.Major, v.Minor)
	if v.HasPatch {
		fmt.Fprintf(&b, ".%d", v.Patch)
	}
	if v.Pre != "" {
		fmt.Fprintf(&b, "%s%d", v.Pre, v.PreNum)
	}
	return b.String()
}

// IsZero reports whether v is the zero Version (no tag parsed).
func (v Version) IsZero() bool { return v.Major == 0 }

// IsPrerelease reports whether v is an alpha, beta or release candidate.
func (v Version) IsPrerelease() bool { return v.Pre != "" }

// Series returns the feature series, such as "3.12".
func (v Version) Series() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// FTPDir returns the folder under /ftp/python/ that holds the release's
// files. Pre-releases share the final release's folder: 3.14.0a2 → "3.14.0".
// Two-part tags keep their form (3.3 → "3.3").
func (v Version) FTPDir() string {
	if !v.HasPatch {
		return v.Series()
	}
	return fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
}

// Slug returns the release page slug, such as "python-3140a2".
func (v Version) Slug() string {
	return "python-" + strings.ReplaceAll(v.String(), ".", "")
}

// preRank orders pre-release phases: a < b < rc < final.
func preRank(p string) int {
	switch p {
	case "a":
		return 0
	case "b":
		return 1
	case "rc":
		return 2
	}
	return 3
}

// Compare returns -1, 0 or +1 as v sorts before, equal to, or after w.
// A missing patch number counts as 0, so 3.3 and 3.3.0 compare equal.
func (v Version) Compare(w Version) int {
	for _, d := range [...]int{
		v.Major - w.Major,
		v.Minor - w.Minor,
		v.Patch - w.Patch,
		preRank(v.Pre) - preRank(w.Pre),
		v.PreNum - w.PreNum,
	} {
		if d < 0 {
			return -1
		}
		if d > 0 {
			return 1
		}
	}
	return 0
}

// Less reports whether v sorts before w.
func (v Version) Less(w Version) bool { return v.Compare(w) < 0 }

// MarshalText implements encoding.TextMarshaler.
func (v Version) MarshalText() ([]byte, error) { return []byte(v.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (v *Version) UnmarshalText(b []byte) error {
	p, err := ParseVersion(string(b))
	if err != nil {
		return err
	}
	*v = p
	return nil
}
