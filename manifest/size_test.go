package manifest

import (
	"strings"
	"testing"
)

// humanSizes were computed with Django's filesizeformat algorithm in Python
// (round(x, 1), one decimal), independently of this package.
var humanSizes = []struct {
	n    int64
	text string
}{
	{0, "0 bytes"},
	{1, "1 byte"},
	{2, "2 bytes"},
	{1023, "1023 bytes"},
	{1024, "1.0 KB"},
	{1075, "1.0 KB"},
	{1076, "1.1 KB"},
	{1126, "1.1 KB"},
	{1127, "1.1 KB"},
	{1152, "1.1 KB"},
	{1153, "1.1 KB"},
	{1331, "1.3 KB"},
	{1332, "1.3 KB"},
	{10188, "9.9 KB"},
	{14907, "14.6 KB"},
	{1048575, "1024.0 KB"},
	{1048576, "1.0 MB"},
	{1101004, "1.0 MB"},
	{1101005, "1.1 MB"},
	{27174203, "25.9 MB"},
	{20563748, "19.6 MB"},
	{45329704, "43.2 MB"},
	{29471990, "28.1 MB"},
	{22696948, "21.6 MB"},
	{71332181, "68.0 MB"},
	{9723665, "9.3 MB"},
	{1073741823, "1024.0 MB"},
	{1073741824, "1.0 GB"},
	{17179869184, "16.0 GB"},
	{1099511627781, "1.0 TB"},
	{1125899906842624, "1.0 PB"},
	{1280, "1.2 KB"}, // ties round half to even
	{1792, "1.8 KB"},
	{2304, "2.2 KB"},
	{2816, "2.8 KB"},
}

func TestHumanSize(t *testing.T) {
	for _, tt := range humanSizes {
		want := strings.Replace(tt.text, " ", nbsp, 1)
		if got := HumanSize(tt.n); got != want {
			t.Errorf("HumanSize(%d) = %q, want %q", tt.n, got, want)
		}
		for _, text := range []string{tt.text, want} {
			if !SizeTextMatches(text, tt.n) {
				t.Errorf("SizeTextMatches(%q, %d) = false", text, tt.n)
			}
		}
	}
	if got := HumanSize(-1); got != "" {
		t.Errorf("HumanSize(-1) = %q, want \"\"", got)
	}
}

func TestSizeTextMatches(t *testing.T) {
	tests := []struct {
		text string
		n    int64
		want bool
	}{
		{"27174203", 27174203, true},
		{"27174203", 27174204, false},
		{"027174203", 27174203, false},
		{"25.9 MB", 27174203, true},
		{"25.9\u00a0MB", 27174203, true},
		{"25.9 MB", 28174203, false},
		{"25.9  MB", 27174203, false},
		{"25.9 mb", 27174203, false},
		{"25.9 MiB", 27174203, false},
		{"26 MB", 27174203, false},
		{"1.0 KB", 1075, true},
		{"1.1 KB", 1075, false},
		{"1 bytes", 1, false},
		{"1 byte", 1, true},
		{"", 0, false},
		{"0", 0, true},
		{"-1", -1, false},
	}
	for _, tt := range tests {
		if got := SizeTextMatches(tt.text, tt.n); got != tt.want {
			t.Errorf("SizeTextMatches(%q, %d) = %v, want %v", tt.text, tt.n, got, tt.want)
		}
	}
}

func TestParseSizeText(t *testing.T) {
	good := []struct {
		text  string
		exact bool
		n     int64
	}{
		{"27174203", true, 27174203},
		{"0", true, 0},
		{"25.9 MB", false, 27105689},
		{"25.9\u00a0MB", false, 27105689},
		{"512 bytes", false, 512},
		{"1 byte", false, 1},
		{"16.0 GB", false, 17126182092},
	}
	for _, tt := range good {
		n, exact, err := parseSizeText(tt.text)
		if err != nil || exact != tt.exact || n != tt.n {
			t.Errorf("parseSizeText(%q) = %d, %v, %v; want %d, %v", tt.text, n, exact, err, tt.n, tt.exact)
		}
	}
	bad := []string{"", "-1", "01", "25,9 MB", "25.9MB", "25.95 MB", "25 MB", ".9 MB", "05.9 MB",
		"1 bytes", "2 byte", "1024 bytes", "25.9 XB", "99999999999999", "17.0 GB", "1.0 TB", "9999999999999.9 PB",
		"25.9 MB extra", "n/a", "25.9\tMB"}
	for _, s := range bad {
		if n, exact, err := parseSizeText(s); err == nil {
			t.Errorf("parseSizeText(%q) = %d, %v; want an error", s, n, exact)
		}
	}
}

func TestSizeTextMax(t *testing.T) {
	for text, want := range map[string]int64{
		"27174203":     27174203,
		"25.9\u00a0MB": 27210547, // just under 25.95 MiB
		"25.9 MB":      27210547,
		"1.0 KB":       1075,
		"512 bytes":    512,
		"1 byte":       1,
	} {
		got, ok := SizeTextMax(text)
		if !ok || got != want {
			t.Errorf("SizeTextMax(%q) = %d, %v; want %d", text, got, ok, want)
		}
		if ok && !SizeTextMatches(text, got) && SizeTextMatches(text, 27174203) {
			t.Errorf("SizeTextMax(%q) = %d is outside the range of the text", text, got)
		}
	}
	for _, text := range []string{"", "n/a", "25.9 XB", "-1", "25.95 MB"} {
		if got, ok := SizeTextMax(text); ok {
			t.Errorf("SizeTextMax(%q) = %d, want not ok", text, got)
		}
	}
}
