package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDescribeErr(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "open", Path: "/x/y.tgz", Err: syscall.ENOENT}, "cannot read /x/y.tgz: no such file"},
		{&fs.PathError{Op: "mkdir", Path: "/c/3.12.4", Err: syscall.EACCES}, "cannot create directory /c/3.12.4: permission denied"},
		{&fs.PathError{Op: "write", Path: "/d/f.part", Err: syscall.ENOSPC}, "cannot write /d/f.part: no space left on the device"},
		{&os.LinkError{Op: "rename", Old: "a.part", New: "b", Err: syscall.EROFS}, "cannot move a.part to b: read-only file system"},
		{&fs.PathError{Op: "open", Path: "bad\x1b[31m", Err: syscall.EISDIR}, `cannot read bad\x1b[31m: it is a directory`},
		{errors.New("plain"), "plain"},
	} {
		if got := describeErr(tc.err); got != tc.want {
			t.Errorf("describeErr(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
	if got := (&fileError{"read", "big.json", &errTooBig{16}}).Error(); got != "cannot read big.json: larger than 16 bytes" {
		t.Errorf("too big: %q", got)
	}
}

func TestFlagError(t *testing.T) {
	set := flag.NewFlagSet("x", flag.ContinueOnError)
	set.SetOutput(discard{})
	set.Int("jobs", 1, "")
	set.Duration("wait", time.Second, "")
	set.Bool("json", false, "")
	set.String("dest", "", "")
	for args, want := range map[string]string{
		"--bogus":       "unknown flag --bogus",
		"--dest":        "--dest needs a value",
		"--jobs=x":      `--jobs "x": not a whole number`,
		"--wait=x":      `--wait "x": not a duration such as 30s or 2m`,
		"--json=x":      `--json "x": want true or false`,
		"--jobs=\x1b[m": `--jobs "\x1b[m": not a whole number`,
	} {
		err := set.Parse([]string{args})
		if err == nil {
			t.Fatalf("%s parsed", args)
		}
		if got := flagError(set, err); got != want {
			t.Errorf("flagError(%s) = %q, want %q", args, got, want)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// fullWriter is standard output on a full disk.
type fullWriter struct{}

func (fullWriter) Write([]byte) (int, error) {
	return 0, &fs.PathError{Op: "write", Path: "/dev/stdout", Err: syscall.ENOSPC}
}

// A report that cannot be written is a failure (exit 3), with the table
// as with --json, never a silent success.
func TestReportNotWritten(t *testing.T) {
	for _, args := range [][]string{{"policy"}, {"policy", "--json"}} {
		var stderr strings.Builder
		code := run(context.Background(), args, fullWriter{}, &stderr)
		if want := "pyverify: error: cannot write the report to standard output: no space left on the device\n"; code != exitIO || stderr.String() != want {
			t.Errorf("%q: exit %d, stderr %q; want %d, %q", args, code, stderr.String(), exitIO, want)
		}
	}
}
