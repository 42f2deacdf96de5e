package audit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyverify/pyverify/manifest"
)

func TestCleanMirror(t *testing.T) {
	ft := loadFixtureTrust(t)
	rep, st := mustRun(t, ft.options(copyMirror(t)))
	if !rep.OK || len(problems(rep)) != 0 {
		t.Fatalf("problems in the fixture mirror: %v", problems(rep))
	}
	if rep.Summary.Artifacts != 15 || rep.Summary.OK != 15 || rep.Summary.Files != 40 {
		t.Errorf("summary %+v, want 15 artifacts, 15 ok, 40 files", rep.Summary)
	}
	if st.Hashed != 15 || st.Reused != 0 {
		t.Errorf("stats %+v, want 15 hashed", st)
	}
	for _, e := range rep.Entries {
		if e.SHA256 == "" || e.Size == 0 || len(e.Checks) == 0 {
			t.Errorf("%s: digests or checks not recorded: %+v", e.Path, e)
		}
	}
}

func TestProblemKindsWithoutListing(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	p := func(s string) string { return filepath.Join(root, filepath.FromSlash(s)) }
	flipByte(t, p("3.14.1/python-3.14.1-amd64.exe"))                                     // digest (the bundle signs another digest)
	flipByte(t, p("3.12.4/Python-3.12.4.tgz.sigstore"))                                  // bad-signature (a damaged bundle)
	copyFile(t, p("3.6.15/Python-3.6.15.tar.xz.asc"), p("3.6.15/Python-3.6.15.tgz.asc")) // bad-signature
	os.Remove(p("3.6.15/python-3.6.15-amd64.exe.asc"))                                   // unsigned
	os.MkdirAll(p("3.99.0"), 0o755)
	copyFile(t, p("3.12.4/Python-3.12.4.tgz"), p("3.99.0/Python-3.99.0.tgz")) // policy-gap
	os.WriteFile(p("3.12.4/Python-3.12.4.tar.bz2.asc"), []byte("x"), 0o644)   // orphan-sidecar
	os.Symlink(p("nonexistent"), p("3.12.4/python-3.12.4-arm64.exe"))         // unreadable
	os.WriteFile(p("README.txt"), []byte("x"), 0o644)                         // skipped
	rep, _ := mustRun(t, ft.options(root))
	wantProblems(t, rep,
		"digest 3.14.1/python-3.14.1-amd64.exe",
		"bad-signature 3.12.4/Python-3.12.4.tgz.sigstore",
		"bad-signature 3.6.15/Python-3.6.15.tgz.asc",
		"unsigned 3.6.15/python-3.6.15-amd64.exe",
		"policy-gap 3.99.0/Python-3.99.0.tgz",
		"orphan-sidecar 3.12.4/Python-3.12.4.tar.bz2.asc",
		"unreadable 3.12.4/python-3.12.4-arm64.exe",
	)
	if rep.OK || len(rep.Skipped) != 1 || rep.Skipped[0].Path != "README.txt" {
		t.Errorf("OK %v, skipped %+v", rep.OK, rep.Skipped)
	}
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// listing builds a Listing of the fixture mirror's files as python.org
// would list them, with exact sizes and digests from the mirror itself.
func listing(t testing.TB, root string, edit func(a *manifest.Artifact)) Listing {
	t.Helper()
	var ms []*manifest.Manifest
	for _, dir := range []string{"3.6.15", "3.12.4", "3.14.1"} {
		m := &manifest.Manifest{Schema: manifest.Schema, Version: dir, Source: "test"}
		des, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]bool{}
		for _, de := range des {
			names[de.Name()] = true
		}
		for _, de := range des {
			if _, ok := sidecarBase(de.Name()); ok {
				continue
			}
			u := "https://www.python.org/ftp/python/" + dir + "/" + de.Name()
			a := manifest.Artifact{Name: de.Name(), URL: u, Class: manifest.ClassOf(de.Name())}
			st, _ := os.Stat(filepath.Join(root, dir, de.Name()))
			a.Size = st.Size()
			if names[de.Name()+".asc"] {
				a.GPGURL = u + ".asc"
			}
			if names[de.Name()+".sigstore"] {
				a.SigstoreURL = u + ".sigstore"
			}
			if names[de.Name()+".spdx.json"] {
				a.SBOMURL = u + ".spdx.json"
			}
			if edit != nil {
				edit(&a)
			}
			m.Artifacts = append(m.Artifacts, a)
		}
		ms = append(ms, m)
	}
	l, err := Manifests(ms)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestProblemKindsWithListing(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	l := listing(t, root, func(a *manifest.Artifact) {
		switch a.Name {
		case "Python-3.12.4.tar.xz":
			a.Size++ // size
		case "python-3.12.4-macos11.pkg":
			a.MD5 = "00000000000000000000000000000000" // digest
		}
	})
	p := func(s string) string { return filepath.Join(root, filepath.FromSlash(s)) }
	for _, s := range []string{"", ".asc", ".sigstore", ".spdx.json"} {
		os.Remove(p("3.12.4/Python-3.12.4.tgz" + s)) // missing
	}
	os.Remove(p("3.12.4/python-3.12.4-embed-amd64.zip.asc")) // missing-signature (the bundle still verifies)
	os.Remove(p("3.14.1/Python-3.14.1.tgz.spdx.json"))       // missing (a listed SBOM)
	copyFile(t, p("3.6.15/Python-3.6.15.tgz"), p("3.6.15/Python-3.6.15.tar.bz2"))
	copyFile(t, p("3.6.15/Python-3.6.15.tgz.asc"), p("3.6.15/Python-3.6.15.tar.bz2.asc")) // extra, and signed
	opt := ft.options(root)
	opt.Listing = l
	rep, _ := mustRun(t, opt)
	wantProblems(t, rep,
		"missing 3.12.4/Python-3.12.4.tgz",
		"size 3.12.4/Python-3.12.4.tar.xz",
		"digest 3.12.4/python-3.12.4-macos11.pkg",
		"missing-signature 3.12.4/python-3.12.4-embed-amd64.zip.asc",
		"missing 3.14.1/Python-3.14.1.tgz.spdx.json",
		"extra 3.6.15/Python-3.6.15.tar.bz2",
		// The copy is signed, but a .tar.bz2 that is gzip data is not
		// 3.6.15's .tar.bz2.
		"wrong-release 3.6.15/Python-3.6.15.tar.bz2",
	)
	if rep.Listing != "manifests" || !rep.Releases[0].Listed {
		t.Errorf("listing %q, releases %+v", rep.Listing, rep.Releases)
	}

	// A release the listing covers and the mirror lacks entirely: every
	// listed file is missing.
	os.RemoveAll(p("3.6.15"))
	rep, _ = mustRun(t, opt)
	n := 0
	for _, e := range rep.Entries {
		if e.Release == "3.6.15" {
			if len(e.Problems) != 1 || e.Problems[0].Kind != Missing {
				t.Errorf("%s: %+v, want missing", e.Path, e.Problems)
			}
			n++
		}
	}
	if n != 4 {
		t.Errorf("%d entries for the absent 3.6.15, want its 4 listed files", n)
	}
}

func TestIncremental(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	state := filepath.Join(t.TempDir(), "state.jsonl")
	run := func(opt Options) (*Report, Stats) {
		t.Helper()
		st, err := OpenState(state)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		opt.State = st
		rep, stats := mustRun(t, opt)
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		return rep, stats
	}
	cold, st := run(ft.options(root))
	if st.Hashed != 15 {
		t.Fatalf("cold run: %+v", st)
	}
	warm, st := run(ft.options(root))
	if st.Hashed != 0 || st.Reused != 15 {
		t.Errorf("re-run: hashed %d, reused %d; want 0, 15", st.Hashed, st.Reused)
	}
	if reportJSON(t, warm) != reportJSON(t, cold) {
		t.Errorf("a re-run's report differs from the cold run's")
	}

	// Touching one file re-reads exactly that one.
	later := time.Now().Add(time.Hour)
	os.Chtimes(filepath.Join(root, "3.12.4", "Python-3.12.4.tgz"), later, later)
	_, st = run(ft.options(root))
	if st.Hashed != 1 || st.Reused != 14 {
		t.Errorf("after touching one file: hashed %d, reused %d; want 1, 14", st.Hashed, st.Reused)
	}

	// A changed sidecar re-checks its artifact.
	flipByte(t, filepath.Join(root, "3.6.15", "Python-3.6.15.tgz.asc"))
	rep, st := run(ft.options(root))
	if st.Hashed != 1 {
		t.Errorf("after changing a signature: hashed %d, want 1", st.Hashed)
	}
	wantProblems(t, rep, "bad-signature 3.6.15/Python-3.6.15.tgz.asc")

	// New trust material re-checks every signature: files with an OpenPGP
	// signature are read again (it covers the bytes), and so are files
	// whose content names their release (the release check reads it:
	// 3.14.1's tarballs and windows-3.14.1.json); the other Sigstore-only
	// ones are re-checked against their recorded SHA-256.
	opt := ft.options(root)
	opt.Verifier = ft.otherTrust(t).v
	rep, st = run(opt)
	if st.Hashed != 12 || st.Rechecked != 3 || st.Reused != 0 {
		t.Errorf("after a trust change: hashed %d, rechecked %d, reused %d; want 12, 3, 0", st.Hashed, st.Rechecked, st.Reused)
	}
	full := ft.options(root)
	full.Verifier = opt.Verifier
	if got, want := reportJSON(t, rep), reportJSON(t, mustRunFull(t, full)); got != want {
		t.Errorf("re-checked report differs from a full run's:\n%s\nwant\n%s", got, want)
	}
	// A trust change that distrusts the 3.14 signer fails 3.14.1's files,
	// found without reading those whose content names no release.
	other := ft.withPolicy(t, "rm-3.14@fixtures.test", "someone-else@fixtures.test")
	o2 := other.options(root)
	rep, st = run(o2)
	if st.Rechecked != 3 {
		t.Errorf("distrusting 3.14: rechecked %d, want 3", st.Rechecked)
	}
	wantProblems(t, rep,
		"bad-signature 3.6.15/Python-3.6.15.tgz.asc",
		"bad-signature 3.14.1/Python-3.14.1.tar.xz.sigstore",
		"bad-signature 3.14.1/Python-3.14.1.tgz.sigstore",
		"bad-signature 3.14.1/python-3.14.1-aarch64-linux-android.tar.gz.sigstore",
		"bad-signature 3.14.1/python-3.14.1-amd64.exe.sigstore",
		"bad-signature 3.14.1/python-3.14.1-macos11.pkg.sigstore",
		"bad-signature 3.14.1/windows-3.14.1.json.sigstore",
	)
	// --full re-checks everything too.
	opt.Full = true
	_, st = run(opt)
	if st.Hashed != 15 {
		t.Errorf("full run: hashed %d, want 15", st.Hashed)
	}
}

func TestCancelledRunLeavesUsableState(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	state := filepath.Join(t.TempDir(), "state.jsonl")
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	opt := ft.options(root)
	opt.Jobs = 1
	opt.State = st
	n := 0
	opt.OnEntry = func(Entry) {
		if n++; n == 5 {
			cancel()
		}
	}
	_, stats, err := Run(ctx, opt)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run after cancel: %v, want context.Canceled", err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if stats.Hashed >= 15 {
		t.Fatalf("the cancelled run hashed all %d artifacts", stats.Hashed)
	}

	st, err = OpenState(state)
	if err != nil {
		t.Fatalf("state after a cancelled run: %v", err)
	}
	defer st.Close()
	opt = ft.options(root)
	opt.State = st
	rep, stats2 := mustRun(t, opt)
	if !rep.OK || stats2.Artifacts != 15 {
		t.Fatalf("next run: ok %v, %+v", rep.OK, stats2)
	}
	if stats2.Reused != stats.Hashed || stats2.Hashed != 15-stats.Hashed {
		t.Errorf("next run reused %d and hashed %d; the cancelled run recorded %d", stats2.Reused, stats2.Hashed, stats.Hashed)
	}
}

func TestCorruptState(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"garbage":      "not json\n",
		"empty":        "",
		"truncated":    `{"schema":"pyverify.audit-state/v1"}` + "\n" + `{"path":"3.12.4/x"`,
		"wrong-schema": `{"schema":"pyverify.audit/v1"}` + "\n",
		"bad-record":   `{"schema":"pyverify.audit-state/v1"}` + "\n" + `{"path":"../x","size":1,"mtime_ns":1,"inode":1,"context":"a","trust":"b","entry":{"path":"../x","release":"","listed":false,"ok":true}}` + "\n",
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			os.WriteFile(path, []byte(content), 0o644)
			_, err := OpenState(path)
			var se *StateError
			if !errors.As(err, &se) || se.Path != path {
				t.Fatalf("OpenState: %v, want a *StateError naming %s", err, path)
			}
			if data, _ := os.ReadFile(path); string(data) != content {
				t.Errorf("the damaged state file was changed")
			}
		})
	}
	// No temporary file is left behind (only the damaged files and their
	// lock files).
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		if _, ok := map[string]string{"garbage": "", "empty": "", "truncated": "", "wrong-schema": "", "bad-record": ""}[strings.TrimSuffix(de.Name(), ".lock")]; !ok {
			t.Errorf("%s left in the state directory", de.Name())
		}
	}
}

// crash gives up s as a process that dies does: the system closes its
// files (releasing the lock), and nothing is cleaned up.
func crash(s *State) {
	for _, f := range []*os.File{s.lock, s.old, s.tmp} {
		if f != nil {
			f.Close()
		}
	}
}

func TestStateLock(t *testing.T) {
	state := filepath.Join(t.TempDir(), "audit.state")
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to open files, not processes: a second open in
	// this process is refused as another process's would be.
	_, err = OpenState(state)
	var se *StateError
	if !errors.Is(err, ErrStateInUse) || !errors.As(err, &se) || err.Error() != "state file "+state+" is in use by another pyverify audit" {
		t.Fatalf("second OpenState: %v, want ErrStateInUse", err)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	// Commit gives the lock up, and so does Close.
	st, err = OpenState(state)
	if err != nil {
		t.Fatalf("after Commit: %v", err)
	}
	st.Close()
	if st, err = OpenState(state); err != nil {
		t.Fatalf("after Close: %v", err)
	}
	// So does a crash.
	crash(st)
	if st, err = OpenState(state); err != nil {
		t.Fatalf("after a crash: %v", err)
	}
	st.Close()
}

func TestStrayTempFilesRemoved(t *testing.T) {
	dir := t.TempDir()
	state := filepath.Join(dir, "audit.state")
	st, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	crash(st) // leaves its temporary file
	keep := []string{".audit.state.x.tmp", ".other.state.123.tmp", "audit.state.123.tmp", ".audit.state.123.tmp.bak"}
	for _, name := range append([]string{".audit.state.99.tmp"}, keep...) {
		os.WriteFile(filepath.Join(dir, name), []byte("{}\n"), 0o644)
	}
	if n := len(tempFiles(t, dir)); n != 2 {
		t.Fatalf("%d temporary files after the crash, want 2", n)
	}
	st, err = OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	if got := tempFiles(t, dir); len(got) != 1 {
		t.Errorf("temporary files while open: %q, want this run's only", got)
	}
	if err := st.Commit(); err != nil {
		t.Fatal(err)
	}
	if got := tempFiles(t, dir); len(got) != 0 {
		t.Errorf("temporary files after Commit: %q", got)
	}
	for _, name := range keep {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Errorf("%s, not a temporary file of the state, was removed", name)
		}
	}
}

// tempFiles lists the temporary files of audit.state in dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, ".audit.state.[0-9]*.tmp"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestShardsMergeToWholeRun(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	flipByte(t, filepath.Join(root, "3.14.1", "python-3.14.1-amd64.exe"))
	whole, _ := mustRun(t, ft.options(root))
	var shards []*Report
	for i := 1; i <= 3; i++ {
		opt := ft.options(root)
		opt.Shard = Shard{i, 3}
		rep, _ := mustRun(t, opt)
		if rep.Shard == "" {
			t.Fatal("a shard's report does not say which shard it is")
		}
		shards = append(shards, rep)
	}
	merged, err := Merge(shards[2], shards[0], shards[1])
	if err != nil {
		t.Fatal(err)
	}
	if got, want := reportJSON(t, merged), reportJSON(t, whole); got != want {
		t.Errorf("merged shards differ from the whole run:\n%s\nwant\n%s", got, want)
	}
	if _, err := Merge(shards[0], shards[1]); err == nil || err.Error() != "audit: merge: shard 3/3 is missing" {
		t.Errorf("merging without shard 3/3: %v", err)
	}
	if _, err := Merge(shards[0], shards[0], shards[1], shards[2]); err == nil || err.Error() != "audit: merge: shard 1/3 given twice" {
		t.Errorf("merging a shard twice: %v", err)
	}
	// A shard judged under other trust material cannot join the others.
	other := *shards[1]
	other.Trust = ft.otherTrust(t).digest
	if _, err := Merge(shards[0], &other, shards[2]); err == nil || !strings.Contains(err.Error(), "report 2 was judged with other trust material") {
		t.Errorf("merging shards with different trust: %v", err)
	}
}

func TestParseShard(t *testing.T) {
	for _, bad := range []string{"0/3", "4/3", "1/0", "a/b", "1", "1/3/4", "-1/2"} {
		if _, err := ParseShard(bad); err == nil {
			t.Errorf("ParseShard(%q) succeeded", bad)
		}
	}
	s, err := ParseShard("2/3")
	if err != nil || s != (Shard{2, 3}) || s.String() != "2/3" {
		t.Errorf("ParseShard(2/3) = %v, %v", s, err)
	}
	// Every name is in exactly one shard.
	for _, name := range []string{"3.12.4", "3.14.1", "2.7", "3.6.15"} {
		n := 0
		for i := 1; i <= 3; i++ {
			if (Shard{i, 3}).Contains(name) {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s is in %d shards", name, n)
		}
	}
}

func TestExtraChecks(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	opt := ft.options(root)
	var mu sync.Mutex
	seen := map[string]bool{}
	opt.Extra = []ExtraCheck{func(_ context.Context, a *Artifact) []Problem {
		mu.Lock()
		seen[a.Path] = a.Report.OK
		mu.Unlock()
		if a.Target.Class == manifest.ClassSource && a.SBOM == nil && a.Target.Version.Series() == "3.14" {
			return []Problem{{Kind: "sbom", Path: a.Path + ".spdx.json", Detail: "no SBOM"}}
		}
		return nil
	}}
	os.Remove(filepath.Join(root, "3.14.1", "Python-3.14.1.tgz.spdx.json"))
	rep, _ := mustRun(t, opt)
	wantProblems(t, rep, "sbom 3.14.1/Python-3.14.1.tgz.spdx.json")
	if len(seen) != 15 {
		t.Errorf("the extra check saw %d artifacts, want 15", len(seen))
	}
	if rep.Summary.Problems["sbom"] != 1 {
		t.Errorf("summary %+v, want one sbom problem", rep.Summary)
	}
}

func TestCrashBeforeCommitKeepsPreviousState(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	state := filepath.Join(t.TempDir(), "state")
	run := func(commit bool) Stats {
		st, err := OpenState(state)
		if err != nil {
			t.Fatal(err)
		}
		opt := ft.options(root)
		opt.State = st
		_, stats := mustRun(t, opt)
		if commit {
			if err := st.Commit(); err != nil {
				t.Fatal(err)
			}
		} else {
			crash(st)
		}
		return stats
	}
	run(true)
	before, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	flipByte(t, filepath.Join(root, "3.6.15", "Python-3.6.15.tgz"))
	run(false) // the process dies before committing
	after, _ := os.ReadFile(state)
	if string(after) != string(before) {
		t.Fatal("an uncommitted run changed the state file")
	}
	if st := run(true); st.Hashed != 1 || st.Reused != 14 {
		t.Errorf("after the crash: hashed %d, reused %d; want 1, 14", st.Hashed, st.Reused)
	}
}
