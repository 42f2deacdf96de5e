package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// check honours Ctrl-C and SIGTERM (main cancels ctx on both) as verify and
// audit do: it stops reading and exits 3, with no verdict on a file read
// part-way, instead of reading a large file to its end.
func TestCheckInterruptedStopsReadingAndExits3(t *testing.T) {
	fx := filepath.Join(repoRoot, "fixtures")
	dir := t.TempDir()
	big := filepath.Join(dir, "Python-3.6.15.tgz")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(4 << 30) // sparse: hashing it takes seconds
	f.Close()
	args := []string{"check", big, "--policy", filepath.Join(fx, "trust", "policy.json"),
		"--keyring", filepath.Join(fx, "trust", "keyring.asc"), "--trusted-root", filepath.Join(fx, "trust", "trusted_root.json")}
	for _, after := range []time.Duration{0, 200 * time.Millisecond} {
		ctx, cancel := context.WithCancel(context.Background())
		if after == 0 {
			cancel()
		} else {
			time.AfterFunc(after, cancel)
		}
		var stdout, stderr bytes.Buffer
		code := run(ctx, args, &stdout, &stderr)
		cancel()
		if code != exitIO || !strings.Contains(stderr.String(), "pyverify: error: interrupted: nothing was decided for the files not read to the end\n") {
			t.Errorf("interrupted after %v: exit %d, stderr %q; want exit 3, interrupted", after, code, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("interrupted after %v: a report on stdout: %q", after, stdout.String())
		}
	}
}
