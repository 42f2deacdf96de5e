package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/internal/pipeline"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

func cmdVerify(ctx context.Context, u *ui, args []string) error {
	const cmd = "verify"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var (
		trust          trustFlags
		nf             netFlags
		lf             lifecycleFlags
		classes, files listFlag
		dest, cache    string
		jobs           int
		useAPI, asJSON bool
	)
	trust.register(fs)
	nf.register(fs)
	lf.registerGates(fs)
	fs.Var(&classes, "os", "")
	fs.Var(&files, "file", "")
	fs.StringVar(&dest, "dest", ".", "")
	fs.StringVar(&cache, "cache", "", "")
	fs.IntVar(&jobs, "jobs", 2, "")
	fs.BoolVar(&useAPI, "api", false, "")
	fs.BoolVar(&asJSON, "json", false, "")
	fs.BoolVar(&u.quiet, "quiet", false, "")
	pos, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef(cmd, "want one VERSION, such as 3.13.1")
	}
	version, err := manifest.ParseVersion(pos[0])
	if err != nil {
		return usagef(cmd, "%v", err)
	}
	if jobs < 1 || jobs > 16 {
		return usagef(cmd, "--jobs: want a number from 1 to 16")
	}
	var wantClasses []manifest.Class
	for _, c := range classes {
		mc, ok := manifest.ParseClass(strings.ToLower(c))
		if !ok {
			return usagef(cmd, "--os: unknown class %q (want one of %s)", sanitize(c), classList())
		}
		wantClasses = append(wantClasses, mc)
	}
	v, err := trust.verifier(cmd)
	if err != nil {
		return err
	}
	gate, err := lf.gate(cmd)
	if err != nil {
		return err
	}
	client, base, err := nf.client(cmd)
	if err != nil {
		return err
	}
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return usagef(cmd, "no user cache directory (%v): give --cache DIR", err)
		}
		cache = filepath.Join(dir, "pyverify")
	}
	if err := writableDir(dest); err != nil {
		return ioError(fmt.Errorf("--dest: %w", err))
	}
	if err := writableDir(cache); err != nil {
		return ioError(fmt.Errorf("--cache: %w", err))
	}

	u.infof("reading the file table of %s from %s", version, base)
	m, err := loadRelease(ctx, client, version, !useAPI, useAPI)
	if err != nil {
		return err
	}
	arts, err := selectArtifacts(cmd, m, wantClasses, files)
	if err != nil {
		return err
	}
	// Every download must come from the base URL's host: release data
	// cannot send pyverify elsewhere. (The manifest already holds every
	// sidecar to its artifact's host.)
	for _, a := range arts {
		r, err := client.Resolve(a.URL)
		if err != nil {
			return &manifest.DataError{Source: m.Source, Row: a.Name, Field: "url", Err: err}
		}
		if r.Host != base.Host {
			return &manifest.DataError{Source: m.Source, Row: a.Name, Field: "url",
				Err: fmt.Errorf("%s is not on %s", sanitize(r.Host), base.Host)}
		}
	}

	bar := newProgress(u, arts)
	opts := pipeline.Options{
		Client: client, Verifier: v, Version: version,
		CacheDir: cache, Dest: dest, Jobs: jobs, Progress: bar.add,
	}
	if gate != nil {
		// A release the gates refuse never reaches --dest.
		opts.Admit = func(rep *verify.ArtifactReport) error { return gate.Apply(rep, version, nil) }
	}
	results := pipeline.Run(ctx, arts, opts)
	bar.finish()

	reports := make([]verify.ArtifactReport, len(results))
	errs := make([]error, len(results))
	versions := make([]manifest.Version, len(results))
	cached := map[string]bool{}
	for i, r := range results {
		reports[i], errs[i], versions[i] = r.Report, r.Err, version
		if r.Err != nil && !isVerifyOutcome(r.Err) {
			reports[i].OK = false
			reports[i].Error = r.Err.Error()
		}
		cached[r.Artifact.Name] = r.Cached
	}
	if ctx.Err() != nil {
		return ioError(errors.New("interrupted: partial downloads are kept in the cache and resumed next time"))
	}
	applyGate(gate, reports, versions, errs)
	return finishReport(u, reports, errs, cached, gate, asJSON)
}

func classList() string {
	var s []string
	for _, c := range manifest.Classes {
		s = append(s, string(c))
	}
	return strings.Join(s, ", ")
}

// selectArtifacts applies --os and --file. Names and classes that match
// nothing are an error, never an empty success.
func selectArtifacts(cmd string, m *manifest.Manifest, classes []manifest.Class, files []string) ([]manifest.Artifact, error) {
	for _, f := range files {
		if !slices.ContainsFunc(m.Artifacts, func(a manifest.Artifact) bool { return a.Name == f }) {
			var names []string
			for _, a := range m.Artifacts {
				names = append(names, sanitize(a.Name))
			}
			return nil, usagef(cmd, "--file %s: not a file of Python %s (files: %s)", safetext.Quote(f), sanitize(m.Version), strings.Join(names, ", "))
		}
	}
	for _, c := range classes {
		if !slices.ContainsFunc(m.Artifacts, func(a manifest.Artifact) bool { return a.Class == c }) {
			return nil, usagef(cmd, "--os %s: Python %s has no such files", c, sanitize(m.Version))
		}
	}
	var out []manifest.Artifact
	for _, a := range m.Artifacts {
		if len(classes) > 0 && !slices.Contains(classes, a.Class) {
			continue
		}
		if len(files) > 0 && !slices.Contains(files, a.Name) {
			continue
		}
		out = append(out, a)
	}
	if len(out) == 0 {
		return nil, usagef(cmd, "no file of Python %s matches both --os and --file", sanitize(m.Version))
	}
	return out, nil
}

// writableDir creates dir if needed and checks that files can be made in it.
func writableDir(dir string) error {
	const hint = "give a directory you can write to"
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return withHint(&fileError{"create directory", dir, err}, hint)
	}
	f, err := os.CreateTemp(dir, ".pyverify-probe-*")
	if err != nil {
		return withHint(&fileError{"write to", dir, err}, hint)
	}
	f.Close()
	return os.Remove(f.Name())
}
