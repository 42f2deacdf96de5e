package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/internal/fixtureserver"
)

// benchRelease is the fixture release the download benchmarks fetch: every
// file of 3.12.4, with its signatures.
const benchRelease = "3.12.4"

func benchServer(b *testing.B) string {
	s := fixtureserver.New(filepath.Join(repoRoot, "fixtures", "site"))
	hs := httptest.NewServer(s)
	b.Cleanup(func() { s.Close(); hs.Close() })
	return hs.URL
}

// BenchmarkVerifyRelease downloads and verifies a whole release from a
// loopback server, with an empty cache each time: pyverify's main job.
// Compare with BenchmarkCurlRelease.
func BenchmarkVerifyRelease(b *testing.B) {
	base := benchServer(b)
	trust := filepath.Join(repoRoot, "fixtures", "trust")
	for b.Loop() {
		dir := b.TempDir()
		args := []string{"verify", benchRelease, "--base-url", base, "--quiet",
			"--policy", filepath.Join(trust, "policy.json"), "--keyring", filepath.Join(trust, "keyring.asc"),
			"--trusted-root", filepath.Join(trust, "trusted_root.json"),
			"--dest", filepath.Join(dir, "dest"), "--cache", filepath.Join(dir, "cache")}
		if code := run(context.Background(), args, io.Discard, io.Discard); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkCurlRelease fetches the same files and signatures with curl, one
// after the other, checking nothing: the baseline for BenchmarkVerifyRelease.
func BenchmarkCurlRelease(b *testing.B) {
	if _, err := exec.LookPath("curl"); err != nil {
		b.Skip("curl not installed")
	}
	base := benchServer(b)
	var urls []string
	for _, f := range []string{"Python-3.12.4.tgz", "Python-3.12.4.tar.xz", "python-3.12.4-macos11.pkg",
		"python-3.12.4-amd64.exe", "python-3.12.4-embed-amd64.zip"} {
		for _, suffix := range []string{"", ".asc", ".sigstore"} {
			urls = append(urls, base+"/ftp/python/"+benchRelease+"/"+f+suffix)
		}
	}
	for b.Loop() {
		dir := b.TempDir()
		args := []string{"--silent", "--fail", "--output-dir", dir, base + "/downloads/release/python-3124/", "-o", "index.html"}
		for _, u := range urls {
			args = append(args, u, "-o", u[strings.LastIndex(u, "/")+1:])
		}
		if out, err := exec.Command("curl", args...).CombinedOutput(); err != nil {
			b.Fatalf("curl: %v: %s", err, out)
		}
	}
}
