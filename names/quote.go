package names

import "github.com/pyverify/pyverify/internal/safetext"

// quote puts untrusted text into an error message; see internal/safetext.
func quote(s string) string { return safetext.Quote(s) }
