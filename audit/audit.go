package audit

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/sbom"
	"github.com/pyverify/pyverify/verify"
)

// maxSidecar caps a signature, bundle or certificate file.
const maxSidecar = 1 << 20

// maxSBOM caps an SBOM read for an extra check.
const maxSBOM = sbom.MaxSize

// DefaultMaxDepth is how deep the walk goes below a release directory
// unless Options.MaxDepth says otherwise.
const DefaultMaxDepth = 3

// DefaultMaxListings is how many folders an audit lists at most unless
// Options.MaxListings says otherwise: python.org's /ftp/python/ has about
// two thousand.
const DefaultMaxListings = 20000

// ErrTooManyListings is matched by the error of an audit that would list
// more folders than Options.MaxListings: a tree that large is not a
// python.org mirror (a web server may generate listings without end).
var ErrTooManyListings = errors.New("too many folders to list")

// sidecarSuffixes are the suffixes of the files that accompany an artifact.
var sidecarSuffixes = []string{".asc", ".sigstore", ".crt", ".sig", ".spdx.json"}

// Options configure Run.
type Options struct {
	// Source is the mirror tree (see Dir and HTTP).
	Source Source
	// Root names the mirror in the report, as the user gave it.
	Root string
	// Verifier verifies each artifact; the reason codes of its checks
	// (verify.Reason) name the problems.
	Verifier *verify.Verifier
	// Listing, if set, gives python.org's list of files.
	Listing Listing
	// Shard selects a slice of the release directories; the zero Shard
	// is the whole mirror.
	Shard Shard
	// Jobs is how many artifacts are verified at once (at least 1).
	Jobs int
	// State, if set, holds the outcomes of the previous run, and receives
	// this run's; the caller commits it.
	State *State
	// Full re-checks every artifact, ignoring State's recorded outcomes
	// (this run's are still recorded).
	Full bool
	// Extra are checks run on each artifact after the verifier's; their
	// problems join the artifact's. ExtraKey must change whenever what
	// they check changes, so that recorded outcomes are not reused.
	Extra    []ExtraCheck
	ExtraKey string
	// OnEntry, if set, is called with each entry as it is decided, from one
	// goroutine at a time, in no particular order. Entries are then left
	// out of the report unless KeepEntries is set.
	OnEntry     func(Entry)
	KeepEntries bool
	// OnEntryJSON, if set with OnEntry, is called instead of OnEntry with
	// the entries the audit holds as JSON already (outcomes reused from
	// State): the entry's path, whether it has problems, and its JSON as
	// json.Encoder writes an Entry without HTML escaping (no newline; raw
	// is valid only during the call, see Spool.AddJSON). Such entries are
	// never decoded in full.
	OnEntryJSON func(path string, problems bool, raw []byte)
	// MaxDepth is how many levels below a release directory are walked
	// (0: DefaultMaxDepth); deeper folders are reported as skipped.
	MaxDepth int
	// MaxListings caps the number of folders listed (0:
	// DefaultMaxListings); the audit fails with ErrTooManyListings
	// beyond it.
	MaxListings int
	// Progress, if set, is told how far the audit is. To know the total,
	// Run first lists the release directories once (cheap locally; one
	// more request per directory for a mirror given by URL).
	Progress Progress

	lister *dirLister // lists release directories ahead of the walk
}

// An ExtraCheck adds checks of its own to each artifact (an SBOM, a
// lifecycle gate). Checks it appends to a.Report.Checks join the entry's.
// It must be safe for concurrent use.
type ExtraCheck func(ctx context.Context, a *Artifact) []Problem

// An Artifact is what an ExtraCheck sees of one artifact.
type Artifact struct {
	// Path is the artifact's path in the mirror; Target what it was
	// verified against, Report the verifier's outcome. An ExtraCheck may
	// add checks of its own to Report.Checks: they join the entry's.
	Path   string
	Target verify.Target
	Report verify.ArtifactReport
	// Listed is python.org's listing of the artifact, if any.
	Listed *manifest.Artifact
	// SBOM is the artifact's .spdx.json, or nil.
	SBOM []byte
}

// Progress is told how far an audit is. Its methods are called from
// several goroutines.
type Progress interface {
	// Found adds n to the number of artifacts to audit.
	Found(n int)
	// Done adds n to the number of artifacts audited.
	Done(n int)
	// Read adds n to the number of bytes read from artifacts.
	Read(n int64)
}

// Stats count the work an audit did.
type Stats struct {
	// Artifacts counts the artifacts audited.
	Artifacts int
	// Hashed counts the artifacts read and verified; HashedBytes their
	// bytes.
	Hashed      int
	HashedBytes int64
	// Reused counts the artifacts whose recorded outcome was reused.
	Reused int
	// Rechecked counts the artifacts whose signatures were re-checked
	// against recorded digests after the trust material changed, without
	// reading them (Sigstore bundles only; an OpenPGP signature needs the
	// bytes).
	Rechecked int
}

// isReleaseDir reports whether a top-level directory name is a release
// directory: a final release version, as python.org names them.
func isReleaseDir(name string) (manifest.Version, bool) {
	v, err := manifest.ParseVersion(name)
	if err != nil || v.IsPrerelease() || v.String() != name {
		return v, false
	}
	return v, true
}

// A walkFile is a file found in a release directory.
type walkFile struct {
	dir string // the directory holding it, relative to the root
	FileInfo
}

func (w walkFile) path() string { return w.dir + "/" + w.Name }

// A job is one artifact to audit.
type job struct {
	rel        *relWork
	path       string
	release    string
	relVersion manifest.Version
	sub        string // subdirectory of the release dir ("" or "amd64")
	file       FileInfo
	sidecars   []walkFile
	listed     *manifest.Artifact
	relListed  bool
}

// An outcome is one decided entry, on its way to the collector.
type outcome struct {
	entry    Entry
	artifact bool
	hashed   int64 // bytes read, or -1 when not read
	reused   bool
	// raw is the entry's JSON, when it was reused as such: entry then
	// holds only its path, release and problems (see Options.OnEntryJSON).
	raw []byte
	// rechecked: signatures re-checked from recorded digests.
	rechecked bool
	record    *stateRecord
	// release is set on the first message of a release: its file count.
	release *ReleaseSummary
	// releaseDone closes a release: every entry of it has been sent.
	releaseDone string
	// aborted: the check was cut short (ctx ended); no outcome.
	aborted bool
	// skipped notes an entry the walk did not audit.
	skipped *Skipped
	// err ends the audit (a state file that cannot be read).
	err error
}

// A relWork tracks the artifacts of one release directory in flight.
type relWork struct {
	dir     string
	pending sync.WaitGroup
	aborted atomic.Bool
}

// Run audits the mirror. The report is filled in even when an error is
// returned: an error means the audit could not finish (the root could not
// be read, a listing could not be fetched, ctx ended), not that it found
// problems, which the report holds.
func Run(ctx context.Context, opt Options) (*Report, Stats, error) {
	rep := &Report{Schema: Schema, Root: opt.Root, Shard: opt.Shard.String(), Listing: "none"}
	var stats Stats
	if opt.Listing != nil {
		rep.Listing = opt.Listing.Name()
	}
	if opt.Source == nil || opt.Verifier == nil {
		return rep, stats, errors.New("audit: Source and Verifier are required")
	}
	rep.Trust = opt.Verifier.Fingerprint()
	opt.Source = &listingCap{Source: opt.Source, max: opt.maxListings(), seen: map[string]bool{}}
	dirs, err := releaseDirs(ctx, opt, rep)
	if err != nil {
		rep.finish()
		return rep, stats, err
	}
	if opt.Progress != nil {
		if err := precount(ctx, opt, dirs); err != nil {
			rep.finish()
			return rep, stats, err
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opt.lister = newDirLister(ctx, opt.Source, dirs, opt.maxDepth())
	jobs := make(chan job)
	out := make(chan outcome, 64)
	var walkErr error
	var wg sync.WaitGroup
	// The walker lists one release directory at a time and hands out its
	// artifacts; memory holds one directory's listing, never the mirror's.
	wg.Go(func() {
		defer close(jobs)
		for _, d := range dirs {
			if err := walkRelease(ctx, opt, d, jobs, out, &wg); err != nil {
				walkErr = err
				cancel()
				return
			}
		}
	})
	for range max(opt.Jobs, 1) {
		wg.Go(func() {
			for j := range jobs {
				o := auditArtifact(ctx, opt, j)
				if o.aborted || o.err != nil {
					// The release is not complete: its old records stay.
					j.rel.aborted.Store(true)
				}
				if !o.aborted {
					out <- o
				}
				j.rel.pending.Done()
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()

	byDir := map[string]*ReleaseSummary{}
	var runErr error
	for o := range out {
		switch {
		case o.release != nil:
			byDir[o.release.Dir] = o.release
			continue
		case o.releaseDone != "":
			if opt.State != nil {
				opt.State.completed(o.releaseDone)
			}
			continue
		case o.skipped != nil:
			rep.Skipped = append(rep.Skipped, *o.skipped)
			continue
		case o.err != nil:
			if runErr == nil {
				runErr = o.err
				cancel()
			}
			continue
		}
		if r := byDir[o.entry.Release]; r != nil {
			r.addEntry(&o.entry, o.artifact)
		}
		if o.artifact {
			stats.Artifacts++
			if o.reused {
				stats.Reused++
			} else if o.rechecked {
				stats.Rechecked++
			} else if o.hashed >= 0 {
				stats.Hashed++
				stats.HashedBytes += o.hashed
			}
			if opt.Progress != nil {
				opt.Progress.Done(1)
			}
		}
		if o.record != nil && opt.State != nil {
			opt.State.record(*o.record)
		}
		if o.raw != nil {
			opt.OnEntryJSON(o.entry.Path, len(o.entry.Problems) > 0, o.raw)
			continue
		}
		if opt.OnEntry != nil {
			opt.OnEntry(o.entry)
		}
		if opt.OnEntry == nil || opt.KeepEntries {
			rep.Entries = append(rep.Entries, o.entry)
		}
	}
	for _, r := range byDir {
		rep.Releases = append(rep.Releases, *r)
	}
	rep.finish()
	if runErr != nil {
		return rep, stats, runErr
	}
	if walkErr != nil {
		return rep, stats, walkErr
	}
	if err := ctx.Err(); err != nil {
		return rep, stats, err
	}
	return rep, stats, nil
}

// rawEntries reports whether reused entries go to OnEntryJSON undecoded.
func (o *Options) rawEntries() bool {
	return o.OnEntryJSON != nil && o.OnEntry != nil && !o.KeepEntries
}

func (o *Options) maxDepth() int {
	if o.MaxDepth > 0 {
		return o.MaxDepth
	}
	return DefaultMaxDepth
}

func (o *Options) maxListings() int {
	if o.MaxListings > 0 {
		return o.MaxListings
	}
	return DefaultMaxListings
}

// listingCap counts the distinct folders a Source lists and refuses to
// list more than max.
type listingCap struct {
	Source
	max  int
	mu   sync.Mutex
	seen map[string]bool
}

func (l *listingCap) ReadDir(ctx context.Context, dir string) ([]FileInfo, error) {
	l.mu.Lock()
	if !l.seen[dir] {
		if len(l.seen) >= l.max {
			l.mu.Unlock()
			return nil, fmt.Errorf("%w: more than %d", ErrTooManyListings, l.max)
		}
		l.seen[dir] = true
	}
	l.mu.Unlock()
	return l.Source.ReadDir(ctx, dir)
}
