package main

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pyverify/pyverify/audit"
	"github.com/pyverify/pyverify/fixtures"
	"github.com/pyverify/pyverify/internal/fixtureserver"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pyverify": func() {
			code := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)
			// Scripts assert the exact exit code with the status command.
			if p := os.Getenv("PYVERIFY_TEST_STATUS"); p != "" {
				os.WriteFile(p, []byte(strconv.Itoa(code)), 0o644)
			}
			os.Exit(code)
		},
	})
}

// repoRoot is the module root, where fixtures/ lives.
var repoRoot = func() string {
	wd, err := os.Getwd()
	if err != nil {
		panic(err)
	}
	return filepath.Join(wd, "..", "..")
}()

// servers holds the fixture server of each running script, by $WORK.
var servers sync.Map // string → *fixtureserver.Server

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata",
		Setup: func(env *testscript.Env) error {
			fixtures := filepath.Join(repoRoot, "fixtures")
			env.Setenv("FIXTURES", fixtures)
			env.Setenv("PAGES", filepath.Join(repoRoot, "manifest", "testdata", "pages"))
			env.Setenv("BUNDLES", filepath.Join(repoRoot, "verify", "testdata", "bundles"))
			env.Setenv("SBOMS", filepath.Join(repoRoot, "sbom", "testdata"))
			env.Setenv("POLICY", filepath.Join(fixtures, "trust", "policy.json"))
			env.Setenv("KEYRING", filepath.Join(fixtures, "trust", "keyring.asc"))
			env.Setenv("ROOT", filepath.Join(fixtures, "trust", "trusted_root.json"))
			env.Setenv("CYCLE", filepath.Join(repoRoot, "lifecycle", "testdata", "release-cycle.json"))
			env.Setenv("PYVERIFY_TEST_STATUS", filepath.Join(env.WorkDir, ".status"))
			env.Setenv("XDG_CACHE_HOME", filepath.Join(env.WorkDir, ".cache"))
			// Under -race, every process the scripts start (each exec
			// pyverify, some 360 of them) would sleep a second before
			// exiting (the race runtime's atexit_sleep_ms): most of this
			// package's test time. Races are still reported, and fail the
			// command (exit 66), as they happen.
			env.Setenv("GORACE", strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"))
			base := startServer(env.WorkDir, filepath.Join(fixtures, "site"), env.Defer)
			env.Setenv("BASE", base)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"serve":     cmdServe,
			"fault":     cmdFault,
			"hits":      cmdHits,
			"copysite":  cmdCopySite,
			"flipbyte":  cmdFlipByte,
			"replace":   cmdReplace,
			"resub":     cmdResub,
			"head":      cmdHead,
			"status":    cmdStatus,
			"problems":  cmdProblems,
			"touch":     cmdTouch,
			"listings":  cmdListings,
			"lockstate": cmdLockState,
			"mkfifo":    cmdMkfifo,
		},
	})
}

func startServer(work, root string, deferFn func(func())) string {
	s := fixtureserver.New(root)
	hs := httptest.NewServer(s)
	deferFn(func() {
		s.Close()
		hs.Close()
	})
	servers.Store(work, s)
	return hs.URL
}

func server(ts *testscript.TestScript) *fixtureserver.Server {
	s, ok := servers.Load(ts.Getenv("WORK"))
	if !ok {
		ts.Fatalf("no fixture server")
	}
	return s.(*fixtureserver.Server)
}

// serve DIR: serve $WORK/DIR (a copy of the site) instead; sets $BASE.
func cmdServe(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: serve DIR")
	}
	base := startServer(ts.Getenv("WORK"), ts.MkAbs(args[0]), ts.Defer)
	ts.Setenv("BASE", base)
}

// fault PATH KIND: make the server misbehave for PATH. KIND is 503=N,
// 429=N (no Retry-After), 429=N/SECONDS (with Retry-After: SECONDS),
// reset=N (bytes), extra=N (bytes), stall, status=N (answer with HTTP
// status N) or redirect=URL.
func cmdFault(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: fault PATH KIND")
	}
	var f fixtureserver.Fault
	kind, val, _ := strings.Cut(args[1], "=")
	n, _ := strconv.ParseInt(val, 10, 64)
	switch kind {
	case "503":
		f.Fail503 = int(n)
	case "429":
		count, after, _ := strings.Cut(val, "/")
		n, _ = strconv.ParseInt(count, 10, 64)
		f.Fail429, f.RetryAfter = int(n), after
	case "reset":
		f.ResetAfter = n
	case "extra":
		f.ExtraBytes = n
	case "stall":
		f.Stall = true
	case "status":
		f.Status = int(n)
	case "redirect":
		f.RedirectTo = val
	default:
		ts.Fatalf("unknown fault %q", args[1])
	}
	server(ts).SetFault(args[0], f)
}

// hits PATH N: the server saw N requests for PATH.
func cmdHits(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: hits PATH N")
	}
	got := server(ts).Hits(args[0])
	want, err := strconv.Atoi(args[1])
	ts.Check(err)
	if (got == want) == neg {
		ts.Fatalf("%s: %d requests, want %s%d", args[0], got, map[bool]string{true: "not ", false: ""}[neg], want)
	}
}

// copysite DIR: copy the fixture site to $WORK/DIR.
func cmdCopySite(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: copysite DIR")
	}
	src := filepath.Join(repoRoot, "fixtures", "site")
	dst := ts.MkAbs(args[0])
	ts.Check(fixtures.CopyTree(dst, src))
}

// flipbyte FILE [OFFSET]: flip the low bit of one byte (default: the middle).
func cmdFlipByte(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args) > 2 {
		ts.Fatalf("usage: flipbyte FILE [OFFSET]")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	off := len(data) / 2
	if len(args) == 2 {
		off, err = strconv.Atoi(args[1])
		ts.Check(err)
	}
	data[off] ^= 1
	ts.Check(os.WriteFile(path, data, 0o644))
}

// replace FILE OLD NEW: replace every OLD in FILE by NEW (at least one).
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	if !strings.Contains(string(data), args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(path, []byte(strings.ReplaceAll(string(data), args[1], args[2])), 0o644))
}

// resub FILE REGEXP REPL: replace every match of REGEXP (at least one).
func cmdResub(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: resub FILE REGEXP REPL")
	}
	path := ts.MkAbs(args[0])
	data, err := os.ReadFile(path)
	ts.Check(err)
	re, err := regexp.Compile(args[1])
	ts.Check(err)
	if !re.Match(data) {
		ts.Fatalf("%s does not match %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(path, re.ReplaceAll(data, []byte(args[2])), 0o644))
}

// head SRC DST N: write the first N bytes of SRC (N may be "half") to DST.
func cmdHead(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: head SRC DST N")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	n := len(data) / 2
	if args[2] != "half" {
		n, err = strconv.Atoi(args[2])
		ts.Check(err)
	}
	dst := ts.MkAbs(args[1])
	ts.Check(os.MkdirAll(filepath.Dir(dst), 0o755))
	ts.Check(os.WriteFile(dst, data[:n], 0o644))
}

// status N: the last pyverify command exited with code N.
func cmdStatus(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: status N")
	}
	got, err := os.ReadFile(ts.MkAbs(".status"))
	ts.Check(err)
	if string(got) != args[0] {
		ts.Fatalf("exit status %s, want %s", got, args[0])
	}
}

// problems REPORT [KIND PATH]...: the audit report (pyverify audit --json)
// in REPORT holds exactly these problems, and no others.
func cmdProblems(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 1 || len(args)%2 != 1 {
		ts.Fatalf("usage: problems REPORT [KIND PATH]...")
	}
	data, err := os.ReadFile(ts.MkAbs(args[0]))
	ts.Check(err)
	var rep struct {
		Entries []struct {
			Problems []struct{ Kind, Path string }
		}
	}
	ts.Check(json.Unmarshal(data, &rep))
	var got, want []string
	for _, e := range rep.Entries {
		for _, p := range e.Problems {
			got = append(got, p.Kind+" "+p.Path)
		}
	}
	for i := 1; i < len(args); i += 2 {
		want = append(want, args[i]+" "+args[i+1])
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		ts.Fatalf("problems:\n  got  %s\n  want %s", strings.Join(got, "\n       "), strings.Join(want, "\n       "))
	}
}

// touch FILE: move FILE's modification time an hour ahead.
func cmdTouch(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: touch FILE")
	}
	later := time.Now().Add(time.Hour)
	ts.Check(os.Chtimes(ts.MkAbs(args[0]), later, later))
}

// listings: the fixture server serves directory listings under /ftp/python/.
func cmdListings(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 0 {
		ts.Fatalf("usage: listings")
	}
	server(ts).SetListings(true)
}

// lockstate FILE: open FILE as an audit state file, as a running audit
// does, and hold it (and its lock) until the script ends.
func cmdLockState(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: lockstate FILE")
	}
	st, err := audit.OpenState(ts.MkAbs(args[0]))
	ts.Check(err)
	ts.Defer(st.Close)
}

// mkfifo FILE: make a named pipe, which nothing writes to.
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfifo FILE")
	}
	ts.Check(mkfifo(ts.MkAbs(args[0])))
}
