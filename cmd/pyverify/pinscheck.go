package main

// 'pyverify check --pins FILE' with no FILE arguments: prove every pin of
// the pin files (pyenv, Docker, Homebrew, SHA256SUMS…) by digest, with the
// release's Sigstore bundle (package pinproof). Printing is in pinstui.go.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/pipeline"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/pinproof"
	"github.com/pyverify/pyverify/pins"
	"github.com/pyverify/pyverify/verify"
)

// PinsCheckSchema is the schema of the JSON report of a pins check.
const PinsCheckSchema = "pyverify.pins-check/v1"

// maxBundle caps a Sigstore bundle read from a tree or a server.
const maxBundle = 1 << 20

// defaultPinJobs is how many pins are proven at once without --jobs.
const defaultPinJobs = 8

// pinsProofFlags are the flags of check that only the pins proof takes.
type pinsProofFlags struct {
	pinFiles       pathsFlag
	format         string
	bundles        string
	download       bool
	allowUnproven  bool
	jsonl          bool
	cache          string
	net            netFlags
	set            map[string]bool // the flags given
	proofOnlyFlags []string
}

// pathsFlag collects a repeatable flag whose values are paths, taken
// whole (a comma is part of a path).
type pathsFlag []string

func (l *pathsFlag) String() string { return strings.Join(*l, " ") }
func (l *pathsFlag) Set(s string) error {
	*l = append(*l, s)
	return nil
}

// register adds the flags to check's flag set; --pins replaces check's own.
func (p *pinsProofFlags) register(fs *flag.FlagSet) {
	fs.Var(&p.pinFiles, "pins", "")
	fs.StringVar(&p.format, "format", "", "")
	fs.StringVar(&p.bundles, "bundles", "", "")
	fs.BoolVar(&p.download, "download", false, "")
	fs.BoolVar(&p.allowUnproven, "allow-unproven", false, "")
	fs.BoolVar(&p.jsonl, "jsonl", false, "")
	fs.StringVar(&p.cache, "cache", "", "")
	p.net.register(fs)
	p.proofOnlyFlags = []string{"format", "bundles", "download", "allow-unproven", "jsonl", "cache",
		"base-url", "allow-http-unsafe", "retries", "stall-timeout", "min-rate"}
}

// parsed records which flags were given, and sets check's --pins for the
// file mode (one pin file, with FILE arguments).
func (p *pinsProofFlags) parsed(fs *flag.FlagSet, f *checkFlags) {
	p.set = map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { p.set[fl.Name] = true })
	if len(p.pinFiles) > 0 {
		f.pinsFile = p.pinFiles[0]
	}
}

// byDigest reports whether the command line asks for the pins proof:
// --pins with no FILE arguments.
func (p *pinsProofFlags) byDigest(files []string) bool {
	return len(p.pinFiles) > 0 && len(files) == 0
}

// checkFileMode rejects the proof's flags in check's file mode.
func (p *pinsProofFlags) checkFileMode(cmd string) error {
	for _, name := range p.proofOnlyFlags {
		if p.set[name] {
			return usagef(cmd, "--%s goes with --pins and no FILE (proving pins by digest)", name)
		}
	}
	if len(p.pinFiles) > 1 {
		return usagef(cmd, "one --pins file when checking FILEs against it")
	}
	return nil
}

// pinsCheckReport is the JSON report (PinsCheckSchema).
type pinsCheckReport struct {
	Schema string             `json:"schema"`
	OK     bool               `json:"ok"`
	Files  []pinsCheckFile    `json:"files"`
	Counts map[string]int     `json:"counts"`
	Pins   []pinproof.Result  `json:"pins"`
	Trust  *pinsCheckTrustRef `json:"bundles_from"`
}

// pinsCheckFile is one pin file read.
type pinsCheckFile struct {
	Path   string `json:"path"`
	Format string `json:"format"`
	Pins   int    `json:"pins"`
}

// pinsCheckTrustRef says where bundles came from.
type pinsCheckTrustRef struct {
	BaseURL string `json:"base_url,omitempty"`
	Dir     string `json:"dir,omitempty"`
}

// checkPinsByDigest proves the pins of every --pins file.
func checkPinsByDigest(ctx context.Context, u *ui, cmd string, f *checkFlags, p *pinsProofFlags) error {
	u.pinsProof = true
	for _, name := range []string{"size", "md5", "sha256", "asc", "sigstore", "name", "as", "manifest", "version", "sbom", "spdx",
		"deny-eol", "deny-prerelease", "deny-security-only"} {
		if p.set[name] {
			return usagef(cmd, "--%s applies to FILE arguments, not to proving pins by digest", name)
		}
	}
	switch {
	case f.asJSON && p.jsonl:
		return usagef(cmd, "--json and --jsonl exclude each other")
	case p.bundles != "" && (p.set["base-url"] || p.download):
		return usagef(cmd, "--bundles reads bundles from a local tree, offline: it excludes --base-url and --download")
	case f.jobs < 1 || f.jobs > 64:
		return usagef(cmd, "--jobs: want a number from 1 to 64")
	}
	var forced pins.InputFormat
	if p.format != "" {
		var ok bool
		if forced, ok = pins.ParseInputFormat(p.format); !ok {
			var names []string
			for _, f := range pins.InputFormats {
				names = append(names, string(f))
			}
			return usagef(cmd, "--format %s: want one of %s", safetext.Quote(p.format), strings.Join(names, ", "))
		}
	}
	entries, files, err := readPinFiles(p.pinFiles, forced)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(entries, func(e pins.Entry) bool { return e.Ours }) {
		return inputError(withHint(fmt.Errorf("%s: no pin of a python.org release file (%d pins of other software)",
			sanitize(strings.Join(p.pinFiles, ", ")), len(entries)),
			"pyverify proves pins of files under https://www.python.org/ftp/python/"))
	}

	v, err := f.trust.verifier(cmd)
	if err != nil {
		return err
	}
	// Bundles are small and mostly waited for: more at once than check's
	// default for files, unless --jobs says.
	opt := pinproof.Options{Jobs: f.jobs}
	if !p.set["jobs"] {
		opt.Jobs = defaultPinJobs
	}
	var fetch pinproof.Fetcher
	from := &pinsCheckTrustRef{}
	if p.bundles != "" {
		if fetch, err = treeFetcher(p.bundles); err != nil {
			return err
		}
		from.Dir = p.bundles
		opt.Where = p.bundles
	} else {
		client, base, err := p.net.client(cmd)
		if err != nil {
			return err
		}
		if p.cache == "" {
			dir, err := os.UserCacheDir()
			if err != nil {
				return usagef(cmd, "no user cache directory (%v): give --cache DIR", err)
			}
			p.cache = filepath.Join(dir, "pyverify")
		}
		if err := writableDir(p.cache); err != nil {
			return ioError(fmt.Errorf("--cache: %w", err))
		}
		fetch = httpFetcher(client, p.cache)
		from.BaseURL = base.String()
		if p.download {
			opt.Download = pinDownloader(client, v, p.cache)
		}
	}
	// HOOK(release binding): pinproof.BindName (the name rule) is always
	// applied. The signing-time rule (a bundle signed no earlier than its
	// release's date) is judged by VerifyDigest once the release binding
	// work lands (its release check); a rule it does not judge goes in
	// opt.Bind.

	bar := newPinsProgress(u, entries)
	var mu sync.Mutex
	var streamErr error
	opt.Progress = func(r pinproof.Result) {
		bar.add()
		if p.jsonl {
			mu.Lock()
			if err := u.printJSONLine(r); err != nil && streamErr == nil {
				streamErr = err
			}
			mu.Unlock()
		}
	}
	results := pinproof.Prove(ctx, v, fetch, entries, opt)
	bar.finish()
	if streamErr != nil {
		return ioError(streamErr)
	}
	if ctx.Err() != nil {
		return ioError(errors.New("interrupted: not every pin was checked"))
	}

	counts := map[string]int{}
	for _, r := range results {
		counts[string(r.Outcome)]++
	}
	code, msg := pinsOutcome(results, p.allowUnproven, opt.Where)
	rep := pinsCheckReport{Schema: PinsCheckSchema, OK: code == exitOK, Files: files, Counts: counts, Pins: results, Trust: from}
	switch {
	case f.asJSON:
		if err := u.printJSON(rep); err != nil {
			return ioError(err)
		}
		u.printPinsSummary(results)
	case p.jsonl:
		u.printPinsSummary(results)
	default:
		u.printPinsTable(results)
		u.printPinsSummary(results)
	}
	if code == exitOK {
		return nil
	}
	err = &reportedError{code: code, msg: msg, failed: len(results) - counts[string(pinproof.Signed)] - counts[string(pinproof.NotOurs)]}
	switch {
	case counts[string(pinproof.Unproven)] > 0 && code == exitFailed && counts[string(pinproof.Wrong)]+counts[string(pinproof.Failed)]+counts[string(pinproof.Unsigned)] == 0:
		return withHint(err, "these releases are signed with OpenPGP, which covers the bytes: give --download to prove them from the files (or --allow-unproven to accept them unproven)")
	case code == exitPolicyGap:
		return withHint(err, "the policy does not say who signs these files; 'pyverify policy' lists the series it knows")
	}
	return err
}

// pinsOutcome returns the exit code of a proof and its one-line summary:
// a WRONG pin or a failed proof first (1), then pins left unproven or
// unsigned (1, unless allowUnproven for unproven), fetch failures (3),
// policy gaps (4).
func pinsOutcome(results []pinproof.Result, allowUnproven bool, where string) (int, string) {
	var wrong, failed, ioFailed, unproven, unsigned, gaps, ours int
	for _, r := range results {
		if r.Outcome != pinproof.NotOurs {
			ours++
		}
		switch r.Outcome {
		case pinproof.Wrong:
			wrong++
		case pinproof.Failed:
			failed++
		case pinproof.Error:
			ioFailed++
		case pinproof.Unproven:
			unproven++
		case pinproof.Unsigned:
			unsigned++
		case pinproof.PolicyGap:
			gaps++
		}
	}
	switch {
	case wrong > 0:
		return exitFailed, fmt.Sprintf("%d of %d pins WRONG: the release manager signed another digest", wrong, ours)
	case failed > 0:
		return exitFailed, fmt.Sprintf("%d of %d pins failed to verify", failed, ours)
	case unsigned > 0 && where != "":
		return exitFailed, fmt.Sprintf("%d of %d pins unsigned: %s has no bundle for a release signed with Sigstore only", unsigned, ours, sanitize(where))
	case unsigned > 0:
		return exitFailed, fmt.Sprintf("%d of %d pins unsigned: python.org has no bundle for a release it signs with Sigstore only", unsigned, ours)
	case unproven > 0 && !allowUnproven:
		return exitFailed, fmt.Sprintf("%d of %d pins unproven", unproven, ours)
	case ioFailed > 0:
		return exitIO, fmt.Sprintf("%d of %d pins not checked: fetching failed", ioFailed, ours)
	case gaps > 0:
		return exitPolicyGap, fmt.Sprintf("%d of %d pins are policy gaps", gaps, ours)
	}
	return exitOK, ""
}

// readPinFiles reads every --pins path: a file, or a folder of them (its
// regular files, not hidden ones, not its subfolders; files of a folder
// that pin nothing are skipped).
func readPinFiles(paths []string, forced pins.InputFormat) ([]pins.Entry, []pinsCheckFile, error) {
	var entries []pins.Entry
	var files []pinsCheckFile
	read := func(path string, inFolder bool) error {
		data, err := readCapped(path, pins.MaxSize)
		if err != nil {
			return inputError(fmt.Errorf("--pins: %w", err))
		}
		es, format, err := pins.Read(path, data, forced)
		if errors.Is(err, pins.ErrNoPins) && inFolder {
			return nil
		}
		if err != nil {
			return inputError(err)
		}
		entries = append(entries, es...)
		files = append(files, pinsCheckFile{Path: path, Format: string(format), Pins: len(es)})
		return nil
	}
	for _, path := range paths {
		st, err := os.Stat(path)
		if err != nil {
			return nil, nil, inputError(fmt.Errorf("--pins: %w", &fileError{"read", path, err}))
		}
		if !st.IsDir() {
			if err := read(path, false); err != nil {
				return nil, nil, err
			}
			continue
		}
		des, err := os.ReadDir(path)
		if err != nil {
			return nil, nil, inputError(fmt.Errorf("--pins: %w", &fileError{"read", path, err}))
		}
		before := len(files)
		for _, de := range des {
			if strings.HasPrefix(de.Name(), ".") || !de.Type().IsRegular() {
				continue
			}
			if err := read(filepath.Join(path, de.Name()), true); err != nil {
				return nil, nil, err
			}
		}
		if len(files) == before {
			return nil, nil, inputError(fmt.Errorf("--pins: %s: no file in the folder pins anything", sanitize(path)))
		}
	}
	return entries, files, nil
}

// treeFetcher reads bundles from a local tree laid out like /ftp/python/
// (DIR/3.13.5/Python-3.13.5.tar.xz.sigstore): nothing outside DIR is read,
// symbolic links included, and only regular files.
func treeFetcher(dir string) (pinproof.Fetcher, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, inputError(withHint(fmt.Errorf("--bundles: %w", &fileError{"read", dir, err}),
			"--bundles wants a folder laid out like https://www.python.org/ftp/python/"))
	}
	// The Root stays open for the life of the process.
	return func(ctx context.Context, path string) ([]byte, error) {
		rel, ok := strings.CutPrefix(path, "ftp/python/")
		if !ok {
			return nil, fs.ErrNotExist
		}
		// Non-blocking: a named pipe planted in the tree is refused by the
		// check of its type below instead of blocking the open.
		f, err := root.OpenFile(filepath.FromSlash(rel), os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil, err
			}
			return nil, &fileError{"read", filepath.Join(dir, rel), err}
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return nil, &fileError{"read", filepath.Join(dir, rel), err}
		}
		if !st.Mode().IsRegular() {
			return nil, &fileError{"read", filepath.Join(dir, rel), errNotRegular(st.Mode())}
		}
		data, err := io.ReadAll(io.LimitReader(f, maxBundle+1))
		if err != nil {
			return nil, &fileError{"read", filepath.Join(dir, rel), err}
		}
		if len(data) > maxBundle {
			return nil, fmt.Errorf("%w: %w", pinproof.ErrTooLarge, &fileError{"read", filepath.Join(dir, rel), &errTooBig{maxBundle}})
		}
		return data, nil
	}, nil
}

// notFound is a server's 404 for a bundle, as pinproof expects it.
type notFound struct{ err error }

func (e *notFound) Error() string        { return e.err.Error() }
func (e *notFound) Unwrap() error        { return e.err }
func (e *notFound) Is(target error) bool { return target == fs.ErrNotExist }

// httpFetcher fetches bundles from python.org or the --base-url mirror,
// keeping each in cache/bundles/DIR/NAME.sigstore. A cached bundle is
// verified like a fetched one: the cache saves a download, not a check.
func httpFetcher(c *download.Client, cache string) pinproof.Fetcher {
	return func(ctx context.Context, path string) ([]byte, error) {
		rel, ok := strings.CutPrefix(path, "ftp/python/")
		if !ok {
			return nil, fs.ErrNotExist
		}
		cached := filepath.Join(cache, "bundles", filepath.FromSlash(rel))
		if data, err := readCapped(cached, maxBundle); err == nil {
			return data, nil
		}
		data, err := c.Fetch(ctx, defaultBaseURL+"/"+path, maxBundle)
		if errors.Is(err, download.ErrNotFound) {
			return nil, &notFound{err}
		}
		if errors.Is(err, download.ErrTooLarge) {
			return nil, fmt.Errorf("%w: %w", pinproof.ErrTooLarge, err)
		}
		if err != nil {
			return nil, err
		}
		// Best effort: a cache that cannot be written costs a download.
		if os.MkdirAll(filepath.Dir(cached), 0o755) == nil {
			if tmp, err := os.CreateTemp(filepath.Dir(cached), ".bundle-*"); err == nil {
				_, werr := tmp.Write(data)
				if cerr := tmp.Close(); werr == nil && cerr == nil {
					werr = os.Rename(tmp.Name(), cached)
				}
				if werr != nil {
					os.Remove(tmp.Name())
				}
			}
		}
		return data, nil
	}
}

// pinDownloader proves a pin from its file (--download): the file and its
// .asc are fetched and verified as 'pyverify verify' does (the download
// cache is shared); the verified file is not kept anywhere else.
func pinDownloader(c *download.Client, v *verify.Verifier, cache string) pinproof.Downloader {
	return func(ctx context.Context, e pins.Entry, t verify.Target) (verify.ArtifactReport, error) {
		u := defaultBaseURL + "/ftp/python/" + t.Version.FTPDir() + "/" + e.Name
		dest, err := os.MkdirTemp(cache, ".pins-dest-")
		if err != nil {
			return verify.ArtifactReport{Name: e.Name, Version: e.Version, Error: err.Error()}, err
		}
		defer os.RemoveAll(dest)
		a := manifest.Artifact{Name: e.Name, URL: u, Class: t.Class, GPGURL: u + ".asc"}
		res := pipeline.Run(ctx, []manifest.Artifact{a}, pipeline.Options{
			Client: c, Verifier: v, Version: t.Version, CacheDir: cache, Dest: dest, Jobs: 1,
		})[0]
		if res.Err != nil && res.Report.Error == "" && !isVerifyOutcome(res.Err) {
			res.Report.Error = describeErr(res.Err)
		}
		return res.Report, res.Err
	}
}
