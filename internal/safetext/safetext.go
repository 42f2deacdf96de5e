// Package safetext makes untrusted text (from release pages, API answers,
// bundles, keys, file names and the command line) safe to put in an error
// message or a report line on a terminal. It is the only place pyverify
// escapes such text; every package uses it.
//
// Pick by where the text goes:
//
//   - [Line] for text that fills a message or a report line: printable runes
//     stay as they are, everything else is escaped as in a Go string literal
//     (\n, \x1b, \u202e), and long text is cut.
//   - [Quote] for a value inside a message: always in double quotes, ASCII
//     only, cut.
//   - [Word] for a name inside a message: as it is when it is a short word of
//     letters, digits, punctuation and symbols, else [Quote]d.
//   - [URL] for an address: as it is when it is printable ASCII without
//     spaces, else quoted in ASCII, so look-alike letters show.
//   - [Cut] to shorten text that a %q verb will escape.
package safetext

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Lengths at which text is cut, in bytes.
const (
	// LineMax bounds [Line].
	LineMax = 300
	// ValueMax bounds [Quote] and [Word].
	ValueMax = 120
	// URLMax bounds [URL].
	URLMax = 2048
)

// Line returns s with every rune that is not printable (control and format
// characters, invalid UTF-8, unusual spaces) escaped as in a Go string
// literal, without surrounding quotes, cut to at most [LineMax] bytes
// (plus "…"). Printable text, quotes and backslashes included, is kept.
func Line(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i >= LineMax {
			b.WriteString("…")
			break
		}
		switch {
		case r == utf8.RuneError:
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				b.WriteString(`\x`)
				b.WriteString(strconv.FormatUint(uint64(s[i])|0x100, 16)[1:])
				continue
			}
			b.WriteRune(r)
		case unicode.IsPrint(r):
			b.WriteRune(r)
		default:
			q := strconv.QuoteRuneToASCII(r)
			b.WriteString(q[1 : len(q)-1])
		}
	}
	return b.String()
}

// Quote returns s in double quotes with everything outside printable ASCII
// escaped, cut to [ValueMax] bytes of s (plus "…" after the quotes).
func Quote(s string) string {
	if len(s) > ValueMax {
		return strconv.QuoteToASCII(s[:ValueMax]) + "…"
	}
	return strconv.QuoteToASCII(s)
}

// Word returns s as it is when it is at most [ValueMax] bytes of valid UTF-8
// made only of letters, digits, punctuation and symbols (no spaces, marks
// or format characters), and [Quote](s) otherwise. The empty string is
// quoted, so that it shows.
func Word(s string) string {
	if s == "" || len(s) > ValueMax || !utf8.ValidString(s) {
		return Quote(s)
	}
	for _, r := range s {
		if !unicode.In(r, unicode.L, unicode.N, unicode.P, unicode.S) {
			return Quote(s)
		}
	}
	return s
}

// URL returns s as it is when it is printable ASCII without spaces and at
// most [URLMax] bytes, and quoted in ASCII (cut to [URLMax]) otherwise.
func URL(s string) string {
	cut := ""
	if len(s) > URLMax {
		s, cut = s[:URLMax], "…"
	}
	for i := 0; i < len(s); i++ {
		if s[i] <= ' ' || s[i] >= 0x7f {
			return strconv.QuoteToASCII(s) + cut
		}
	}
	if s == "" {
		return `""`
	}
	return s + cut
}

// Cut returns s cut to at most max bytes, on a rune boundary, with "…"
// appended when it was cut. It does not escape: use it for text that a %q
// verb escapes.
func Cut(s string, max int) string {
	if len(s) <= max {
		return s
	}
	n := max
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
