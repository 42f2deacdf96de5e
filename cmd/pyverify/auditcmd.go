package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"

	"github.com/pyverify/pyverify/audit"
	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/manifest"
)

// maxAuditReport caps a shard report read by --merge.
const maxAuditReport = 1 << 30

// auditFlags are the flags of 'pyverify audit'.
type auditFlags struct {
	trust                 trustFlags
	lifecycle             lifecycleFlags
	net                   netFlags
	manifests, state      string
	shard                 string
	jobs                  int
	api, full, merge      bool
	asJSON, jsonl, quiet  bool
	maxDepth, maxListings int
}

func cmdAudit(ctx context.Context, u *ui, args []string) error {
	const cmd = "audit"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var f auditFlags
	f.trust.register(fs)
	f.net.register(fs)
	f.lifecycle.registerGates(fs)
	fs.StringVar(&f.manifests, "manifests", "", "")
	fs.StringVar(&f.state, "state", "", "")
	fs.StringVar(&f.shard, "shard", "", "")
	fs.IntVar(&f.jobs, "jobs", runtime.GOMAXPROCS(0), "")
	fs.BoolVar(&f.api, "api", false, "")
	fs.BoolVar(&f.full, "full", false, "")
	fs.BoolVar(&f.merge, "merge", false, "")
	fs.BoolVar(&f.asJSON, "json", false, "")
	fs.BoolVar(&f.jsonl, "jsonl", false, "")
	fs.BoolVar(&f.quiet, "quiet", false, "")
	fs.IntVar(&f.maxDepth, "max-depth", audit.DefaultMaxDepth, "")
	fs.IntVar(&f.maxListings, "max-listings", audit.DefaultMaxListings, "")
	pos, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}
	u.quiet = f.quiet
	if f.asJSON && f.jsonl {
		return usagef(cmd, "--json and --jsonl: choose one")
	}
	if f.merge {
		return auditMerge(u, &f, pos)
	}
	if len(pos) != 1 {
		return usagef(cmd, "want one ROOT: a mirror directory, or the URL of one")
	}
	if f.jobs < 1 || f.jobs > 64 {
		return usagef(cmd, "--jobs: want a number from 1 to 64")
	}
	if f.maxDepth < 1 || f.maxDepth > 16 {
		return usagef(cmd, "--max-depth: want a number from 1 to 16")
	}
	if f.maxListings < 1 {
		return usagef(cmd, "--max-listings: want a positive number")
	}
	if f.api && f.manifests != "" {
		return usagef(cmd, "--api and --manifests: choose one listing")
	}
	shard, err := audit.ParseShard(f.shard)
	if err != nil {
		return usagef(cmd, "--shard: %v", err)
	}
	root := pos[0]
	isURL := strings.HasPrefix(root, "http://") || strings.HasPrefix(root, "https://")
	if isURL && f.state != "" {
		return usagef(cmd, "--state needs a local mirror: a web server gives no file identities to tell what changed")
	}
	if f.full && f.state == "" {
		return usagef(cmd, "--full goes with --state")
	}

	v, err := f.trust.verifier(cmd)
	if err != nil {
		return err
	}
	gate, err := f.lifecycle.gate(cmd)
	if err != nil {
		return err
	}

	var client *download.Client
	if isURL || f.api {
		if client, _, err = f.net.client(cmd); err != nil {
			return err
		}
	}
	opt := audit.Options{Root: root, Verifier: v, Shard: shard, Jobs: f.jobs, Full: f.full,
		MaxDepth: f.maxDepth, MaxListings: f.maxListings}
	// Every SBOM found next to an artifact must describe it.
	opt.Extra, opt.ExtraKey = append(opt.Extra, audit.CheckSBOM), audit.SBOMKey
	if gate != nil {
		opt.Extra = append(opt.Extra, auditGate(gate))
		opt.ExtraKey = strings.TrimPrefix(opt.ExtraKey+" "+gate.Key(), " ")
	}
	if isURL {
		fetch := func(ctx context.Context, u string, limit int64) ([]byte, error) { return client.Fetch(ctx, u, limit) }
		if opt.Source, err = audit.HTTP(root, fetch, mirrorStreamer(client)); err != nil {
			return usagef(cmd, "%v", err)
		}
	} else {
		st, err := os.Stat(root)
		if err != nil {
			return ioError(withHint(&fileError{"read", root, err},
				"ROOT is a local mirror directory (laid out like python.org's /ftp/python/), or its http(s) URL"))
		}
		if !st.IsDir() {
			return inputError(fmt.Errorf("%s: not a directory", sanitize(root)))
		}
		opt.Source = audit.Dir(root)
	}
	switch {
	case f.manifests != "":
		if opt.Listing, err = readManifestDir(f.manifests); err != nil {
			return err
		}
	case f.api:
		fetch := func(ctx context.Context, u string) ([]byte, error) {
			data, err := client.Fetch(ctx, u, manifest.MaxAPISize)
			if errors.Is(err, download.ErrNotFound) {
				return nil, fmt.Errorf("%w: %w", audit.ErrNotListed, err)
			}
			return data, err
		}
		opt.Listing = audit.API(fetch, defaultBaseURL)
	}
	if f.state != "" {
		st, err := audit.OpenState(f.state)
		if errors.Is(err, audit.ErrStateInUse) {
			// Not bad input: it will be free once the other run ends.
			return ioError(withHint(err, "wait for the other audit to finish, or give this one its own --state file"))
		}
		if err != nil && isFSProblem(err) {
			return inputError(withHint(err, "--state wants a file in a directory you can write to"))
		}
		if err != nil {
			return inputError(withHint(err, "remove %s to start over: the next audit reads every file again", sanitize(f.state)))
		}
		defer st.Close()
		opt.State = st
	}
	var lineErr error
	if f.jsonl {
		opt.OnEntry = func(e audit.Entry) {
			if err := u.printJSONLine(e); err != nil && lineErr == nil {
				lineErr = err
			}
		}
	}
	// The report's entries wait in a spool (sorted on disk when there are
	// many), not in memory: --json writes them in order of path after the
	// run, the text report only needs those with problems.
	var sp *audit.Spool
	if !f.jsonl {
		sp = audit.NewSpool("")
		defer sp.Close()
		opt.OnEntry = func(e audit.Entry) {
			if f.asJSON || len(e.Problems) > 0 {
				if err := sp.Add(e); err != nil && lineErr == nil {
					lineErr = err
				}
			}
		}
		opt.OnEntryJSON = func(path string, problems bool, raw []byte) {
			if f.asJSON || problems {
				if err := sp.AddJSON(path, raw); err != nil && lineErr == nil {
					lineErr = err
				}
			}
		}
	}
	prog := newAuditProgress(u)
	if prog != nil {
		opt.Progress = prog
	}
	rep, stats, runErr := audit.Run(ctx, opt)
	prog.finish()
	if opt.State != nil {
		// Even after a failure or an interrupt: what was audited is kept.
		if err := opt.State.Commit(); err != nil && runErr == nil {
			runErr = ioError(err)
		}
	}
	if errors.Is(runErr, audit.ErrTooManyListings) {
		runErr = inputError(withHint(fmt.Errorf("%s: %w", sanitize(root), runErr),
			"a python.org mirror has about two thousand folders; --max-listings N raises the cap"))
	}
	if runErr != nil {
		return auditRunError(runErr)
	}
	if lineErr != nil {
		return ioError(lineErr)
	}
	if gate != nil {
		rep.Lifecycle = gate.Context()
	}
	return finishAudit(u, rep, sp, &stats, f.asJSON, f.jsonl)
}

// isFSProblem reports whether err says a path cannot be used (absent, not
// allowed, a directory) rather than that a file's content is wrong.
func isFSProblem(err error) bool {
	return errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrPermission) ||
		errors.Is(err, syscall.EISDIR) || errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EROFS)
}

// auditRunError gives an audit that could not finish its exit code: a
// state file that cannot be used is bad input (2), a listing that cannot
// be read keeps its own code, anything else is an I/O failure (3).
func auditRunError(err error) error {
	var se *audit.StateError
	var de *manifest.DataError
	var ce *codedError
	switch {
	case errors.As(err, &ce):
		return err
	case errors.As(err, &se):
		return inputError(withHint(err, "remove the state file to start over: the next audit reads every file again"))
	case errors.As(err, &de):
		return inputError(err)
	case errors.Is(err, context.Canceled):
		return ioError(errors.New("audit interrupted (a --state file keeps what was audited so far)"))
	case errors.Is(err, download.ErrNotFound):
		return ioError(withHint(err, "a mirror given by URL must serve directory listings of python.org's /ftp/python/ layout"))
	}
	return ioError(err)
}

// finishAudit prints the outcome and turns it into the exit code. The
// entries are in sp, or in rep when sp is nil.
func finishAudit(u *ui, rep *audit.Report, sp *audit.Spool, stats *audit.Stats, asJSON, jsonl bool) error {
	if rep.Shard == "" && len(rep.Releases) == 0 {
		// An empty mount or a wrong path is not a clean mirror. (A shard
		// may be empty: its slice of a small mirror can hold nothing.)
		return inputError(withHint(fmt.Errorf("%s: no release directory (X.Y.Z) found", sanitize(rep.Root)),
			"ROOT is a mirror of python.org's /ftp/python/: the directory that holds 3.12.4/, 3.13.1/, …"))
	}
	switch {
	case asJSON:
		if err := audit.WriteJSON(u.stdout, rep, sp); err != nil {
			return ioError(err)
		}
	case !jsonl:
		if err := u.printAuditProblems(rep, sp); err != nil {
			return ioError(err)
		}
		u.reportLifecycle(rep.Lifecycle)
	}
	u.printAuditSummary(rep, stats)
	if rep.OK {
		return nil
	}
	return &reportedError{code: exitFailed, msg: countOf(rep.Summary.ProblemCount(), "problem") + " found"}
}

// auditMerge merges shard reports into one whole-mirror report.
func auditMerge(u *ui, f *auditFlags, files []string) error {
	const cmd = "audit"
	if len(files) == 0 {
		return usagef(cmd, "--merge: want the shard reports (pyverify audit --shard i/n --json)")
	}
	if f.jsonl || f.state != "" || f.shard != "" || f.manifests != "" || f.api || f.full ||
		f.lifecycle.gates.Any() || f.lifecycle.today != "" || f.lifecycle.releaseCycle != "" {
		return usagef(cmd, "--merge takes only report files (and --json, --quiet)")
	}
	var reps []*audit.Report
	for _, file := range files {
		data, err := readCapped(file, maxAuditReport)
		if err != nil {
			return inputError(err) // a *fileError
		}
		var r audit.Report
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			return inputError(fmt.Errorf("%s: not a %s report: %v", sanitize(file), audit.Schema, err))
		}
		if _, err := dec.Token(); err != io.EOF {
			return inputError(fmt.Errorf("%s: data after the report", sanitize(file)))
		}
		reps = append(reps, &r)
	}
	merged, err := audit.Merge(reps...)
	if errors.Is(err, audit.ErrInconsistent) {
		return inputError(withHint(err, "the report was changed after its audit: run that shard's audit again and merge its new --json report"))
	}
	if err != nil {
		return inputError(withHint(err, "merge the --json reports of every shard 1/N … N/N of one audit"))
	}
	return finishAudit(u, merged, nil, nil, true, false)
}

// readManifestDir reads every saved manifest (*.json) in dir.
func readManifestDir(dir string) (audit.Listing, error) {
	const hint = "save one per release with 'pyverify manifest VERSION --json > DIR/VERSION.json'"
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, inputError(withHint(fmt.Errorf("--manifests %s: not a directory", sanitize(dir)), hint))
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, inputError(&fileError{"read", dir, err})
	}
	var names []string
	for _, e := range entries {
		// DIR/*.json, without reading DIR as a pattern.
		if strings.HasSuffix(e.Name(), ".json") && !e.IsDir() {
			names = append(names, filepath.Join(dir, e.Name()))
		}
	}
	if len(names) == 0 {
		return nil, inputError(withHint(fmt.Errorf("--manifests %s: no manifest files (*.json)", sanitize(dir)), hint))
	}
	slices.Sort(names)
	var ms []*manifest.Manifest
	for _, n := range names {
		data, err := readCapped(n, manifest.MaxManifestSize)
		if err != nil {
			return nil, inputError(err) // a *fileError
		}
		m, err := manifest.ReadManifest(bytes.NewReader(data))
		if err != nil {
			var de *manifest.DataError
			if errors.As(err, &de) {
				de.Source = n
			}
			return nil, inputError(err)
		}
		ms = append(ms, m)
	}
	l, err := audit.Manifests(ms)
	if err != nil {
		return nil, inputError(fmt.Errorf("--manifests: %w", err))
	}
	return l, nil
}

// mirrorStreamer downloads a mirror's artifact into a temporary file
// (resumable, as verify's downloads) while the audit's check reads it, and
// removes the file afterwards: the audit never keeps a mirror's bytes.
func mirrorStreamer(c *download.Client) audit.Streamer {
	return func(ctx context.Context, u string, limit int64, newSink func() (io.Writer, error)) error {
		tmp, err := os.CreateTemp("", "pyverify-audit-*.part")
		if err != nil {
			return err
		}
		name := tmp.Name()
		tmp.Close()
		defer os.Remove(name)
		_, err = c.Download(ctx, u, name, limit, newSink, nil)
		if errors.Is(err, download.ErrTooLarge) {
			return fmt.Errorf("%w: %w", audit.ErrTooLarge, err)
		}
		return err
	}
}
