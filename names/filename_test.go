package names

import "testing"

func TestVersionFromFileName(t *testing.T) {
	for name, want := range map[string]string{
		"Python-3.12.0rc2.tgz":                       "3.12.0rc2",
		"Python-3.14.0a2.tar.xz":                     "3.14.0a2",
		"python-3.14.0a2-amd64.exe":                  "3.14.0a2",
		"python-3.12.0rc2.exe":                       "3.12.0rc2",
		"python-2.7.18.amd64.msi":                    "2.7.18",
		"python-2.7.18.msi":                          "2.7.18",
		"windows-3.14.1.json":                        "3.14.1",
		"python-3.10.0b4-macos11.pkg":                "3.10.0b4",
		"Python-3.3.tgz":                             "3.3",
		"python-3.14.0-aarch64-linux-android.tar.gz": "3.14.0",
		"python-3.12.0-embed-amd64.zip":              "3.12.0",
	} {
		v, err := VersionFromFileName(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if v.String() != want {
			t.Errorf("%s: got %s, want %s", name, v, want)
		}
	}
	for _, name := range []string{"python3120.chm", "README", "Python-.tgz", "python-3.tgz", "python-3.12.0x1.tgz", "Python-03.12.0.tgz"} {
		if v, err := VersionFromFileName(name); err == nil {
			t.Errorf("%s: got %s, want an error", name, v)
		}
	}
}
