//go:build unix

package audit

// A mirror tree is attacker-reachable (rsync copies links, named pipes and
// device files as root): nothing in it may hang the audit, be read without
// bound, or lead it outside the tree; and the audit's own state and shard
// reports are files others may edit (issue 17).

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func runWithin(t *testing.T, opt Options) *Report {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rep, _, err := Run(ctx, opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func entry(t *testing.T, rep *Report, path string) Entry {
	t.Helper()
	for _, e := range rep.Entries {
		if e.Path == path {
			return e
		}
	}
	t.Fatalf("no entry %s", path)
	return Entry{}
}

func TestLinkOutsideRootIsNotReadNorDigested(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	secret := filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(secret, []byte("root:x:0:0::/root:/bin/sh\n"), 0o644)
	os.Symlink(secret, filepath.Join(root, "3.12.4", "python-3.12.4-arm64.exe"))
	os.Symlink("/dev/zero", filepath.Join(root, "3.12.4", "python-3.12.4-arm64.zip"))
	os.Symlink(secret, filepath.Join(root, "3.12.4", "python-3.12.4-amd64.exe.crt"))
	// A link that stays inside the mirror is read.
	os.Symlink("Python-3.12.4.tgz", filepath.Join(root, "3.12.4", "Python-3.12.4-copy.tgz"))
	rep := runWithin(t, ft.options(root))
	for _, p := range []string{"3.12.4/python-3.12.4-arm64.exe", "3.12.4/python-3.12.4-arm64.zip"} {
		e := entry(t, rep, p)
		if e.SHA256 != "" || e.Size != 0 || len(e.Problems) != 1 || e.Problems[0].Kind != LinkOutside ||
			e.Problems[0].Detail != "a symbolic link to a file outside the mirror: not read" {
			t.Errorf("%s: %+v, want one link-outside-root problem and no digest", p, e)
		}
	}
	e := entry(t, rep, "3.12.4/python-3.12.4-amd64.exe")
	if len(e.Problems) != 1 || e.Problems[0].Kind != LinkOutside || e.Problems[0].Path != "3.12.4/python-3.12.4-amd64.exe.crt" {
		t.Errorf("an artifact whose sidecar leaves the mirror: %+v", e.Problems)
	}
	if e := entry(t, rep, "3.12.4/Python-3.12.4-copy.tgz"); e.SHA256 == "" {
		t.Errorf("a link inside the mirror was not read: %+v", e)
	}
}

func TestFIFOArtifactAndSignatureDoNotHang(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	dir := filepath.Join(root, "3.6.15")
	os.Remove(filepath.Join(dir, "Python-3.6.15.tgz.asc"))
	if err := syscall.Mkfifo(filepath.Join(dir, "Python-3.6.15.tgz.asc"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "python-3.6.15-arm64.exe"), 0o644); err != nil {
		t.Fatal(err)
	}
	rep := runWithin(t, ft.options(root))
	e := entry(t, rep, "3.6.15/python-3.6.15-arm64.exe")
	if len(e.Problems) != 1 || e.Problems[0].Kind != Unreadable || e.Problems[0].Detail != "cannot read: not a regular file (a named pipe)" {
		t.Errorf("a FIFO artifact: %+v", e.Problems)
	}
	e = entry(t, rep, "3.6.15/Python-3.6.15.tgz")
	found := false
	for _, p := range e.Problems {
		found = found || p.Kind == Unreadable && p.Path == "3.6.15/Python-3.6.15.tgz.asc" && p.Detail == "cannot read: not a regular file (a named pipe)"
	}
	if !found {
		t.Errorf("a FIFO signature: %+v", e.Problems)
	}
}

func TestUnreadableSubfolderHidesNoSibling(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	os.Mkdir(filepath.Join(root, "3.12.4", "amd64"), 0o755)
	opt := ft.options(root)
	opt.Source = failingDir{opt.Source, "3.12.4/amd64"}
	rep := runWithin(t, opt)
	e := entry(t, rep, "3.12.4/amd64/")
	if len(e.Problems) != 1 || e.Problems[0].Kind != Unreadable || e.Problems[0].Detail != "cannot list the directory: permission denied" {
		t.Errorf("the unreadable folder: %+v", e.Problems)
	}
	if e := entry(t, rep, "3.12.4/Python-3.12.4.tgz"); !e.OK {
		t.Errorf("a sibling of the unreadable folder: %+v", e)
	}
	for _, r := range rep.Releases {
		if r.Dir == "3.12.4" && r.Artifacts != 5 {
			t.Errorf("3.12.4 counts %d artifacts, want its 5", r.Artifacts)
		}
	}
}

// failingDir is a Source on which one folder cannot be listed, as
// chmod 000 makes it for any user but root.
type failingDir struct {
	Source
	bad string
}

func (f failingDir) ReadDir(ctx context.Context, dir string) ([]FileInfo, error) {
	if dir == f.bad {
		return nil, &os.PathError{Op: "open", Path: dir, Err: syscall.EACCES}
	}
	return f.Source.ReadDir(ctx, dir)
}

func TestChmod000SubfolderHidesNoSibling(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads folders whatever their mode (TestUnreadableSubfolderHidesNoSibling covers it)")
	}
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	sub := filepath.Join(root, "3.12.4", "amd64")
	os.Mkdir(sub, 0o755)
	os.Chmod(sub, 0)
	defer os.Chmod(sub, 0o755)
	rep := runWithin(t, ft.options(root))
	if e := entry(t, rep, "3.12.4/Python-3.12.4.tgz"); !e.OK {
		t.Errorf("a sibling of the unreadable folder: %+v", e)
	}
}

func TestListingTreeWithoutEndStopsAtTheCap(t *testing.T) {
	ft := loadFixtureTrust(t)
	opt := ft.options("")
	opt.Source = endlessTree{}
	opt.MaxListings = 50
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, _, err := Run(ctx, opt)
	if !errors.Is(err, ErrTooManyListings) || !strings.Contains(err.Error(), "more than 50") {
		t.Fatalf("err %v, want ErrTooManyListings", err)
	}
	// Depth is capped too: a folder below MaxDepth is skipped, not listed.
	opt.MaxListings, opt.MaxDepth = 0, 1
	opt.Source = endlessTree{width: 2}
	rep := runWithin(t, opt)
	if len(rep.Skipped) == 0 || !strings.Contains(rep.Skipped[0].Reason, "more than 1 levels") {
		t.Errorf("skipped %+v, want the folders below depth 1", rep.Skipped)
	}
}

// endlessTree is a mirror whose every folder holds width (default 300)
// more folders, as a generated listing can.
type endlessTree struct {
	Source
	width int
}

func (e endlessTree) ReadDir(ctx context.Context, dir string) ([]FileInfo, error) {
	w := e.width
	if w == 0 {
		w = 300
	}
	var out []FileInfo
	for i := range w {
		name := fmt.Sprintf("d%d", i)
		if dir == "" {
			name = fmt.Sprintf("3.0.%d", i)
		}
		out = append(out, FileInfo{Name: name, Dir: true, Size: -1})
	}
	return out, nil
}

func TestHTTPBodyLongerThanTheListingSaysIsCut(t *testing.T) {
	ft := loadFixtureTrust(t)
	var sent int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/":
			fmt.Fprint(w, "<html><body><pre><a href=\"3.12.4/\">3.12.4/</a>  04-Jun-2024 12:34  -\n</pre></body></html>")
		case "/3.12.4/":
			fmt.Fprint(w, "<html><body><pre><a href=\"Python-3.12.4.tgz\">Python-3.12.4.tgz</a>  04-Jun-2024 12:34  100\n</pre></body></html>")
		default:
			buf := make([]byte, 1<<16)
			for sent < 64<<20 {
				n, err := w.Write(buf)
				sent += int64(n)
				if err != nil {
					return
				}
			}
		}
	}))
	defer hs.Close()
	src, err := HTTP(hs.URL+"/", httpFetch, httpStream)
	if err != nil {
		t.Fatal(err)
	}
	opt := ft.options("")
	opt.Source = src
	rep := runWithin(t, opt)
	e := entry(t, rep, "3.12.4/Python-3.12.4.tgz")
	if len(e.Problems) != 1 || e.Problems[0].Kind != Unreadable ||
		!strings.Contains(e.Problems[0].Detail, "larger than the 100 bytes the mirror gives for it") {
		t.Errorf("problems %+v, want the body cut at the listing's size", e.Problems)
	}
}

func TestEditInPlaceWithMtimeRestoredIsReadAgain(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	state := filepath.Join(t.TempDir(), "state.jsonl")
	run := func() *Report {
		st, err := OpenState(state)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		opt := ft.options(root)
		opt.State = st
		rep := runWithin(t, opt)
		if err := st.Commit(); err != nil {
			t.Fatal(err)
		}
		return rep
	}
	run()
	p := filepath.Join(root, "3.12.4", "Python-3.12.4.tgz")
	before, _ := os.Stat(p)
	time.Sleep(10 * time.Millisecond) // a later ctime
	f, err := os.OpenFile(p, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte{'X'}, 100)
	f.Close()
	os.Chtimes(p, before.ModTime(), before.ModTime()) // touch -d
	if e := entry(t, run(), "3.12.4/Python-3.12.4.tgz"); e.OK {
		t.Error("a file edited in place, its mtime restored, was reused as verified")
	}
}

func TestRemovedLockFileDoesNotLetASecondAuditIn(t *testing.T) {
	state := filepath.Join(t.TempDir(), "audit.state")
	first, err := OpenState(state)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if err := os.Remove(state + ".lock"); err != nil {
		t.Fatal(err)
	}
	if second, err := OpenState(state); !errors.Is(err, ErrStateInUse) {
		if second != nil {
			second.Close()
		}
		t.Fatalf("a second audit after the lock file was removed: %v, want ErrStateInUse", err)
	}
	if err := first.Commit(); err != nil {
		t.Fatalf("the first audit lost its state: %v", err)
	}
}

func TestMergeRecountsAndRefusesMisplacedOrRepeatedEntries(t *testing.T) {
	shards, digestShard := tamperedShards(t, 3)
	clone := func(r *Report) *Report {
		c := *r
		c.Releases = append([]ReleaseSummary(nil), r.Releases...)
		c.Entries = append([]Entry(nil), r.Entries...)
		return &c
	}
	// Zeroed counts and a forged verdict do not hide the digest problem.
	forged := clone(shards[digestShard])
	forged.OK = true
	forged.Summary = Counts{}
	for i := range forged.Releases {
		forged.Releases[i].Counts = Counts{Artifacts: forged.Releases[i].Artifacts}
	}
	for i := range forged.Entries {
		forged.Entries[i].OK = true
	}
	in := append([]*Report(nil), shards...)
	in[digestShard] = forged
	merged, err := Merge(in...)
	if err != nil {
		t.Fatal(err)
	}
	if merged.OK || merged.Summary.Problems[Digest] != 1 || entry(t, merged, "3.14.1/python-3.14.1-amd64.exe").OK {
		t.Errorf("merged: ok %t, %v: the forged shard's counts were trusted", merged.OK, merged.Summary.Problems)
	}
	whole, err := Merge(shards...)
	if err != nil {
		t.Fatal(err)
	}
	if reportJSON(t, merged) != reportJSON(t, whole) {
		t.Error("the recount of a forged shard differs from the honest merge")
	}
	// The same entry in two shards.
	other := (digestShard + 1) % 3
	dup := clone(shards[other])
	dup.Entries = append(dup.Entries, shards[digestShard].Entries[0])
	in = append([]*Report(nil), shards...)
	in[other] = dup
	if _, err := Merge(in...); err == nil || !strings.Contains(err.Error(), "is not in a release the shard holds") && !strings.Contains(err.Error(), "is in reports") {
		t.Errorf("an entry in two shards: %v", err)
	}
	dup.Releases = append(dup.Releases, shards[digestShard].Releases...)
	if _, err := Merge(in...); err == nil || !strings.Contains(err.Error(), "which belongs to another shard") {
		t.Errorf("a release in a shard it does not hash to: %v", err)
	}
}

func TestCharacterDeviceInTreeIsNotReadForever(t *testing.T) {
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	dev := filepath.Join(root, "3.12.4", "python-3.12.4-arm64.exe")
	// /dev/zero's numbers (1, 5): an endless source of bytes.
	if err := syscall.Mknod(dev, syscall.S_IFCHR|0o644, 1<<8|5); err != nil {
		t.Skipf("cannot make a device here: %v", err)
	}
	rep := runWithin(t, ft.options(root))
	e := entry(t, rep, "3.12.4/python-3.12.4-arm64.exe")
	if len(e.Problems) != 1 || e.Problems[0].Kind != Unreadable || e.Problems[0].Detail != "cannot read: not a regular file (a character device)" {
		t.Errorf("a character device: %+v", e.Problems)
	}
}

// tamperedShards audits, in n shards, a copy of the fixture mirror whose
// 3.14.1 Windows installer has one byte changed, and returns the shards'
// reports and the index of the one holding 3.14.1 (a digest problem).
func tamperedShards(t *testing.T, n int) (shards []*Report, digestShard int) {
	t.Helper()
	ft := loadFixtureTrust(t)
	root := copyMirror(t)
	flipByte(t, filepath.Join(root, "3.14.1", "python-3.14.1-amd64.exe"))
	shards = make([]*Report, n)
	digestShard = -1
	for i := range shards {
		opt := ft.options(root)
		opt.Shard = Shard{i + 1, n}
		shards[i] = runWithin(t, opt)
		if opt.Shard.Contains("3.14.1") {
			digestShard = i
		}
	}
	return shards, digestShard
}
