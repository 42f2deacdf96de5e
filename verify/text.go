package verify

import "github.com/pyverify/pyverify/internal/safetext"

// escape shortens untrusted text for a %q verb, which escapes it; see
// internal/safetext for how pyverify makes untrusted text safe to print.
func escape(s string) string { return safetext.Cut(s, 200) }

// cleanSigstoreText makes text that may come from a bundle safe to print:
// non-printable characters are escaped and long text is cut.
func cleanSigstoreText(s string) string { return safetext.Line(s) }
