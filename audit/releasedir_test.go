package audit

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// python.org's amd64/, win32/ and arm64/ subfolders hold the MSI parts of
// the Windows web installers, named without a version (core.msi,
// core_d.msi, …): they take their release directory's version and are
// judged by the policy, never reported as files of another release.
func TestInstallerPartsInSubfoldersAreNotWrongRelease(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	p := func(s string) string { return filepath.Join(root, filepath.FromSlash(s)) }
	os.Mkdir(p("3.12.4/amd64"), 0o755)
	os.Mkdir(p("3.12.4/win32"), 0o755)
	copyFile(t, p("3.12.4/python-3.12.4-amd64.exe"), p("3.12.4/amd64/core.msi")) // no signature: unsigned
	for _, s := range []string{"", ".asc", ".sigstore"} {
		// The bytes its signatures sign: a signed part verifies.
		copyFile(t, p("3.12.4/python-3.12.4-amd64.exe"+s), p("3.12.4/win32/core_d.msi"+s))
	}
	rep := runWithin(t, ft.options(root))
	wantProblems(t, rep, "unsigned 3.12.4/amd64/core.msi")
	if e := entry(t, rep, "3.12.4/amd64/core.msi"); e.Version != "3.12.4" || e.Class != "windows" {
		t.Errorf("core.msi: version %q, class %q, want its directory's 3.12.4, windows", e.Version, e.Class)
	}
	if e := entry(t, rep, "3.12.4/win32/core_d.msi"); !e.OK {
		t.Errorf("a signed MSI part: %+v", e.Problems)
	}
}

// A file whose name carries another release than its directory's is
// verified as the directory's release, and its name fails the release
// check, in the directory itself or in a subfolder.
func TestOtherReleaseInReleaseDirIsWrongRelease(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	p := func(s string) string { return filepath.Join(root, filepath.FromSlash(s)) }
	os.Mkdir(p("3.12.4/amd64"), 0o755)
	for _, s := range []string{"", ".asc"} {
		copyFile(t, p("3.6.15/python-3.6.15-amd64.exe"+s), p("3.12.4/python-3.6.15-amd64.exe"+s))
		copyFile(t, p("3.6.15/python-3.6.15-amd64.exe"+s), p("3.12.4/amd64/python-3.6.15-amd64.exe"+s))
	}
	rep := runWithin(t, ft.options(root))
	for _, path := range []string{"3.12.4/python-3.6.15-amd64.exe", "3.12.4/amd64/python-3.6.15-amd64.exe"} {
		e := entry(t, rep, path)
		i := slices.IndexFunc(e.Problems, func(p Problem) bool { return p.Kind == WrongRelease })
		if i < 0 {
			t.Errorf("%s: %+v, want a wrong-release problem", path, e.Problems)
			continue
		}
		if d := e.Problems[i].Detail; !strings.Contains(d, "python-3.6.15-amd64.exe is a file of 3.6.15, not of 3.12.4") {
			t.Errorf("%s: wrong-release detail %q", path, d)
		}
		if e.Version != "3.12.4" {
			t.Errorf("%s: verified as %s, want its directory's 3.12.4", path, e.Version)
		}
	}
}

// A shard whose entry's problems were deleted while its checks still fail
// it is refused, naming the entry: the checks decide, not the verdict.
func TestMergeRefusesEntryWhoseChecksFailIt(t *testing.T) {
	shards, digestShard := tamperedShards(t, 2)
	if _, err := Merge(shards...); err != nil {
		t.Fatalf("honest shards: %v", err)
	}
	forged := *shards[digestShard]
	forged.OK = true
	forged.Summary = Counts{}
	forged.Releases = slices.Clone(forged.Releases)
	for i := range forged.Releases {
		forged.Releases[i].Counts = Counts{Artifacts: forged.Releases[i].Artifacts}
	}
	forged.Entries = slices.Clone(forged.Entries)
	const path = "3.14.1/python-3.14.1-amd64.exe"
	for i := range forged.Entries {
		if e := &forged.Entries[i]; e.Path == path {
			e.OK, e.Problems = true, nil
		}
	}
	in := slices.Clone(shards)
	in[digestShard] = &forged
	merged, err := Merge(in...)
	if err == nil {
		t.Fatalf("merged a shard whose failing entry lists no problem: ok %t, %v", merged.OK, merged.Summary.Problems)
	}
	want := "audit: merge: report " + string(rune('1'+digestShard)) + " (shard " + forged.Shard + "): entry " + path + ": its checks give a digest problem it does not list (sigstore fails it)"
	if err.Error() != want {
		t.Errorf("error:\n  got  %s\n  want %s", err, want)
	}
	if !errors.Is(err, ErrInconsistent) {
		t.Errorf("error %v is not ErrInconsistent", err)
	}

	// Another problem in place of the one the checks give is refused too.
	for i := range forged.Entries {
		if e := &forged.Entries[i]; e.Path == path {
			e.OK, e.Problems = false, []Problem{{Kind: Extra, Path: path, Detail: "not in python.org's listing of 3.14.1"}}
		}
	}
	if _, err := Merge(in...); err == nil || err.Error() != want {
		t.Errorf("a substituted problem: %v", err)
	}
}

// An entry claiming to verify whose checks do not (no signature passed,
// by the report package's rule) is refused.
func TestMergeRefusesOKEntryWithoutPassingSignature(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	shards := make([]*Report, 2)
	for i := range shards {
		opt := ft.options(root)
		opt.Shard = Shard{i + 1, 2}
		shards[i] = runWithin(t, opt)
	}
	r := *shards[0]
	r.Entries = slices.Clone(r.Entries)
	e := &r.Entries[0]
	e.Checks = slices.Clone(e.Checks)
	for i := range e.Checks {
		if c := &e.Checks[i]; c.Kind == "openpgp" || c.Kind == "sigstore" {
			c.Status, c.Required = "skipped", false
		}
	}
	_, err := Merge(&r, shards[1])
	if err == nil || !strings.Contains(err.Error(), "entry "+e.Path+": no signature check verifies it, yet it lists no problem") {
		t.Errorf("an ok entry whose signatures were skipped: %v", err)
	}
}
