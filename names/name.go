package names

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxFileNameLen is the longest file name [CheckFileName] accepts, in bytes.
const MaxFileNameLen = 255

// A NameProblem says what is wrong with a file name that [CheckFileName]
// rejects.
type NameProblem int

// The problems [CheckFileName] finds, in the order it looks for them.
const (
	NameEmpty      NameProblem = iota + 1 // the name is empty
	NameTooLong                           // longer than MaxFileNameLen bytes
	NameNotUTF8                           // not valid UTF-8
	NameSeparator                         // holds a '/' or '\'
	NameDots                              // ".", "..", or holds ".."
	NameLeadingDot                        // begins with a dot
	NameControl                           // holds a control, format or other non-graphic character
	NameSpace                             // begins or ends with a space, or holds a space other than U+0020
)

// A FileNameError reports a name that is not a plain file name (see
// [CheckFileName]).
type FileNameError struct {
	// Name is the name refused, as given.
	Name string
	// Problem says what is wrong with it.
	Problem NameProblem
}

// Error words the problem with the name.
func (e *FileNameError) Error() string {
	q := quote(e.Name)
	switch e.Problem {
	case NameEmpty:
		return "empty file name"
	case NameTooLong:
		return "file name longer than 255 bytes"
	case NameNotUTF8:
		return "file name is not valid UTF-8"
	case NameSeparator:
		return "file name " + q + " contains a path separator"
	case NameDots:
		if e.Name == "." {
			return `file name is "."`
		}
		return "file name " + q + ` contains ".."`
	case NameLeadingDot:
		return "file name " + q + " begins with a dot"
	case NameControl:
		return "file name " + q + " contains a control character"
	case NameSpace:
		return "file name " + q + " has a space at an end, or a space other than U+0020"
	}
	return "file name " + q + " is not a plain file name"
}

// CheckFileName reports whether name is a plain file name, fit to be the
// last element of a python.org URL, a file in a directory and a word in a
// message or a SHA256SUMS line. It is the one rule pyverify applies to
// every artifact name, whether it comes from a release page, the API, a pin
// file, a mirror listing or the command line. A plain file name
//
//   - is not empty and at most [MaxFileNameLen] bytes of valid UTF-8;
//   - holds no path separator ('/' or '\') and no "..", and is not ".";
//   - does not begin with a dot (no hidden files);
//   - holds only graphic characters: no control or format characters (so
//     no zero-width spaces or bidi overrides), no U+FFFD;
//   - holds no space but U+0020, and does not begin or end with one.
//
// The error is a [*FileNameError].
func CheckFileName(name string) error {
	fail := func(p NameProblem) error { return &FileNameError{Name: name, Problem: p} }
	switch {
	case name == "":
		return fail(NameEmpty)
	case len(name) > MaxFileNameLen:
		return fail(NameTooLong)
	case !utf8.ValidString(name):
		return fail(NameNotUTF8)
	case strings.ContainsAny(name, `/\`):
		return fail(NameSeparator)
	case name == "." || strings.Contains(name, ".."):
		return fail(NameDots)
	case name[0] == '.':
		return fail(NameLeadingDot)
	}
	for _, r := range name {
		switch {
		case r == utf8.RuneError || unicode.In(r, unicode.Cc, unicode.Cf):
			return fail(NameControl)
		case unicode.IsSpace(r) && r != ' ':
			return fail(NameSpace)
		case !unicode.IsGraphic(r):
			return fail(NameControl)
		}
	}
	if name[0] == ' ' || name[len(name)-1] == ' ' {
		return fail(NameSpace)
	}
	return nil
}
