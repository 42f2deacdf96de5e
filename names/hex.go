package names

import "fmt"

// IsHex reports whether s is exactly n hexadecimal digits, in either case.
func IsHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isHexDigit(s[i]) {
			return false
		}
	}
	return true
}

// CheckDigest reports whether s is a digest as python.org lists it: empty
// (not listed) or exactly n lower-case hexadecimal digits (32 for MD5, 64
// for SHA-256).
func CheckDigest(s string, n int) error {
	if s == "" {
		return nil
	}
	if len(s) != n {
		return fmt.Errorf("%s has %d characters, want %d hex digits", quote(s), len(s), n)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !isHexDigit(c) || 'A' <= c && c <= 'F' {
			return fmt.Errorf("%s is not lower-case hex", quote(s))
		}
	}
	return nil
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}
