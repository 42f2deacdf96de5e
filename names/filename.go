package names

import (
	"fmt"
	"strings"
)

// VersionFromFileName returns the release version written in a python.org
// release file name, such as Python-3.12.0rc2.tgz, python-3.14.0a2-amd64.exe,
// python-2.7.18.amd64.msi or windows-3.14.1.json. Names that carry no full
// version (python3120.chm) are an error: the caller must supply the version.
func VersionFromFileName(name string) (Version, error) {
	lower := strings.ToLower(name)
	var rest string
	for _, p := range []string{"python-", "windows-"} {
		if strings.HasPrefix(lower, p) {
			rest = name[len(p):]
			break
		}
	}
	if rest == "" {
		return Version{}, fmt.Errorf("%s: no release version in the file name", name)
	}
	tag := scanTag(rest)
	if tag == "" {
		return Version{}, fmt.Errorf("%s: no release version in the file name", name)
	}
	if next := rest[len(tag):]; next != "" && next[0] != '.' && next[0] != '-' {
		return Version{}, fmt.Errorf("%s: no release version in the file name", name)
	}
	v, err := ParseVersion(tag)
	if err != nil {
		return Version{}, fmt.Errorf("%s: %w", name, err)
	}
	return v, nil
}

// scanTag returns the longest prefix of s shaped like a release tag:
// N.N[.N] followed by an optional aN, bN or rcN.
func scanTag(s string) string {
	i, parts := 0, 0
	for parts < 3 {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			break
		}
		parts++
		i = j
		if parts < 3 && i+1 < len(s) && s[i] == '.' && s[i+1] >= '0' && s[i+1] <= '9' {
			i++
			continue
		}
		break
	}
	if parts < 2 {
		return ""
	}
	for _, pre := range []string{"rc", "a", "b"} {
		if strings.HasPrefix(s[i:], pre) {
			j := i + len(pre)
			k := j
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
			if k > j {
				return s[:k]
			}
		}
	}
	return s[:i]
}
