package audit

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/manifest"
)

// A releaseDir is a release directory to audit.
type releaseDir struct {
	name    string
	version manifest.Version
	// onMirror is false for a directory only the listing names.
	onMirror bool
}

// releaseDirs lists the root, keeps the release directories of the shard,
// adds those the listing covers, and notes what it skips in rep.
func releaseDirs(ctx context.Context, opt Options, rep *Report) ([]releaseDir, error) {
	top, err := opt.Source.ReadDir(ctx, "")
	if err != nil {
		return nil, err // it names the directory or URL
	}
	seen := map[string]bool{}
	var dirs []releaseDir
	for _, fi := range top {
		if !opt.Shard.Contains(fi.Name) {
			continue
		}
		switch {
		case fi.Link:
			rep.Skipped = append(rep.Skipped, Skipped{Path: fi.Name + "/", Reason: "a symbolic link to a directory: not followed"})
		case !fi.Dir:
			rep.Skipped = append(rep.Skipped, Skipped{Path: fi.Name, Reason: "not in a release directory"})
		default:
			v, ok := isReleaseDir(fi.Name)
			if !ok {
				rep.Skipped = append(rep.Skipped, Skipped{Path: fi.Name + "/", Reason: "not a release directory (X.Y.Z)"})
				continue
			}
			seen[fi.Name] = true
			dirs = append(dirs, releaseDir{name: fi.Name, version: v, onMirror: true})
		}
	}
	if opt.Listing != nil {
		listed, err := opt.Listing.Dirs(ctx)
		if err != nil {
			return nil, err
		}
		for _, d := range listed {
			if seen[d] || !opt.Shard.Contains(d) {
				continue
			}
			v, ok := isReleaseDir(d)
			if !ok {
				return nil, fmt.Errorf("listing: %s is not a release directory", safetext.Quote(d))
			}
			seen[d] = true
			dirs = append(dirs, releaseDir{name: d, version: v})
		}
	}
	slices.SortFunc(dirs, func(a, b releaseDir) int { return strings.Compare(a.name+"/", b.name+"/") })
	return dirs, nil
}

// A badDir is a folder below a release directory that could not be listed:
// a problem of that folder alone, its siblings are audited.
type badDir struct {
	path string
	err  error
}

// listRelease lists every file below the release directory dir, at most
// depth levels deep. A folder below dir that cannot be listed is returned
// in bad; err is for dir itself (and for the audit's listing cap).
func listRelease(ctx context.Context, src Source, dir string, depth int) (files []walkFile, skipped []Skipped, bad []badDir, err error) {
	var walk func(rel string, level int) error
	walk = func(rel string, level int) error {
		fis, err := src.ReadDir(ctx, rel)
		if err != nil {
			if rel != dir && ctx.Err() == nil && !errors.Is(err, ErrTooManyListings) {
				bad = append(bad, badDir{rel + "/", err})
				return nil
			}
			if errors.Is(err, ErrTooManyListings) {
				return err
			}
			return fmt.Errorf("%s: %w", rel, err)
		}
		for _, fi := range fis {
			p := rel + "/" + fi.Name
			switch {
			case fi.Link:
				skipped = append(skipped, Skipped{Path: p + "/", Reason: "a symbolic link to a directory: not followed"})
			case fi.Dir && level >= depth:
				skipped = append(skipped, Skipped{Path: p + "/", Reason: fmt.Sprintf("more than %d levels below the release directory", depth)})
			case fi.Dir:
				if err := walk(p, level+1); err != nil {
					return err
				}
			default:
				files = append(files, walkFile{dir: rel, FileInfo: fi})
			}
		}
		return nil
	}
	err = walk(dir, 1)
	return files, skipped, bad, err
}

// A group is a directory's files sorted into artifacts with their sidecars,
// and sidecars without an artifact.
type group struct {
	artifacts []walkFile
	sidecars  map[string][]walkFile // by artifact path
	orphans   []walkFile
}

// sidecarBase returns the name a sidecar belongs to, if name has a sidecar
// suffix.
func sidecarBase(name string) (string, bool) {
	for _, s := range sidecarSuffixes {
		if b, ok := strings.CutSuffix(name, s); ok && b != "" {
			return b, true
		}
	}
	return "", false
}

// groupFiles pairs each artifact with its sidecars: files in the same
// directory named after it plus a sidecar suffix. A file with a sidecar
// suffix is never an artifact; without its artifact it is an orphan.
func groupFiles(files []walkFile) group {
	g := group{sidecars: map[string][]walkFile{}}
	isArtifact := map[string]bool{}
	for _, f := range files {
		if _, ok := sidecarBase(f.Name); !ok {
			isArtifact[f.path()] = true
			g.artifacts = append(g.artifacts, f)
		}
	}
	for _, f := range files {
		base, ok := sidecarBase(f.Name)
		if !ok {
			continue
		}
		if a := f.dir + "/" + base; isArtifact[a] {
			g.sidecars[a] = append(g.sidecars[a], f)
		} else {
			g.orphans = append(g.orphans, f)
		}
	}
	return g
}

// precount tells Progress how many artifacts the audit will check.
func precount(ctx context.Context, opt Options, dirs []releaseDir) error {
	for _, d := range dirs {
		if !d.onMirror {
			continue
		}
		files, _, _, err := listRelease(ctx, opt.Source, d.name, opt.maxDepth())
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(err, ErrTooManyListings) {
			return err
		}
		if err == nil {
			opt.Progress.Found(len(groupFiles(files).artifacts))
		}
	}
	return nil
}

// walkRelease lists the release directory d and sends its artifacts to
// jobs, and its other entries (listed files it lacks, orphan sidecars) and
// its summary to out.
func walkRelease(ctx context.Context, opt Options, d releaseDir, jobs chan<- job, out chan<- outcome, wg *sync.WaitGroup) error {
	var files []walkFile
	var skipped []Skipped
	var bad []badDir
	var readErr error
	if d.onMirror {
		files, skipped, bad, readErr = opt.listDir(ctx, d.name)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(readErr, ErrTooManyListings) {
			return readErr
		}
	}
	g := groupFiles(files)

	var listed map[string]*manifest.Artifact
	relListed := false
	if opt.Listing != nil {
		versions := []manifest.Version{d.version}
		for _, f := range g.artifacts {
			if f.dir != d.name {
				continue
			}
			if v := fileVersion(f.Name, d.name, d.version); !slices.Contains(versions, v) {
				versions = append(versions, v)
			}
		}
		slices.SortFunc(versions, manifest.Version.Compare)
		arts, ok, err := opt.Listing.Release(ctx, d.name, versions)
		if err != nil {
			return fmt.Errorf("listing of %s: %w", d.name, err)
		}
		relListed = ok
		listed = map[string]*manifest.Artifact{}
		for i := range arts {
			listed[arts[i].Name] = &arts[i]
		}
	}

	sum := &ReleaseSummary{Dir: d.name, Listed: relListed, Counts: Counts{Files: len(files), Problems: map[ProblemKind]int{}}}
	out <- outcome{release: sum}
	for _, s := range skipped {
		out <- outcome{skipped: &s}
	}
	if readErr != nil {
		out <- outcome{entry: Entry{Path: d.name + "/", Release: d.name, Problems: []Problem{{
			Kind: Unreadable, Path: d.name + "/", Detail: dirErrText(readErr)}}}}
	}
	for _, b := range bad {
		// The folder's own problem: the release's other files are audited.
		out <- outcome{entry: Entry{Path: b.path, Release: d.name, Problems: []Problem{{
			Kind: Unreadable, Path: b.path, Detail: dirErrText(b.err)}}}}
	}
	for _, f := range g.orphans {
		base, _ := sidecarBase(f.Name)
		out <- outcome{entry: Entry{Path: f.path(), Release: d.name, Problems: []Problem{{
			Kind: OrphanSidecar, Path: f.path(), Detail: fmt.Sprintf("a sidecar of %s, which the mirror does not have", base)}}}}
	}
	present := map[string]bool{}
	for _, f := range g.artifacts {
		if f.dir == d.name {
			present[f.Name] = true
		}
	}
	var names []string
	for n := range listed {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if present[n] {
			continue
		}
		a := listed[n]
		detail := "listed by python.org, absent from the mirror"
		if a.Size > 0 {
			detail = fmt.Sprintf("listed by python.org (%d bytes), absent from the mirror", a.Size)
		}
		p := d.name + "/" + n
		out <- outcome{entry: Entry{Path: p, Release: d.name, Class: string(a.Class), Listed: true,
			Problems: []Problem{{Kind: Missing, Path: p, Detail: detail}}}}
	}

	rw := &relWork{dir: d.name}
	for _, f := range g.artifacts {
		j := job{rel: rw, path: f.path(), release: d.name, relVersion: d.version, file: f.FileInfo,
			sidecars: g.sidecars[f.path()], relListed: relListed}
		j.sub = strings.TrimPrefix(strings.TrimPrefix(f.dir, d.name), "/")
		if j.sub == "" {
			j.listed = listed[f.Name]
		}
		rw.pending.Add(1)
		select {
		case jobs <- j:
		case <-ctx.Done():
			rw.pending.Done()
			return ctx.Err()
		}
	}
	if readErr == nil && len(bad) == 0 {
		// Every file of the release was seen: the state may forget
		// those no longer there.
		wg.Go(func() {
			rw.pending.Wait()
			if !rw.aborted.Load() && ctx.Err() == nil {
				out <- outcome{releaseDone: d.name}
			}
		})
	}
	return nil
}

// errText words the failure to read a file for a report: "cannot read:
// permission denied" (the report names the path).
func errText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot read: " + pe.Err.Error()
	}
	return err.Error()
}

// dirErrText words the failure to list a directory.
func dirErrText(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return "cannot list the directory: " + pe.Err.Error()
	}
	return "cannot list the directory: " + err.Error()
}
