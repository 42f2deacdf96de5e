package audit

import (
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
)

// A shard's report is an input to Merge like any other file: its counts
// and verdicts are not trusted. checkShard refuses a report whose releases
// or entries do not belong to its shard, or whose entries repeat, and
// recount computes every count and verdict again from the entries.

// checkShard checks that every release, skipped entry and entry of r,
// report number i (from 1) of shard s, belongs to s, and that no entry
// path is in seen (the entries of the reports before), to which it adds
// r's.
func checkShard(i int, s Shard, r *Report, seen map[string]int) error {
	rels := map[string]bool{}
	for _, rs := range r.Releases {
		if !s.Contains(rs.Dir) {
			return fmt.Errorf("audit: merge: report %d (shard %s) holds release %s, which belongs to another shard", i, r.Shard, safetext.Word(rs.Dir))
		}
		rels[rs.Dir] = true
	}
	for _, sk := range r.Skipped {
		top, _, _ := strings.Cut(sk.Path, "/")
		if !s.Contains(top) {
			return fmt.Errorf("audit: merge: report %d (shard %s) skips %s, which belongs to another shard", i, r.Shard, safetext.Word(sk.Path))
		}
	}
	for _, e := range r.Entries {
		if !rels[e.Release] || !strings.HasPrefix(e.Path, e.Release+"/") {
			return fmt.Errorf("audit: merge: report %d (shard %s): entry %s is not in a release the shard holds", i, r.Shard, safetext.Word(e.Path))
		}
		if prev, dup := seen[e.Path]; dup {
			return fmt.Errorf("audit: merge: entry %s is in reports %d and %d", safetext.Word(e.Path), prev, i)
		}
		seen[e.Path] = i
	}
	return nil
}

// isArtifactEntry tells an artifact's entry from the other entries: a
// listed file the mirror lacks, an orphan sidecar, a folder that could not
// be listed.
func isArtifactEntry(e *Entry) bool {
	if strings.HasSuffix(e.Path, "/") {
		return false
	}
	if len(e.Problems) == 1 && e.Problems[0].Path == e.Path {
		switch e.Problems[0].Kind {
		case Missing, OrphanSidecar:
			return false
		}
	}
	return true
}

// recount recomputes each entry's verdict and each release's counts from
// the entries alone.
func recount(r *Report) {
	byDir := map[string]*ReleaseSummary{}
	for i := range r.Releases {
		rs := &r.Releases[i]
		rs.Counts = Counts{Problems: map[ProblemKind]int{}}
		byDir[rs.Dir] = rs
	}
	for i := range r.Entries {
		e := &r.Entries[i]
		e.decide()
		rs := byDir[e.Release]
		if rs == nil {
			continue
		}
		art := isArtifactEntry(e)
		rs.addEntry(e, art)
		switch {
		case art:
			rs.Files += 1 + len(e.Sidecars)
		case len(e.Problems) == 1 && e.Problems[0].Kind == OrphanSidecar:
			rs.Files++
		}
	}
}
