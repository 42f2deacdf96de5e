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

// auditMirror builds a mirror of files files: release directories 3.12.0, 3.12.1, …
// each holding 20 artifacts (Python-3.12.N.tgz and .tar.xz, and those of
// its pre-releases a1 … a4, b1 … b4 and rc1), each with its .asc,
// .sigstore and .spdx.json: 80 files a directory. They are the fixture's
// 3.12.4 source tarballs and sidecars under other names, hard links where
// they can be: every signature and SBOM verifies, and the release check
// reads Python-3.12.4/ in each tarball's head, so every artifact is a
// wrong-release problem and the audit exits 1. That is its worst case for
// memory: every entry carries a problem into the report.
func auditMirror(b *testing.B, files int) string {
	b.Helper()
	src := filepath.Join(repoRoot, "fixtures", "site", "ftp", "python", "3.12.4")
	root := filepath.Join(b.TempDir(), "mirror")
	for i := range (files + 79) / 80 {
		dir := filepath.Join(root, fmt.Sprintf("3.12.%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for _, pre := range []string{"", "a1", "a2", "a3", "a4", "b1", "b2", "b3", "b4", "rc1"} {
			v := fmt.Sprintf("3.12.%d%s", i, pre)
			for _, art := range []string{"Python-%s.tgz", "Python-%s.tar.xz"} {
				for _, suffix := range []string{"", ".asc", ".sigstore", ".spdx.json"} {
					from := filepath.Join(src, fmt.Sprintf(art, "3.12.4")+suffix)
					to := filepath.Join(dir, fmt.Sprintf(art, v)+suffix)
					if err := os.Link(from, to); err != nil {
						data, err := os.ReadFile(from)
						if err == nil {
							err = os.WriteFile(to, data, 0o644)
						}
						if err != nil {
							b.Fatal(err)
						}
					}
				}
			}
		}
	}
	return root
}

// BenchmarkAuditMirror runs the built program's audit of a mirror of
// 50,000 files (12,500 artifacts): cold with --json and a new --state
// (every file read and verified), then again with that state when nothing
// changed (stat only), in each output mode. It reports each run's peak
// resident memory (the kernel's ru_maxrss for the finished process, as
// `/usr/bin/time -v` prints it), wall time, and CPU time. Targets: under
// 64 MB in every mode; a re-run under 1 s. PYVERIFY_BENCH_AUDIT_COLD=all
// adds cold runs in the text and --jsonl modes (each as long as the first).
func BenchmarkAuditMirror(b *testing.B) {
	bin := buildBinary(b)
	root := auditMirror(b, benchAuditFiles())
	trust := filepath.Join(repoRoot, "fixtures", "trust")
	base := []string{"audit", root, "--policy", filepath.Join(trust, "policy.json"),
		"--keyring", filepath.Join(trust, "keyring.asc"), "--trusted-root", filepath.Join(trust, "trusted_root.json")}
	state := filepath.Join(b.TempDir(), "audit.state")
	run := func(b *testing.B, fresh bool, args ...string) {
		var maxKB int64
		var wall, cpu time.Duration
		for b.Loop() {
			if fresh {
				os.Remove(state)
			}
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
			// Exit 1 is the audit's verdict on this mirror (every artifact
			// a wrong-release problem); anything else is a failed run.
			if err != nil && cmd.ProcessState.ExitCode() != exitFailed {
				data, _ := os.ReadFile(out.Name())
				b.Fatalf("%v\n%.2000s", err, data)
			}
			os.Remove(out.Name())
			cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
				maxKB = max(maxKB, ru.Maxrss)
			}
		}
		b.ReportMetric(float64(maxKB)/1024, "peak-RSS-MiB")
		b.ReportMetric(wall.Seconds(), "wall-s")
		b.ReportMetric(cpu.Seconds(), "cpu-s")
	}
	b.Run("cold/json", func(b *testing.B) { run(b, true, "--state", state, "--json") })
	if os.Getenv("PYVERIFY_BENCH_AUDIT_COLD") == "all" {
		b.Run("cold/text", func(b *testing.B) { run(b, false, "--quiet") })
		b.Run("cold/jsonl", func(b *testing.B) { run(b, false, "--jsonl") })
	}
	b.Run("rerun/json", func(b *testing.B) { run(b, false, "--state", state, "--json") })
	b.Run("rerun/text", func(b *testing.B) { run(b, false, "--state", state) })
	b.Run("rerun/jsonl", func(b *testing.B) { run(b, false, "--state", state, "--jsonl") })
}
