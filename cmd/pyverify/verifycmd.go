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
	var r releaseRun
	var asJSON bool
	r.register(fs, u)
	fs.BoolVar(&asJSON, "json", false, "")
	pos, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}
	results, err := r.run(ctx, u, cmd, pos)
	if err != nil {
		return err
	}
	reports, errs, cached := outcomes(results)
	return finishReport(u, reports, errs, cached, asJSON)
}

// releaseRun is a download-and-verify run of one release: the flags and
// steps 'verify' and 'pins' share.
type releaseRun struct {
	trust          trustFlags
	nf             netFlags
	classes, files listFlag
	dest, cache    string
	jobs           int
	useAPI         bool
	sbom           bool
	sbomDest       string
	keepSigs       bool
}

func (r *releaseRun) register(fs *flag.FlagSet, u *ui) {
	r.trust.register(fs)
	r.nf.register(fs)
	fs.Var(&r.classes, "os", "")
	fs.Var(&r.files, "file", "")
	fs.StringVar(&r.dest, "dest", ".", "")
	fs.StringVar(&r.cache, "cache", "", "")
	fs.IntVar(&r.jobs, "jobs", 2, "")
	fs.BoolVar(&r.useAPI, "api", false, "")
	fs.BoolVar(&r.sbom, "sbom", false, "")
	fs.StringVar(&r.sbomDest, "sbom-dest", "", "")
	fs.BoolVar(&r.keepSigs, "keep-signatures", false, "")
	fs.BoolVar(&u.quiet, "quiet", false, "")
}

// run downloads and verifies the release named by pos (one VERSION) and
// returns one result per selected artifact. An error means nothing was
// verified (bad flags, release data, or an interrupted run).
func (r *releaseRun) run(ctx context.Context, u *ui, cmd string, pos []string) ([]pipeline.Result, error) {
	if len(pos) != 1 {
		return nil, usagef(cmd, "want one VERSION, such as 3.13.1")
	}
	version, err := manifest.ParseVersion(pos[0])
	if err != nil {
		return nil, usagef(cmd, "%v", err)
	}
	if r.jobs < 1 || r.jobs > 16 {
		return nil, usagef(cmd, "--jobs: want a number from 1 to 16")
	}
	var wantClasses []manifest.Class
	for _, c := range r.classes {
		mc, ok := manifest.ParseClass(strings.ToLower(c))
		if !ok {
			return nil, usagef(cmd, "--os: unknown class %q (want one of %s)", sanitize(c), classList())
		}
		wantClasses = append(wantClasses, mc)
	}
	v, err := r.trust.verifier(cmd)
	if err != nil {
		return nil, err
	}
	client, base, err := r.nf.client(cmd)
	if err != nil {
		return nil, err
	}
	cache := r.cache
	if cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return nil, usagef(cmd, "no user cache directory (%v): give --cache DIR", err)
		}
		cache = filepath.Join(dir, "pyverify")
	}
	if err := writableDir(r.dest); err != nil {
		return nil, ioError(fmt.Errorf("--dest: %w", err))
	}
	if err := writableDir(cache); err != nil {
		return nil, ioError(fmt.Errorf("--cache: %w", err))
	}
	if r.sbomDest != "" {
		r.sbom = true // --sbom-dest implies --sbom
		if err := writableDir(r.sbomDest); err != nil {
			return nil, ioError(fmt.Errorf("--sbom-dest: %w", err))
		}
	}

	u.infof("reading the file table of %s from %s", version, base)
	m, err := loadRelease(ctx, client, version, !r.useAPI, r.useAPI)
	if err != nil {
		return nil, err
	}
	arts, err := selectArtifacts(cmd, m, wantClasses, r.files)
	if err != nil {
		return nil, err
	}
	// Every download must come from the base URL's host: release data
	// cannot send pyverify elsewhere. (The manifest already holds every
	// sidecar to its artifact's host.)
	for _, a := range arts {
		res, err := client.Resolve(a.URL)
		if err != nil {
			return nil, &manifest.DataError{Source: m.Source, Row: a.Name, Field: "url", Err: err}
		}
		if res.Host != base.Host {
			return nil, &manifest.DataError{Source: m.Source, Row: a.Name, Field: "url",
				Err: fmt.Errorf("%s is not on %s", sanitize(res.Host), base.Host)}
		}
	}

	bar := newProgress(u, arts)
	results := pipeline.Run(ctx, arts, pipeline.Options{
		Client: client, Verifier: v, Version: version,
		CacheDir: cache, Dest: r.dest, Jobs: r.jobs, Progress: bar.add,
		SBOM: r.sbom, SBOMDest: r.sbomDest, KeepSignatures: r.keepSigs,
	})
	bar.finish()
	if ctx.Err() != nil {
		return nil, ioError(errors.New("interrupted: partial downloads are kept in the cache and resumed next time"))
	}
	return results, nil
}

// outcomes splits pipeline results into reports and errors; a failure to
// check at all is written into its report.
func outcomes(results []pipeline.Result) ([]verify.ArtifactReport, []error, map[string]bool) {
	reports := make([]verify.ArtifactReport, len(results))
	errs := make([]error, len(results))
	cached := map[string]bool{}
	for i, r := range results {
		reports[i], errs[i] = r.Report, r.Err
		if r.Err != nil && !isVerifyOutcome(r.Err) {
			reports[i].OK = false
			reports[i].Error = r.Err.Error()
		}
		cached[r.Artifact.Name] = r.Cached
	}
	return reports, errs, cached
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
