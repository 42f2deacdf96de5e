package names

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

var versionTags = []struct {
	tag                 string
	major, minor, patch int
	hasPatch            bool
	pre                 string
	preNum              int
}{
	{"3.12.0", 3, 12, 0, true, "", 0},
	{"3.14.0a2", 3, 14, 0, true, "a", 2},
	{"3.12.0rc2", 3, 12, 0, true, "rc", 2},
	{"3.10.0b4", 3, 10, 0, true, "b", 4},
	{"2.7.18", 2, 7, 18, true, "", 0},
	{"3.3", 3, 3, 0, false, "", 0},
	{"2.5.5", 2, 5, 5, true, "", 0},
	{"3.3.3", 3, 3, 3, true, "", 0},
	{"3.15.0a10", 3, 15, 0, true, "a", 10},
	{"1.6", 1, 6, 0, false, "", 0},
}

func TestParseVersionRoundTrip(t *testing.T) {
	for _, tt := range versionTags {
		v, err := ParseVersion(tt.tag)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tt.tag, err)
			continue
		}
		want := Version{tt.major, tt.minor, tt.patch, tt.hasPatch, tt.pre, tt.preNum}
		if v != want {
			t.Errorf("ParseVersion(%q) = %+v, want %+v", tt.tag, v, want)
		}
		if s := v.String(); s != tt.tag {
			t.Errorf("ParseVersion(%q).String() = %q", tt.tag, s)
		}
		if v.IsPrerelease() != (tt.pre != "") {
			t.Errorf("%s: IsPrerelease = %v", tt.tag, v.IsPrerelease())
		}
		if v.IsZero() {
			t.Errorf("%s: IsZero", tt.tag)
		}
	}
	if !(Version{}).IsZero() {
		t.Error("the zero Version is not IsZero")
	}
}

func TestVersionOrder(t *testing.T) {
	chain := []string{"2.5.5", "2.7.18", "3.3", "3.3.3", "3.10.0b4", "3.12.0rc2", "3.12.0",
		"3.14.0a2", "3.14.0a10", "3.14.0b1", "3.14.0rc1", "3.14.0", "3.14.1", "3.15.0a1"}
	for i := range chain {
		for j := range chain {
			a, b := MustParseVersion(chain[i]), MustParseVersion(chain[j])
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := a.Compare(b); got != want {
				t.Errorf("%s.Compare(%s) = %d, want %d", a, b, got, want)
			}
			if a.Less(b) != (want < 0) {
				t.Errorf("%s.Less(%s) = %v", a, b, a.Less(b))
			}
		}
	}
	if c := MustParseVersion("3.3").Compare(MustParseVersion("3.3.0")); c != 0 {
		t.Errorf("3.3 vs 3.3.0: %d, want 0", c)
	}
}

func TestVersionNames(t *testing.T) {
	tests := []struct{ tag, series, ftp, slug string }{
		{"3.14.0a2", "3.14", "3.14.0", "python-3140a2"},
		{"3.12.0rc2", "3.12", "3.12.0", "python-3120rc2"},
		{"3.12.0", "3.12", "3.12.0", "python-3120"},
		{"3.14.4", "3.14", "3.14.4", "python-3144"},
		{"2.7.18", "2.7", "2.7.18", "python-2718"},
		{"3.3", "3.3", "3.3", "python-33"},
		{"3.10.0b4", "3.10", "3.10.0", "python-3100b4"},
	}
	for _, tt := range tests {
		v := MustParseVersion(tt.tag)
		if got := v.Series(); got != tt.series {
			t.Errorf("%s.Series() = %q, want %q", tt.tag, got, tt.series)
		}
		if got := v.FTPDir(); got != tt.ftp {
			t.Errorf("%s.FTPDir() = %q, want %q", tt.tag, got, tt.ftp)
		}
		if got := v.Slug(); got != tt.slug {
			t.Errorf("%s.Slug() = %q, want %q", tt.tag, got, tt.slug)
		}
	}
}

var invalidVersions = []string{
	"", "3", "v3.12.0", "3.12.0.1", "3.12.0c1", "3.12.0a0", "03.1", "3.12.0 ", " 3.12.0",
	"3.12.0-rc1", "3.12.0rc", "3.12.0a", "3.12.0rc01", "3.012.0", "3.12.00", "0.1", "3.", ".3", "3..1",
	"3.12.0ab1", "3.12.0arc1", "rc1", "a1", "3.x", "3.12.0\n", "3.12.0\x00", "３.12.0", "+3.12.0", "-3.12.0",
	"3.12.99999999999999999999", "99999999999999999999.1", "3.1000.0", "3.12.0rc1000", "1000.0",
	"3.12.0a99999999999999999999999999999", strings.Repeat("1", 40) + ".1",
}

func TestParseVersionInvalid(t *testing.T) {
	for _, s := range invalidVersions {
		v, err := ParseVersion(s)
		if !errors.Is(err, ErrInvalidVersion) {
			t.Errorf("ParseVersion(%q) = %v, %v; want ErrInvalidVersion", s, v, err)
		}
		if err != nil && !strings.Contains(err.Error(), "is not a CPython version") && !strings.HasPrefix(err.Error(), "the version is empty") {
			t.Errorf("ParseVersion(%q): error %q does not say what failed", s, err)
		}
	}
}

// TestParseVersionMessages pins the wording people see: the tag, that it
// is not a CPython version, a detail only where the tag looks like an
// attempt at one, and examples.
func TestParseVersionMessages(t *testing.T) {
	const ex = " (want e.g. 3.12.4, 3.14.0rc1)"
	for tag, want := range map[string]string{
		"notaversion":  `"notaversion" is not a CPython version` + ex,
		"":             `the version is empty` + ex,
		"3.12.4rc":     `"3.12.4rc" is not a CPython version: rc needs a number, such as rc1` + ex,
		"3.12.4rc0":    `"3.12.4rc0" is not a CPython version: pre-release numbers start at 1 (rc1)` + ex,
		"3.12.4rcx":    `"3.12.4rcx" is not a CPython version: "x" is not a number after "rc"` + ex,
		"v3.13.1":      `"v3.13.1" is not a CPython version: drop the leading "v"` + ex,
		"3.12.04":      `"3.12.04" is not a CPython version: "04" has a leading zero` + ex,
		"3.12.4.1":     `"3.12.4.1" is not a CPython version: more than three numbers` + ex,
		"3":            `"3" is not a CPython version: want MAJOR.MINOR or MAJOR.MINOR.PATCH` + ex,
		"3.1000":       `"3.1000" is not a CPython version: "1000" is out of range (at most 999)` + ex,
		"0.1":          `"0.1" is not a CPython version: the major version is at least 1` + ex,
		"3.12.0\x1b[m": `"3.12.0\x1b[m" is not a CPython version: "0\x1b[m" is not a number` + ex,
		"3.12.0\n":     `"3.12.0\n" is not a CPython version: "0\n" is not a number` + ex,
	} {
		_, err := ParseVersion(tag)
		if err == nil || err.Error() != want {
			t.Errorf("ParseVersion(%q) error:\n got %v\nwant %s", tag, err, want)
		}
	}
}

func TestMustParseVersionPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseVersion(\"x\") did not panic")
		}
	}()
	MustParseVersion("x")
}

func TestVersionJSON(t *testing.T) {
	type doc struct {
		V Version `json:"v"`
	}
	b, err := json.Marshal(doc{MustParseVersion("3.14.0a2")})
	if err != nil || string(b) != `{"v":"3.14.0a2"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil || d.V != MustParseVersion("3.14.0a2") {
		t.Fatalf("Unmarshal = %+v, %v", d, err)
	}
	if err := json.Unmarshal([]byte(`{"v":"v3.14"}`), &d); !errors.Is(err, ErrInvalidVersion) {
		t.Fatalf("Unmarshal of a bad tag: %v, want ErrInvalidVersion", err)
	}
}

// FuzzParseVersion checks that every tag ParseVersion accepts prints back
// as itself and parses to the same Version.
func FuzzParseVersion(f *testing.F) {
	for _, tt := range versionTags {
		f.Add(tt.tag)
	}
	for _, s := range invalidVersions {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidVersion) {
				t.Fatalf("ParseVersion(%q): %v does not wrap ErrInvalidVersion", s, err)
			}
			return
		}
		if v.String() != s {
			t.Fatalf("ParseVersion(%q).String() = %q", s, v.String())
		}
		w, err := ParseVersion(v.String())
		if err != nil || w != v {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", s, w, err, v)
		}
		if v.Compare(w) != 0 || v.IsZero() {
			t.Fatalf("%q: Compare with itself %d, IsZero %v", s, v.Compare(w), v.IsZero())
		}
	})
}
