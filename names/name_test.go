package names

import (
	"errors"
	"strings"
	"testing"
)

func TestCheckFileName(t *testing.T) {
	for _, tt := range []struct {
		name string
		want NameProblem
	}{
		{"Python-3.12.4.tgz", 0},
		{"python-3.14.0a2-amd64.exe", 0},
		{"python.3.14.0.nupkg", 0},
		{"a name with spaces.txt", 0},
		{"", NameEmpty},
		{strings.Repeat("a", 256), NameTooLong},
		{"Python-3.12.4\xff.tgz", NameNotUTF8},
		{"dl/Python-3.12.4.tgz", NameSeparator},
		{`dl\Python-3.12.4.tgz`, NameSeparator},
		{"../Python-3.12.4.tgz", NameSeparator},
		{".", NameDots},
		{"..", NameDots},
		{"Python-3.12.4..tgz", NameDots},
		{".Python-3.12.4.tgz", NameLeadingDot},
		{"Python-3.12.4\u200b.tgz", NameControl},
		{"Python-3.12.4\u202e.tgz", NameControl},
		{"Python-3.12.4\n.tgz", NameControl},
		{"Python-3.12.4\x1b.tgz", NameControl},
		{"Python-3.12.4\ufffd.tgz", NameControl},
		{"Python-3.12.4\u00a0.tgz", NameSpace},
		{" Python-3.12.4.tgz", NameSpace},
		{"Python-3.12.4.tgz ", NameSpace},
	} {
		err := CheckFileName(tt.name)
		var fe *FileNameError
		switch {
		case tt.want == 0 && err != nil:
			t.Errorf("CheckFileName(%q) = %v, want nil", tt.name, err)
		case tt.want != 0 && !errors.As(err, &fe):
			t.Errorf("CheckFileName(%q) = %v, want a *FileNameError", tt.name, err)
		case tt.want != 0 && fe.Problem != tt.want:
			t.Errorf("CheckFileName(%q): problem %d (%v), want %d", tt.name, fe.Problem, err, tt.want)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\n\x1b\u200b\u202e") {
			t.Errorf("CheckFileName(%q): error carries raw control characters: %q", tt.name, err)
		}
	}
}

func TestFileNameErrorMessages(t *testing.T) {
	for name, want := range map[string]string{
		"":                        "empty file name",
		"a/b":                     `file name "a/b" contains a path separator`,
		"Python-3.12.4..tgz":      `file name "Python-3.12.4..tgz" contains ".."`,
		"Python-3.12.4\u200b.tgz": `file name "Python-3.12.4\u200b.tgz" contains a control character`,
	} {
		if err := CheckFileName(name); err == nil || err.Error() != want {
			t.Errorf("CheckFileName(%q) = %v, want %s", name, err, want)
		}
	}
}

func TestReleaseFile(t *testing.T) {
	v := MustParseVersion("3.12.0")
	for _, tt := range []struct {
		name  string
		v     Version
		class Class
		ok    bool
	}{
		{"Python-3.12.0.tgz", v, ClassSource, true},
		{"python-3.12.0-amd64.exe", v, ClassWindows, true},
		{"python3120.chm", v, ClassDocs, true},
		{"windows-3.12.0.json", v, ClassWindowsManifest, true},
		{"Python-3.12.0rc2.tgz", v, "", false},
		{"Python-3.12.1.tgz", v, "", false},
		{"python3121.chm", v, "", false},
		{"Python-3.12.0\u200b.tgz", v, "", false},
		{"README.txt", v, "", false},
		{"Python-3.14.0a2.tgz", MustParseVersion("3.14.0a2"), ClassSource, true},
		{"python-2.7.18.amd64.msi", MustParseVersion("2.7.18"), ClassWindows, true},
	} {
		c, ok := ReleaseFile(tt.name, tt.v)
		if c != tt.class || ok != tt.ok {
			t.Errorf("ReleaseFile(%q, %s) = %q, %v, want %q, %v", tt.name, tt.v, c, ok, tt.class, tt.ok)
		}
	}
}

func FuzzCheckFileName(f *testing.F) {
	for _, s := range []string{"Python-3.12.4.tgz", "a/b", "..", "x\u200by", " a", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if CheckFileName(s) != nil {
			return
		}
		if strings.ContainsAny(s, `/\`) || strings.Contains(s, "..") || s[0] == '.' {
			t.Fatalf("CheckFileName(%q) accepted a name with a path in it", s)
		}
	})
}

func TestHex(t *testing.T) {
	if !IsHex("aBc0", 4) || IsHex("abc", 4) || IsHex("abcg", 4) {
		t.Error("IsHex")
	}
	if CheckDigest("", 32) != nil || CheckDigest(strings.Repeat("a", 32), 32) != nil {
		t.Error("CheckDigest rejected a good digest")
	}
	if err := CheckDigest(strings.Repeat("A", 32), 32); err == nil || !strings.Contains(err.Error(), "not lower-case hex") {
		t.Errorf("CheckDigest(upper) = %v", err)
	}
	if err := CheckDigest("abc", 32); err == nil || err.Error() != `"abc" has 3 characters, want 32 hex digits` {
		t.Errorf("CheckDigest(short) = %v", err)
	}
}
