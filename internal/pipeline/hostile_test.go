//go:build unix

package pipeline

// A download cache shared between CI jobs is writable by others: what they
// plant there must never make pyverify write outside the cache, place a
// link, or keep unverified bytes (issue 17).

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/filelock"
	"github.com/pyverify/pyverify/internal/fixtureserver"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

type hostileRun struct {
	s           *fixtureserver.Server
	opt         Options
	art         manifest.Artifact
	cache, dest string
	good        []byte // the artifact's published bytes
}

const hostilePath = "/ftp/python/3.6.15/Python-3.6.15.tgz"

func newHostileRun(t *testing.T) *hostileRun {
	t.Helper()
	site := filepath.Join("..", "..", "fixtures", "site")
	s := fixtureserver.New(site)
	hs := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); hs.Close() })
	base, _ := url.Parse(hs.URL)
	good, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(hostilePath)))
	if err != nil {
		t.Fatal(err)
	}
	h := &hostileRun{s: s, cache: t.TempDir(), dest: t.TempDir(), good: good}
	h.art = manifest.Artifact{Name: "Python-3.6.15.tgz", Class: manifest.ClassSource,
		URL: "https://www.python.org" + hostilePath, GPGURL: "https://www.python.org" + hostilePath + ".asc"}
	h.opt = Options{Client: &download.Client{Mirror: base, Retries: -1}, Verifier: fixtureVerifier(t),
		Version: manifest.MustParseVersion("3.6.15"), CacheDir: h.cache, Dest: h.dest, Jobs: 1}
	return h
}

func (h *hostileRun) run(t *testing.T) Result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return Run(ctx, []manifest.Artifact{h.art}, h.opt)[0]
}

// regular fails the test unless path is a regular file of its own (not a
// link, one name only) holding want.
func regular(t *testing.T, path string, want []byte) {
	t.Helper()
	st, err := os.Lstat(path)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Mode().IsRegular() {
		t.Fatalf("%s is %v, want a regular file", path, st.Mode())
	}
	if n := st.Sys().(*syscall.Stat_t).Nlink; n != 1 {
		t.Errorf("%s has %d names, want a file of its own", path, n)
	}
	if data, _ := os.ReadFile(path); string(data) != string(want) {
		t.Errorf("%s does not hold the verified bytes", path)
	}
}

func TestPartialSymlinkToVictimIsNotWrittenThrough(t *testing.T) {
	h := newHostileRun(t)
	victim := filepath.Join(t.TempDir(), "victim")
	os.WriteFile(victim, []byte("precious"), 0o644)
	dir := filepath.Join(h.cache, "partial", "3.6.15")
	os.MkdirAll(dir, 0o755)
	if err := os.Symlink(victim, filepath.Join(dir, "Python-3.6.15.tgz.part")); err != nil {
		t.Fatal(err)
	}
	if res := h.run(t); res.Err != nil {
		t.Fatal(res.Err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Errorf("the victim of a planted link was written: %d bytes", len(data))
	}
	regular(t, filepath.Join(h.dest, "Python-3.6.15.tgz"), h.good)
	regular(t, filepath.Join(h.cache, "files", "3.6.15", "Python-3.6.15.tgz"), h.good)
}

func TestPartialFolderSymlinkLeadsNowhereOutsideTheCache(t *testing.T) {
	h := newHostileRun(t)
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(h.cache, "partial"), 0o755)
	if err := os.Symlink(outside, filepath.Join(h.cache, "partial", "3.6.15")); err != nil {
		t.Fatal(err)
	}
	if res := h.run(t); res.Err != nil {
		t.Fatal(res.Err)
	}
	if des, _ := os.ReadDir(outside); len(des) != 0 {
		t.Errorf("files written outside the cache through a folder link: %v", des)
	}
	regular(t, filepath.Join(h.dest, "Python-3.6.15.tgz"), h.good)
}

func TestCachedSymlinkToGoodBytesIsNotPlacedAsALink(t *testing.T) {
	h := newHostileRun(t)
	attacker := filepath.Join(t.TempDir(), "good-for-now")
	os.WriteFile(attacker, h.good, 0o644)
	dir := filepath.Join(h.cache, "files", "3.6.15")
	os.MkdirAll(dir, 0o755)
	if err := os.Symlink(attacker, filepath.Join(dir, "Python-3.6.15.tgz")); err != nil {
		t.Fatal(err)
	}
	if res := h.run(t); res.Err != nil {
		t.Fatal(res.Err)
	}
	regular(t, filepath.Join(h.dest, "Python-3.6.15.tgz"), h.good)
	regular(t, filepath.Join(dir, "Python-3.6.15.tgz"), h.good)
	if h.s.Hits(hostilePath) != 1 {
		t.Errorf("the planted link was used instead of a download")
	}
}

func TestCachedFIFODoesNotHang(t *testing.T) {
	h := newHostileRun(t)
	dir := filepath.Join(h.cache, "files", "3.6.15")
	os.MkdirAll(dir, 0o755)
	if err := syscall.Mkfifo(filepath.Join(dir, "Python-3.6.15.tgz"), 0o644); err != nil {
		t.Fatal(err)
	}
	if res := h.run(t); res.Err != nil {
		t.Fatal(res.Err)
	}
	regular(t, filepath.Join(h.dest, "Python-3.6.15.tgz"), h.good)
}

func TestDestIsNotAHardLinkIntoTheCache(t *testing.T) {
	h := newHostileRun(t)
	if res := h.run(t); res.Err != nil {
		t.Fatal(res.Err)
	}
	for range 2 { // a fresh download, then from the cache
		placed := filepath.Join(h.dest, "Python-3.6.15.tgz")
		cached := filepath.Join(h.cache, "files", "3.6.15", "Python-3.6.15.tgz")
		regular(t, placed, h.good)
		// Editing the cache in place must not change the verified file.
		f, err := os.OpenFile(cached, os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		f.WriteAt([]byte("tampered"), 0)
		f.Close()
		regular(t, placed, h.good)
		if res := h.run(t); res.Err != nil {
			t.Fatal(res.Err)
		}
	}
}

func TestStaleTempFileOfAKilledCopyIsRemoved(t *testing.T) {
	h := newHostileRun(t)
	stale := filepath.Join(h.dest, ".pyverify-Python-3.6.15.tgz.2684354.tmp")
	os.WriteFile(stale, h.good[:10], 0o644)
	other := filepath.Join(h.dest, ".pyverify-notes.txt")
	os.WriteFile(other, []byte("not ours"), 0o644)
	live := filepath.Join(h.dest, ".pyverify-Python-3.6.15.tar.xz.77.tmp")
	os.WriteFile(live, nil, 0o644)
	held, err := os.Open(live)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := filelock.TryLock(held); err != nil {
		t.Fatal(err)
	}
	if res := h.run(t); res.Err != nil {
		t.Fatal(res.Err)
	}
	if _, err := os.Lstat(stale); err == nil {
		t.Error("a stale temporary file of ours was left in --dest")
	}
	for _, keep := range []string{other, live} {
		if _, err := os.Lstat(keep); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(keep), err)
		}
	}
}

func TestSignaturesPlacedHonourTheUmask(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	h := newHostileRun(t)
	if res := h.run(t); res.Err != nil {
		t.Fatal(res.Err)
	}
	for _, name := range []string{"Python-3.6.15.tgz", "Python-3.6.15.tgz.asc"} {
		st, err := os.Stat(filepath.Join(h.dest, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644 under umask 022", name, st.Mode().Perm())
		}
	}
}

func TestFolderInTheWayAtDestSaysVerifiedButNotPlaced(t *testing.T) {
	h := newHostileRun(t)
	if err := os.Mkdir(filepath.Join(h.dest, "Python-3.6.15.tgz"), 0o755); err != nil {
		t.Fatal(err)
	}
	res := h.run(t)
	var pe *PlaceError
	if !errors.As(res.Err, &pe) || !res.Report.OK {
		t.Fatalf("err %v (report ok %t), want a *PlaceError after the file verified", res.Err, res.Report.OK)
	}
	want := "Python-3.6.15.tgz: verified, but cannot be placed at " + filepath.Join(h.dest, "Python-3.6.15.tgz") + ": a folder is in the way"
	if res.Err.Error() != want {
		t.Errorf("error %q, want %q", res.Err, want)
	}
	des, _ := os.ReadDir(h.dest)
	for _, de := range des {
		if strings.HasSuffix(de.Name(), ".tmp") {
			t.Errorf("temporary file %s left in --dest", de.Name())
		}
	}
}

func TestEndlessBodyWithoutListedSizeStopsAtTheClassCap(t *testing.T) {
	var sent int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 1<<16)
		for {
			n, err := w.Write(buf)
			atomic.AddInt64(&sent, int64(n))
			if err != nil {
				return
			}
		}
	}))
	defer hs.Close()
	base, _ := url.Parse(hs.URL)
	cache := t.TempDir()
	art := manifest.Artifact{Name: "python-3.6.15-manifest.json", Class: manifest.ClassWindowsManifest,
		URL: "https://www.python.org/ftp/python/3.6.15/python-3.6.15-manifest.json"}
	opt := Options{Client: &download.Client{Mirror: base, Retries: -1}, Verifier: fixtureVerifier(t),
		Version: manifest.MustParseVersion("3.6.15"), CacheDir: cache, Dest: t.TempDir(), Jobs: 1}
	res := Run(context.Background(), []manifest.Artifact{art}, opt)[0]
	if !errors.Is(res.Err, download.ErrTooLarge) {
		t.Fatalf("err %v, want download.ErrTooLarge", res.Err)
	}
	if len(res.Report.Checks) == 0 || res.Report.Checks[0].Reason != verify.ReasonSizeMismatch ||
		!strings.Contains(res.Report.Checks[0].Detail, "the most a windows-manifest file may have") {
		t.Errorf("report %+v, want a size failure naming the class cap", res.Report.Checks)
	}
	if _, err := os.Stat(filepath.Join(cache, "partial", "3.6.15", art.Name+".part")); err == nil {
		t.Error("a partial file that can never verify was kept")
	}
}
