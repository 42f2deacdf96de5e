package pipeline

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/filelock"
	"github.com/pyverify/pyverify/internal/fixtureserver"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// fixtureVerifier is a verifier for the fixture site's trust material.
func fixtureVerifier(t *testing.T) *verify.Verifier {
	t.Helper()
	dir := filepath.Join("..", "..", "fixtures", "trust")
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	p, err := verify.ParsePolicy(read("policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := verify.ReadKeyring(bytes.NewReader(read("keyring.asc")))
	if err != nil {
		t.Fatal(err)
	}
	tm, err := verify.LoadTrustedRoot(read("trusted_root.json"))
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.NewVerifier(p, keys, tm)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// A run that shares its cache with another waits while the other holds an
// artifact: it does not download into the partial file the other writes.
func TestRunWaitsForAnotherRunOnTheSameArtifact(t *testing.T) {
	s := fixtureserver.New(filepath.Join("..", "..", "fixtures", "site"))
	hs := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); hs.Close() })
	base, _ := url.Parse(hs.URL)
	client := &download.Client{Mirror: base, Retries: -1}
	v := manifest.MustParseVersion("3.6.15")
	const path = "/ftp/python/3.6.15/Python-3.6.15.tgz"
	art := manifest.Artifact{Name: "Python-3.6.15.tgz", Class: manifest.ClassSource,
		URL: "https://www.python.org" + path, GPGURL: "https://www.python.org" + path + ".asc"}
	cache, dest := t.TempDir(), t.TempDir()
	opt := Options{Client: client, Verifier: fixtureVerifier(t), Version: v, CacheDir: cache, Dest: dest, Jobs: 1}

	lockDir := filepath.Join(cache, "partial", "3.6.15")
	if err := os.MkdirAll(lockDir, 0o755); err != nil {
		t.Fatal(err)
	}
	held, err := filelock.Open(filepath.Join(lockDir, "Python-3.6.15.tgz.lock"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	res := Run(ctx, []manifest.Artifact{art}, opt)
	if !errors.Is(res[0].Err, context.DeadlineExceeded) || s.Hits(path) != 0 {
		t.Fatalf("while another run holds the file: err %v, %d requests for it; want to wait, and none", res[0].Err, s.Hits(path))
	}
	held.Close()
	res = Run(context.Background(), []manifest.Artifact{art}, opt)
	if res[0].Err != nil || s.Hits(path) != 1 {
		t.Fatalf("once free: err %v, %d requests", res[0].Err, s.Hits(path))
	}
	if _, err := os.Stat(filepath.Join(dest, "Python-3.6.15.tgz")); err != nil {
		t.Error(err)
	}
}
