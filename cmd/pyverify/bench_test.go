package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

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

// buildBinary builds pyverify as `make build` does, into a temporary
// directory, for the benchmarks that measure the program as users run it.
func buildBinary(b *testing.B) string {
	b.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		b.Skip("go not in PATH")
	}
	bin := filepath.Join(b.TempDir(), "pyverify")
	cmd := exec.Command(gobin, "build", "-trimpath", "-ldflags", "-s -w", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// BenchmarkStartup runs the built program, as a user does, on checks whose
// hashing costs nothing: a real python.org Sigstore bundle by digest with
// the built-in trust material (policy, keyring, trusted root), and the
// OpenPGP and Sigstore checks of a small fixture file. Both were dominated
// by parsing the 800 KB built-in keyring (about 13 ms) before it was
// indexed instead.
func BenchmarkStartup(b *testing.B) {
	bin := buildBinary(b)
	bundles := filepath.Join(repoRoot, "verify", "testdata", "bundles")
	trust := filepath.Join(repoRoot, "fixtures", "trust")
	site := filepath.Join(repoRoot, "fixtures", "site", "ftp", "python", "3.12.4")
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"check_by_digest_built-in_trust", []string{"check",
			"sha256:64424e96e2457abbac899b90f9530985b51eef2905951febd935f0e73414caeb", "--name", "Python-3.11.0.tgz",
			"--sigstore", filepath.Join(bundles, "3.11.0", "Python-3.11.0.tgz.sigstore")}},
		{"check_small_file_openpgp+sigstore", []string{"check", filepath.Join(site, "Python-3.12.4.tgz"),
			"--policy", filepath.Join(trust, "policy.json"), "--keyring", filepath.Join(trust, "keyring.asc"),
			"--trusted-root", filepath.Join(trust, "trusted_root.json")}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if out, err := exec.Command(bin, tc.args...).CombinedOutput(); err != nil {
					b.Fatalf("%v\n%s", err, out)
				}
			}
		})
	}
}

// BenchmarkCheck26MB runs the built program's check of a 26 MB file (the
// size of a CPython source tarball) with a real python.org Sigstore bundle,
// next to md5sum of the same file, and reports x-md5sum, the ratio of
// their times. The bytes are random, so the bundle does not sign them: the
// check hashes the whole file (SHA-256), reads and parses the bundle (which
// sigstore-go's parse checks against its log entry), and fails on the
// digest; a matching bundle adds the signature checks of
// BenchmarkStartup/check_by_digest (see BENCHMARKS.md). Target: 1.2.
func BenchmarkCheck26MB(b *testing.B) {
	md5sum, err := exec.LookPath("md5sum")
	if err != nil {
		b.Skip("no md5sum")
	}
	bin := buildBinary(b)
	file := filepath.Join(b.TempDir(), "Python-3.11.0.tgz")
	data := make([]byte, 26_000_000)
	for i := range data {
		data[i] = byte(i*7 + i>>13)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	bundle := filepath.Join(repoRoot, "verify", "testdata", "bundles", "3.11.0", "Python-3.11.0.tgz.sigstore")
	var check, md5 time.Duration
	for b.Loop() {
		start := time.Now()
		out, err := exec.Command(bin, "check", file, "--sigstore", bundle).CombinedOutput()
		check += time.Since(start)
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 || !strings.Contains(string(out), "signed SHA-256 is not the file's") {
			b.Fatalf("check: %v\n%s", err, out)
		}
		start = time.Now()
		if out, err := exec.Command(md5sum, file).CombinedOutput(); err != nil {
			b.Fatalf("md5sum: %v\n%s", err, out)
		}
		md5 += time.Since(start)
	}
	b.ReportMetric(check.Seconds()/md5.Seconds(), "x-md5sum")
}
