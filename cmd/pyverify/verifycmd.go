package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/pipeline"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/lifecycle"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/manifest/release"
	"github.com/pyverify/pyverify/verify"
)

// verifyFlags are the flags of 'pyverify verify', checked.
type verifyFlags struct {
	trust       trustFlags
	net         netFlags
	lifecycle   lifecycleFlags
	version     manifest.Version
	classes     []manifest.Class
	files       listFlag
	dest, cache string
	jobs        int
	sources     release.Mode
	asJSON      bool
	// SBOMs (pipeline.Options).
	sbom     bool
	sbomDest string
	// mirror is --mirror: files from it, the listing from --base-url.
	mirror  string
	origins *origins
}

func cmdVerify(ctx context.Context, u *ui, args []string) error {
	const cmd = "verify"
	f, err := parseVerifyFlags(cmd, u, args, nil)
	if err != nil {
		return err
	}
	rel, results, gate, err := verifyRelease(ctx, u, cmd, f)
	if err != nil {
		return err
	}
	return finishVerify(u, rel, results, gate, f.version, f.asJSON, f.origins)
}

// verifyRelease runs the steps of 'pyverify verify' (and 'pyverify pins'):
// it reads the release data, then downloads and verifies the selected
// artifacts, which pass the lifecycle gate (if any) before they are placed.
// An error means nothing was verified.
func verifyRelease(ctx context.Context, u *ui, cmd string, f *verifyFlags) (*release.Release, []pipeline.Result, *lifecycle.Gate, error) {
	v, err := f.trust.verifier(cmd)
	if err != nil {
		return nil, nil, nil, err
	}
	gate, err := f.lifecycle.gate(cmd)
	if err != nil {
		return nil, nil, nil, err
	}
	client, base, err := f.net.client(cmd)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := f.prepareDirs(cmd); err != nil {
		return nil, nil, nil, err
	}
	rel, err := readRelease(ctx, u, client, base, f.version, f.sources)
	if err != nil {
		return nil, nil, nil, err
	}
	arts, err := selectArtifacts(cmd, rel.Manifest, f.classes, f.files)
	if err != nil {
		return nil, nil, nil, err
	}
	if f.origins, err = f.mirrorOrigins(cmd, client, base); err != nil {
		return nil, nil, nil, err
	}
	if err := onBaseHost(f.origins.filesClient, f.origins.files, rel.Manifest, arts); err != nil {
		return nil, nil, nil, err
	}
	if !isPythonOrg(f.origins.files) {
		u.infof("downloading the files from %s", sanitize(f.origins.files.String()))
	}
	opt := pipeline.Options{
		Client: f.origins.filesClient, Verifier: v, Version: f.version,
		CacheDir: f.cache, Dest: f.dest, Jobs: f.jobs,
		SBOM: f.sbom, SBOMDest: f.sbomDest,
	}
	if gate != nil {
		// A release the gates refuse never reaches --dest.
		opt.Admit = func(rep *verify.ArtifactReport) error { return gate.Apply(rep, f.version, nil) }
	}
	opt.Describe = f.origins.describe(rel.Describe)
	results := runPipeline(ctx, u, arts, rel, opt)
	if ctx.Err() != nil {
		return nil, nil, nil, ioError(errors.New("interrupted: partial downloads are kept in the cache and resumed next time"))
	}
	return rel, results, gate, nil
}

// parseVerifyFlags parses and checks the command line of 'pyverify verify';
// more, if set, registers the flags of a command built on it ('pins').
func parseVerifyFlags(cmd string, u *ui, args []string, more func(*flag.FlagSet)) (*verifyFlags, error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var (
		f                 verifyFlags
		classes           listFlag
		apiOnly, pageOnly bool
	)
	f.trust.register(fs)
	f.net.register(fs)
	f.lifecycle.registerGates(fs)
	fs.Var(&classes, "os", "")
	fs.Var(&f.files, "file", "")
	fs.StringVar(&f.dest, "dest", ".", "")
	fs.StringVar(&f.cache, "cache", "", "")
	fs.IntVar(&f.jobs, "jobs", 2, "")
	fs.BoolVar(&apiOnly, "api", false, "")
	fs.BoolVar(&pageOnly, "page-only", false, "")
	fs.BoolVar(&f.asJSON, "json", false, "")
	fs.BoolVar(&u.quiet, "quiet", false, "")
	fs.BoolVar(&f.sbom, "sbom", false, "")
	fs.StringVar(&f.sbomDest, "sbom-dest", "", "")
	fs.StringVar(&f.mirror, "mirror", "", "")
	if more != nil {
		more(fs)
	}
	pos, err := parseFlags(cmd, fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != 1 {
		return nil, usagef(cmd, "want one VERSION, such as 3.13.1")
	}
	if f.version, err = manifest.ParseVersion(pos[0]); err != nil {
		return nil, usagef(cmd, "%v", err)
	}
	if f.jobs < 1 || f.jobs > 16 {
		return nil, usagef(cmd, "--jobs: want a number from 1 to 16")
	}
	if f.mirror != "" {
		if _, err := f.mirrorURL(cmd); err != nil {
			return nil, err
		}
	}
	switch {
	case apiOnly && pageOnly:
		return nil, usagef(cmd, "--api and --page-only exclude each other (without either, both are read and cross-checked)")
	case apiOnly:
		f.sources = release.APIOnly
	case pageOnly:
		f.sources = release.PageOnly
	}
	for _, c := range classes {
		mc, ok := manifest.ParseClass(strings.ToLower(c))
		if !ok {
			return nil, usagef(cmd, "--os: unknown class %s (want one of %s)", safetext.Quote(c), classList())
		}
		f.classes = append(f.classes, mc)
	}
	return &f, nil
}

// prepareDirs picks the default cache and checks that --dest and the cache
// are writable.
func (f *verifyFlags) prepareDirs(cmd string) error {
	if f.cache == "" {
		dir, err := os.UserCacheDir()
		if err != nil {
			return usagef(cmd, "no user cache directory (%v): give --cache DIR", err)
		}
		f.cache = filepath.Join(dir, "pyverify")
	}
	if err := writableDir(f.dest); err != nil {
		return ioError(fmt.Errorf("--dest: %w", err))
	}
	if err := writableDir(f.cache); err != nil {
		return ioError(fmt.Errorf("--cache: %w", err))
	}
	if f.sbomDest != "" {
		f.sbom = true // --sbom-dest implies --sbom
		if err := writableDir(f.sbomDest); err != nil {
			return ioError(fmt.Errorf("--sbom-dest: %w", err))
		}
	}
	return nil
}

// onBaseHost checks that every download comes from the base URL's host:
// release data cannot send pyverify elsewhere. (The manifest already holds
// every sidecar to its artifact's host.)
func onBaseHost(client *download.Client, base *url.URL, m *manifest.Manifest, arts []manifest.Artifact) error {
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
	return nil
}

// runPipeline downloads and verifies arts with a progress bar, each target
// described by the release data's sources.
func runPipeline(ctx context.Context, u *ui, arts []manifest.Artifact, rel *release.Release, opt pipeline.Options) []pipeline.Result {
	bar := newProgress(u, arts)
	opt.Progress = bar.add
	if opt.Describe == nil {
		opt.Describe = rel.Describe
	}
	results := pipeline.Run(ctx, arts, opt)
	bar.finish()
	return results
}

// finishVerify turns the pipeline's results into the report.
// The lifecycle gate, if any, judges every artifact the pipeline did not
// already admit.
func finishVerify(u *ui, rel *release.Release, results []pipeline.Result, gate *lifecycle.Gate, version manifest.Version, asJSON bool, o *origins) error {
	reports, errs, cached := outcomes(results)
	versions := make([]manifest.Version, len(results))
	for i := range versions {
		versions[i] = version
	}
	applyGate(gate, reports, versions, errs)
	rep := &verify.Report{Sources: rel.Sources, Warnings: rel.Warnings, Artifacts: reports}
	o.report(rep)
	if gate != nil {
		rep.Lifecycle = gate.Context()
	}
	return finishReport(u, rep, errs, cached, asJSON)
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
			reports[i].SetError(r.Err.Error())
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
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return withHint(fmt.Errorf("%s: not a directory", sanitize(dir)), hint)
	}
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
