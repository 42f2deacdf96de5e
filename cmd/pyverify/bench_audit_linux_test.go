//go:build linux

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// benchAuditFiles is the size of BenchmarkAuditMirror's mirror, in files
// (PYVERIFY_BENCH_AUDIT_FILES overrides it).
func benchAuditFiles() int {
	if n, err := strconv.Atoi(os.Getenv("PYVERIFY_BENCH_AUDIT_FILES")); err == nil && n > 0 {
		return n
	}
	return 50000
}

// auditMirror builds a mirror of files files: releases 3.12.0, 3.12.1, …
// each holding the fixture's two 3.12.4 source tarballs under the
// release's names, with their .asc, .sigstore and .spdx.json (8 files a
// release; every artifact verifies, since the signatures cover the bytes,
// not the name). Files are hard links to the fixture's.
func auditMirror(b *testing.B, files int) string {
	b.Helper()
	src := filepath.Join(repoRoot, "fixtures", "site", "ftp", "python", "3.12.4")
	root := filepath.Join(b.TempDir(), "mirror")
	for i := range (files + 7) / 8 {
		v := fmt.Sprintf("3.12.%d", i)
		dir := filepath.Join(root, v)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for _, art := range []string{"Python-%s.tgz", "Python-%s.tar.xz"} {
			for _, suffix := range []string{"", ".asc", ".sigstore", ".spdx.json"} {
				from := filepath.Join(src, fmt.Sprintf(art, "3.12.4")+suffix)
				to := filepath.Join(dir, fmt.Sprintf(art, v)+suffix)
				if suffix == ".spdx.json" {
					// The SBOM names its release: a copy under the new one.
					data, err := os.ReadFile(from)
					if err != nil {
						b.Fatal(err)
					}
					if err := os.WriteFile(to, data, 0o644); err != nil {
						b.Fatal(err)
					}
					continue
				}
				if err := os.Link(from, to); err != nil {
					b.Fatal(err)
				}
			}
		}
	}
	return root
}

// BenchmarkAuditMirror runs the built program's audit of a mirror of
// 50,000 files (12,500 artifacts) in each output mode, cold (every file
// read and verified) and again with --state when nothing changed (stat
// only), and reports each run's peak resident memory (the kernel's
// ru_maxrss for the finished process, as `/usr/bin/time -v` prints it) and
// wall time. Targets: under 64 MB in every mode; the re-run under 1 s.
// The SBOM check fails on these renamed copies (their SBOM names 3.12.4),
// so every artifact has a problem and the text report lists 12,500 lines:
// the worst case for it.
func BenchmarkAuditMirror(b *testing.B) {
	bin := buildBinary(b)
	root := auditMirror(b, benchAuditFiles())
	trust := filepath.Join(repoRoot, "fixtures", "trust")
	base := []string{"audit", root, "--policy", filepath.Join(trust, "policy.json"),
		"--keyring", filepath.Join(trust, "keyring.asc"), "--trusted-root", filepath.Join(trust, "trusted_root.json")}
	state := filepath.Join(b.TempDir(), "audit.state")
	run := func(b *testing.B, args ...string) {
		var maxKB int64
		var wall time.Duration
		for b.Loop() {
			cmd := exec.Command(bin, append(append([]string{}, base...), args...)...)
			out, err := os.CreateTemp(b.TempDir(), "out")
			if err != nil {
				b.Fatal(err)
			}
			cmd.Stdout, cmd.Stderr = out, out
			start := time.Now()
			err = cmd.Run()
			wall = time.Since(start)
			out.Close()
			if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 {
				data, _ := os.ReadFile(out.Name())
				b.Fatalf("%v (exit %d)\n%.2000s", err, code, data)
			}
			os.Remove(out.Name())
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				maxKB = max(maxKB, ru.Maxrss)
			}
		}
		b.ReportMetric(float64(maxKB)/1024, "peak-RSS-MiB")
		b.ReportMetric(wall.Seconds(), "s/last-run")
	}
	b.Run("cold/json", func(b *testing.B) { run(b, "--json") })
	b.Run("cold/text", func(b *testing.B) { run(b, "--quiet") })
	b.Run("cold/jsonl", func(b *testing.B) { run(b, "--jsonl") })
	// Fill the state once, then re-run with nothing changed.
	b.Run("state/fill", func(b *testing.B) {
		for b.Loop() {
			os.Remove(state)
			cmd := exec.Command(bin, append(append([]string{}, base...), "--state", state, "--quiet")...)
			if err := cmd.Run(); err != nil && cmd.ProcessState.ExitCode() != 1 {
				b.Fatal(err)
			}
		}
	})
	b.Run("state/rerun-json", func(b *testing.B) { run(b, "--state", state, "--json") })
	b.Run("state/rerun-text", func(b *testing.B) { run(b, "--state", state, "--quiet") })
	b.Run("state/rerun-jsonl", func(b *testing.B) { run(b, "--state", state, "--jsonl") })
}
