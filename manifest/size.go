package manifest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// nbsp is the non-breaking space Django puts between a size and its unit.
const nbsp = "\u00a0"

var sizeUnits = []struct {
	name  string
	shift uint
}{
	{"KB", 10}, {"MB", 20}, {"GB", 30}, {"TB", 40}, {"PB", 50},
}

// HumanSize formats n bytes the way python.org's release pages show file
// sizes since 2024: Django's filesizeformat, which uses 1024-based units
// with one decimal and a non-breaking space before the unit ("25.9 MB",
// "1.0 KB", "512 bytes", "1 byte"). It returns "" for negative n.
func HumanSize(n int64) string {
	switch {
	case n < 0:
		return ""
	case n == 1:
		return "1" + nbsp + "byte"
	case n < 1<<10:
		return strconv.FormatInt(n, 10) + nbsp + "bytes"
	}
	u := sizeUnits[0]
	for _, next := range sizeUnits[1:] {
		if n < 1<<next.shift {
			break
		}
		u = next
	}
	// Division by a power of two is exact for the sizes that matter, and
	// FormatFloat rounds half to even on the exact value, as Python's
	// round(x, 1) does.
	v := float64(n) / float64(int64(1)<<u.shift)
	return strconv.FormatFloat(v, 'f', 1, 64) + nbsp + u.name
}

// SizeTextMatches reports whether text, a file size as a release page or
// manifest shows it, is consistent with an exact size of n bytes: either the
// exact decimal number of bytes, or exactly what [HumanSize] gives for n
// (with a normal or a non-breaking space before the unit).
func SizeTextMatches(text string, n int64) bool {
	if n < 0 {
		return false
	}
	if isDigits(text) {
		return text == strconv.FormatInt(n, 10)
	}
	return strings.ReplaceAll(text, nbsp, " ") == strings.ReplaceAll(HumanSize(n), nbsp, " ")
}

// parseSizeText reads a size as a page shows it. exact reports whether text
// is an exact number of bytes, in which case n is that number. Otherwise
// text is a human size and n is the smallest size it can stand for, so that
// absurd sizes can be rejected.
func parseSizeText(text string) (n int64, exact bool, err error) {
	if text == "" {
		return 0, false, errors.New("empty")
	}
	if isDigits(text) {
		if len(text) > 1 && text[0] == '0' {
			return 0, false, fmt.Errorf("%s has a leading zero", quote(text))
		}
		n, err := strconv.ParseInt(text, 10, 64)
		if err != nil || n > MaxArtifactSize {
			return 0, false, fmt.Errorf("%s bytes is absurd", quote(text))
		}
		return n, true, nil
	}
	bad := fmt.Errorf("%s is neither a number of bytes nor a size such as \"25.9 MB\"", quote(text))
	num, unit, ok := strings.Cut(text, nbsp)
	if !ok {
		num, unit, ok = strings.Cut(text, " ")
	}
	if !ok || !isDigits(num) && !isOneDecimal(num) {
		return 0, false, bad
	}
	if len(num) > 12 {
		return 0, false, fmt.Errorf("%s is absurd", quote(text))
	}
	if unit == "byte" || unit == "bytes" {
		if !isDigits(num) || len(num) > 1 && num[0] == '0' {
			return 0, false, bad
		}
		v, _ := strconv.ParseInt(num, 10, 64)
		if (v == 1) != (unit == "byte") || v >= 1<<10 {
			return 0, false, bad
		}
		return v, false, nil
	}
	if !isOneDecimal(num) {
		return 0, false, bad
	}
	for _, u := range sizeUnits {
		if unit != u.name {
			continue
		}
		// num is d+.d: count in tenths, in integers, so nothing rounds.
		tenths, err := strconv.ParseInt(strings.Replace(num, ".", "", 1), 10, 64)
		if err != nil {
			return 0, false, bad
		}
		unit := int64(1) << u.shift
		if tenths > MaxArtifactSize*10/unit+1 {
			return 0, false, fmt.Errorf("%s is absurd", quote(text))
		}
		min := max((tenths*unit-unit/2)/10, 0)
		if min > MaxArtifactSize {
			return 0, false, fmt.Errorf("%s is absurd", quote(text))
		}
		return min, false, nil
	}
	return 0, false, bad
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isOneDecimal reports whether s is digits, a dot and one digit ("25.9").
func isOneDecimal(s string) bool {
	i := strings.IndexByte(s, '.')
	return i > 0 && isDigits(s[:i]) && len(s) == i+2 && isDigits(s[i+1:]) && (i == 1 || s[0] != '0')
}

// SizeTextMax returns the largest number of bytes a size as a page shows it
// can stand for: the number itself for exact sizes, and for a human size
// such as "25.9 MB" the top of the range that rounds to it. Downloads use
// it as a cap when python.org gives no exact size. ok is false for text
// that is not a size.
func SizeTextMax(text string) (n int64, ok bool) {
	n, exact, err := parseSizeText(text)
	if err != nil {
		return 0, false
	}
	if exact {
		return n, true
	}
	num, unit, found := strings.Cut(strings.ReplaceAll(text, nbsp, " "), " ")
	if !found || unit == "byte" || unit == "bytes" {
		return n, true
	}
	v, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, false
	}
	for _, u := range sizeUnits {
		if u.name == unit {
			return int64(math.Floor((v + 0.05) * float64(int64(1)<<u.shift))), true
		}
	}
	return 0, false
}
