// Command pyverify proves that CPython release artifacts are exactly what
// python.org's release managers published. See usage.go for the commands.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/lifecycle"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

// Exit codes, documented in usage.go and the README.
const (
	exitOK        = 0 // every artifact verified
	exitFailed    = 1 // verification failed
	exitUsage     = 2 // usage error, or unreadable or invalid input
	exitIO        = 3 // network or I/O failure
	exitPolicyGap = 4 // nothing to verify against
)

func main() {
	// The handler stays installed until the process is gone: a second
	// interrupt while exiting (timeout(1) and terminals signal the whole
	// process group too) must not turn exit 3 into the shell's 130.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	if len(os.Args) > 1 && os.Args[1] == "check" {
		shortRunGC()
	}
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one pyverify command line and returns its exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	out := &stickyWriter{w: stdout}
	u := &ui{stdout: out, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageMain)
		return exitUsage
	}
	cmd, rest := args[0], args[1:]
	var err error
	switch cmd {
	case "-h", "--help", "-help", "help":
		if len(rest) > 0 {
			text, ok := commandUsage[rest[0]]
			if !ok {
				u.errorf("help: unknown command %s", safetext.Quote(rest[0]))
				u.hintf("run 'pyverify --help' for the list of commands")
				return exitUsage
			}
			fmt.Fprint(stdout, text)
			return exitOK
		}
		fmt.Fprint(stdout, usageMain)
		return exitOK
	case "--version", "-version", "version":
		u.printVersion(buildVersion(), lifecycle.Embedded())
		return exitOK
	case "manifest":
		err = cmdManifest(ctx, u, rest)
	case "check":
		err = cmdCheck(ctx, u, rest)
	case "verify":
		err = cmdVerify(ctx, u, rest)
	case "policy":
		err = cmdPolicy(ctx, u, rest)
	case "pins":
		err = cmdPins(ctx, u, rest)
	case "lifecycle":
		err = cmdLifecycle(ctx, u, rest)
	case "audit":
		err = cmdAudit(ctx, u, rest)
	default:
		u.errorf("unknown command %s", safetext.Quote(cmd))
		u.hintf("run 'pyverify --help' for the list of commands")
		return exitUsage
	}
	if out.err != nil && (err == nil || errors.Is(err, out.err)) {
		// The report did not reach standard output: a run whose outcome
		// nobody can read has not succeeded.
		err = ioError(fmt.Errorf("cannot write the report to standard output: %s", fsReason("write", out.err)))
	}
	if err == nil {
		return exitOK
	}
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, commandUsage[cmd])
		return exitOK
	}
	code := exitCode(err)
	var reported *reportedError
	msg := ""
	if !errors.As(err, &reported) {
		msg = oneLine(err)
	} else if reported.msg != "" {
		msg = sanitize(reported.msg)
	}
	if msg != "" {
		u.errorf("%s", msg)
	}
	hint := hintOf(err)
	if hint != "" {
		u.hintf("%s", hint)
	}
	if out.n == 0 && out.err == nil && wantsJSON(rest) {
		// Nothing was printed: the run failed before its report.
		u.printJSON(failureJSON(cmd, u.pinsProof, msg, hint, code))
	}
	return code
}

func buildVersion() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// A usageError is a mistake in the command line (exit 2).
type usageError struct {
	cmd string
	msg string
}

func (e *usageError) Error() string { return e.msg }

func usagef(cmd, format string, v ...any) error {
	return &usageError{cmd: cmd, msg: fmt.Sprintf(format, v...)}
}

// A codedError carries an explicit exit code.
type codedError struct {
	code int
	err  error
}

func (e *codedError) Error() string { return e.err.Error() }
func (e *codedError) Unwrap() error { return e.err }

// inputError marks err as unreadable or invalid input (exit 2).
func inputError(err error) error { return &codedError{exitUsage, err} }

// ioError marks err as a network or I/O failure (exit 3).
func ioError(err error) error { return &codedError{exitIO, err} }

// A reportedError ends a command whose outcome was already printed in its
// report; msg, if set, is one summary line for standard error.
type reportedError struct {
	code   int
	msg    string
	failed int // how many artifacts failed
}

func (e *reportedError) Error() string { return e.msg }

// exitCode maps an error to pyverify's exit codes.
func exitCode(err error) int {
	var ce *codedError
	var re *reportedError
	var ue *usageError
	var de *manifest.DataError
	var ve *verify.VerificationError
	var pathErr *fs.PathError
	var linkErr *os.LinkError
	switch {
	case errors.As(err, &re):
		return re.code
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ce):
		return ce.code
	case errors.Is(err, verify.ErrPolicyGap):
		return exitPolicyGap
	case errors.As(err, &ve), errors.Is(err, download.ErrTooLarge):
		return exitFailed
	case errors.As(err, &de):
		return exitUsage
	case download.IsNetwork(err), errors.As(err, new(*download.HTTPError)), errors.Is(err, download.ErrRedirectRefused):
		// A download that failed: the network, an HTTP error status
		// (404 included: a release python.org does not have is marked
		// bad input where its page is read), a refused redirect.
		return exitIO
	case errors.Is(err, context.Canceled), errors.As(err, &pathErr), errors.As(err, &linkErr):
		// File system failures that were not marked as bad input: the
		// cache or the destination.
		return exitIO
	}
	return exitUsage
}

// parseFlags parses args with fs, allowing flags and positional arguments in
// any order (pyverify verify 3.13.1 --os source). Arguments after "--" are
// positional.
func parseFlags(cmd string, fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usagef(cmd, "%s", flagError(fs, err))
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse stops at the first non-flag, or consumes "--" and stops.
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// listFlag collects a comma-separated, repeatable flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error {
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			*l = append(*l, p)
		}
	}
	return nil
}
