package names

import (
	"errors"
	"testing"
)

func TestCheckReleaseName(t *testing.T) {
	good := map[string][]string{
		"3.12.0rc2": {"Python-3.12.0rc2.tgz", "Python-3.12.0rc2.tar.xz", "python-3.12.0rc2-embed-win32.zip",
			"python-3.12.0rc2-amd64.exe", "python-3.12.0rc2.exe", "python-3.12.0rc2-arm64.exe", "python-3.12.0rc2-macos11.pkg"},
		"3.14.1": {"windows-3.14.1.json", "python-3.14.1-aarch64-linux-android.tar.gz", "python-3.14.1-amd64.zip"},
		"3.3.3":  {"Python-3.3.3.tar.bz2", "python-3.3.3.amd64.msi", "python-3.3.3-pdb.zip", "python333.chm", "python-3.3.3-macosx10.6.dmg", "python-3.3.3.amd64-pdb.zip"},
		"3.3":    {"Python-3.3.tgz"},
		"2.7.18": {"python-2.7.18.amd64.msi", "python-2.7.18-macosx10.9.pkg"},
	}
	for v, list := range good {
		for _, name := range list {
			if err := CheckReleaseName(name, MustParseVersion(v)); err != nil {
				t.Errorf("CheckReleaseName(%q, %s) = %v", name, v, err)
			}
		}
	}
	for _, tc := range []struct{ name, v, err string }{
		{"Python-3.11.2.tgz", "3.11.4", "Python-3.11.2.tgz is a file of 3.11.2, not of 3.11.4"},
		{"Python-3.10.9.tgz", "3.11.4", "Python-3.10.9.tgz is a file of 3.10.9, not of 3.11.4"},
		{"Python-3.12.0rc2.tgz", "3.12.0", "Python-3.12.0rc2.tgz is a file of 3.12.0rc2, not of 3.12.0"},
		{".bashrc", "3.14.1", `.bashrc is not a name python.org gives a file of 3.14.1`},
		{"Python-3.14.1.sh", "3.14.1", "Python-3.14.1.sh is not a name python.org gives a file of 3.14.1"},
		{"evil-3.14.1.tgz", "3.14.1", "evil-3.14.1.tgz is not a name python.org gives a file of 3.14.1"},
		{"windows-3.14.1.zip", "3.14.1", "windows-3.14.1.zip is not a name python.org gives a file of 3.14.1"},
		{"python.tar.xz", "3.13.5", "python.tar.xz is not a name python.org gives a file of 3.13.5"},
		{"python3120.chm", "3.12.1", "python3120.chm is not a name python.org gives a file of 3.12.1"},
	} {
		err := CheckReleaseName(tc.name, MustParseVersion(tc.v))
		var re *ReleaseNameError
		if !errors.As(err, &re) || err.Error() != tc.err {
			t.Errorf("CheckReleaseName(%q, %s) = %v, want %q", tc.name, tc.v, err, tc.err)
		}
	}
}

func TestCheckReleasePath(t *testing.T) {
	v := MustParseVersion("3.12.4")
	for _, tc := range []struct{ folder, name string }{
		{"amd64", "core.msi"}, {"win32", "core_d.msi"}, {"arm64", "tcltk_pdb.msi"}, {"amd64", "exe.msi"},
		{"", "Python-3.12.4.tgz"}, {"amd64", "python-3.12.4-amd64.exe"},
	} {
		if err := CheckReleasePath(tc.folder, tc.name, v); err != nil {
			t.Errorf("CheckReleasePath(%q, %q, 3.12.4) = %v", tc.folder, tc.name, err)
		}
	}
	for _, tc := range []struct{ folder, name, err string }{
		{"", "core.msi", "core.msi is not a name python.org gives a file of 3.12.4"},
		{"x86", "core.msi", "core.msi is not a name python.org gives a file of 3.12.4"},
		{"amd64/extra", "core.msi", "core.msi is not a name python.org gives a file of 3.12.4"},
		{"amd64", "core.exe", "core.exe is not a name python.org gives a file of 3.12.4"},
		{"amd64", "Core.MSI", "Core.MSI is not a name python.org gives a file of 3.12.4"},
		{"amd64", ".bashrc", ".bashrc is not a name python.org gives a file of 3.12.4"},
		{"amd64", "python-3.6.15-amd64.exe", "python-3.6.15-amd64.exe is a file of 3.6.15, not of 3.12.4"},
		{"win32", "python-3.11.2.amd64.msi", "python-3.11.2.amd64.msi is a file of 3.11.2, not of 3.12.4"},
	} {
		err := CheckReleasePath(tc.folder, tc.name, v)
		var re *ReleaseNameError
		if !errors.As(err, &re) || err.Error() != tc.err {
			t.Errorf("CheckReleasePath(%q, %q, 3.12.4) = %v, want %q", tc.folder, tc.name, err, tc.err)
		}
	}
}
