package main

// How pyverify words a failure (see HACKING.md, "Error messages"):
//
//	pyverify: error: SUBJECT: what is wrong, in the user's terms
//	pyverify: hint: the next step, when there is one
//
// The subject is what the user gave or can find: a file path, a URL, an
// artifact name or a flag. Commands return errors; run prints them. To add
// the next step, wrap the error with withHint; a *usageError without a hint
// gets "run 'pyverify CMD --help' for usage". The exit code comes from the
// wrapped error (exitCode sees through withHint).

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"regexp"
	"syscall"
	"time"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/pipeline"
	"github.com/pyverify/pyverify/manifest"
)

// A hintError is an error with the next step for the user, which run
// prints on a "pyverify: hint:" line after the error.
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.err.Error() }
func (e *hintError) Unwrap() error { return e.err }

// withHint attaches a hint to err (nil stays nil). The hint is formatted
// with format and v, which must already be safe to print.
func withHint(err error, format string, v ...any) error {
	if err == nil {
		return nil
	}
	return &hintError{err: err, hint: fmt.Sprintf(format, v...)}
}

// hintOf returns the hint run prints for err, or "".
func hintOf(err error) string {
	var he *hintError
	if errors.As(err, &he) {
		return he.hint
	}
	var ue *usageError
	if errors.As(err, &ue) && ue.cmd != "" {
		return fmt.Sprintf("run 'pyverify %s --help' for usage", ue.cmd)
	}
	return fallbackHint(err)
}

// fallbackHint is the next step for errors that reach run without a hint of
// their own: network failures and release data from a server that is not a
// python.org mirror.
func fallbackHint(err error) string {
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "check the URL (--base-url) and your network connection"
	case errors.Is(err, manifest.ErrNotReleasePage):
		return "is --base-url a python.org mirror? It must serve release pages at /downloads/release/"
	case errors.Is(err, download.ErrNotFound):
		return checkVersionHint
	case isRateLimited(err):
		// Not retried: more --retries would not help.
		return "the server limits how often it may be asked (HTTP 429): try again later; python.org's JSON API allows about 100 anonymous requests a day"
	case download.IsNetwork(err):
		return "try again later, or with more --retries; downloads resume where they stopped"
	}
	return ""
}

// checkVersionHint is the next step for a release the server does not have.
const checkVersionHint = "check the version: python.org lists its releases at " + defaultBaseURL + "/downloads/"

// isRateLimited reports whether err is a 429 Too Many Requests answer.
func isRateLimited(err error) bool {
	var he *download.HTTPError
	return errors.As(err, &he) && he.StatusCode == http.StatusTooManyRequests
}

// A fileError is a local file or directory that cannot be used, worded for
// people: "cannot read /tmp/x.tgz: no such file". It replaces Go's
// "open /tmp/x.tgz: no such file or directory", which names the system
// call and repeats the path.
type fileError struct {
	verb string // "read", "create", "write to"
	path string
	err  error
}

func (e *fileError) Error() string {
	return "cannot " + e.verb + " " + sanitize(e.path) + ": " + fsReason(e.verb, e.err)
}

func (e *fileError) Unwrap() error { return e.err }

// errTooBig is the cause of a fileError for a file over its size cap.
type errTooBig struct{ limit int64 }

func (e *errTooBig) Error() string { return fmt.Sprintf("larger than %d bytes", e.limit) }

// fsReason says why a file system operation failed, without the path and
// the name of the system call.
func fsReason(verb string, err error) string {
	var tb *errTooBig
	switch {
	case errors.As(err, &tb):
		return tb.Error()
	case errors.Is(err, fs.ErrNotExist) && verb == "read":
		return "no such file"
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.EISDIR):
		return "it is a directory"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of the path is not a directory"
	case errors.Is(err, syscall.ENOSPC):
		return "no space left on the device"
	case errors.Is(err, syscall.EROFS):
		return "read-only file system"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return sanitize(pe.Err.Error())
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return sanitize(le.Err.Error())
	}
	return sanitize(err.Error())
}

// flagErrorRE matches the errors of the flag package that parseFlags
// rewords.
var flagErrorRE = struct {
	undefined, noValue, badValue *regexp.Regexp
}{
	regexp.MustCompile(`^flag provided but not defined: -+(.*)$`),
	regexp.MustCompile(`^flag needs an argument: -+(.*)$`),
	regexp.MustCompile(`^invalid (?:boolean )?value "(.*)" for (?:flag )?-+([^:]*): (.*)$`),
}

// flagError words an error of the flag package for people:
// "unknown flag --bogus", "--dest needs a value", `--jobs "x": not a number`.
func flagError(set *flag.FlagSet, err error) string {
	msg := err.Error()
	if m := flagErrorRE.undefined.FindStringSubmatch(msg); m != nil {
		return "unknown flag --" + sanitize(m[1])
	}
	if m := flagErrorRE.noValue.FindStringSubmatch(msg); m != nil {
		return "--" + sanitize(m[1]) + " needs a value"
	}
	if m := flagErrorRE.badValue.FindStringSubmatch(msg); m != nil {
		name, want := m[2], "not valid"
		var value any
		if f := set.Lookup(name); f != nil {
			if g, ok := f.Value.(flag.Getter); ok {
				value = g.Get()
			}
		}
		switch value.(type) {
		case int, int64, uint, uint64:
			want = "not a whole number"
		case time.Duration:
			want = "not a duration such as 30s or 2m"
		case bool:
			want = "want true or false"
		default:
			want = sanitize(m[3])
		}
		return fmt.Sprintf("--%s \"%s\": %s", sanitize(name), sanitize(m[1]), want) // m[1] is quoted by the flag package
	}
	return sanitize(msg)
}

// describeErr words an error for a report line: file system errors as
// "cannot read PATH: no such file", others as they are.
func describeErr(err error) string {
	var pl *pipeline.PlaceError
	if errors.As(err, &pl) {
		// "NAME: verified, but cannot be placed at PATH: why".
		return sanitize(pl.Error())
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return fmt.Sprintf("cannot move %s to %s: %s", sanitize(le.Old), sanitize(le.New), fsReason("move", le.Err))
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		verb := map[string]string{"open": "read", "read": "read", "stat": "read", "mkdir": "create directory",
			"write": "write", "close": "write", "sync": "write", "remove": "remove", "createtemp": "create a file in"}[pe.Op]
		if verb == "" {
			verb = "use"
		}
		return (&fileError{verb, pe.Path, pe.Err}).Error()
	}
	return err.Error()
}

// A stickyWriter remembers the first error writing to w, such as a full
// disk behind standard output, and writes nothing after it.
type stickyWriter struct {
	w   io.Writer
	err error
	n   int64 // bytes written
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.n += int64(n)
	if err != nil {
		s.err = err
	}
	return n, err
}
