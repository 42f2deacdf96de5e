package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	for in, want := range map[string]string{
		"plain":               "plain",
		"with spaces":         "with spaces",
		`quotes "and" \slash`: `quotes "and" \slash`,
		"a\x1b[0mb":           `a\x1b[0mb`,
		"line\nbreak":         `line\nbreak`,
		"bad\xffutf8":         `bad\xffutf8`,
		"real \ufffd kept":    "real \ufffd kept",
		"ünïcode":             "ünïcode",
		"\u202eright-to-lf":   `\u202eright-to-lf`,
		"nbsp\u00a0here":      `nbsp\u00a0here`,
		"":                    "",
	} {
		if got := Line(in); got != want {
			t.Errorf("Line(%q) = %q, want %q", in, got, want)
		}
	}
	long := Line(strings.Repeat("é", 1000))
	if len(long) > LineMax+len("é")+len("…") || !strings.HasSuffix(long, "…") || !utf8.ValidString(long) {
		t.Errorf("long text not cut cleanly: %d bytes", len(long))
	}
}

func TestQuoteWordURL(t *testing.T) {
	for _, tc := range []struct{ fn, in, want string }{
		{"Quote", "abc", `"abc"`},
		{"Quote", "a\u202eb", `"a\u202eb"`},
		{"Quote", strings.Repeat("x", 200), `"` + strings.Repeat("x", ValueMax) + `"…`},
		{"Word", "Python-3.12.4.tgz", "Python-3.12.4.tgz"},
		{"Word", "two words", `"two words"`},
		{"Word", "", `""`},
		{"Word", "zwj\u200d", `"zwj\u200d"`},
		{"URL", "https://www.python.org/ftp/", "https://www.python.org/ftp/"},
		{"URL", "https://pythön.org/", `"https://pyth\u00f6n.org/"`},
		{"URL", "", `""`},
	} {
		var got string
		switch tc.fn {
		case "Quote":
			got = Quote(tc.in)
		case "Word":
			got = Word(tc.in)
		case "URL":
			got = URL(tc.in)
		}
		if got != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.fn, tc.in, got, tc.want)
		}
	}
}

func TestCut(t *testing.T) {
	if got := Cut("short", 10); got != "short" {
		t.Errorf("Cut kept %q", got)
	}
	if got := Cut("ééé", 3); got != "é…" {
		t.Errorf("Cut(ééé, 3) = %q, want \"é…\"", got)
	}
}

// FuzzLine checks that Line's output is one line of printable, valid UTF-8.
func FuzzLine(f *testing.F) {
	for _, s := range []string{"plain", "a\x1b[31mred", "bad\xff", "\u202e", "\r\n", strings.Repeat("é", 400)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Line(s), Quote(s), Word(s), URL(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("invalid UTF-8 out of %q: %q", s, out)
			}
			for _, r := range out {
				if r < ' ' || r == 0x7f || r == '\u2028' || r == '\u2029' || (r >= 0x80 && r < 0xa0) || r == '\u202e' {
					t.Fatalf("unescaped %U out of %q: %q", r, s, out)
				}
			}
		}
	})
}
