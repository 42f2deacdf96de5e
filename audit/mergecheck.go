package audit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/verify"
)

// A shard's report is an input to Merge like any other file: its counts
// and verdicts are not trusted. checkShard refuses a report whose releases
// or entries do not belong to its shard, or whose entries repeat;
// checkEntries refuses one whose entries list fewer problems than their
// checks give; and recount computes every count and verdict again from
// the entries.

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
		e.OK = len(e.Problems) == 0
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

// checkEntries checks that every entry of r, report number i (from 1),
// lists the problems its checks give, as the audit derived them: the
// verifier's checks sorted into problems by classify (a check fails its
// artifact by the report package's rule, report.Check.FailsArtifact), and,
// for an artifact listing no problem at all, a verdict of its checks that
// verifies it (report.Artifact.Decide: a signature passed, nothing fails
// it). An entry may list more problems than its checks give (a listing's
// missing signature, an extra file): those come from facts the checks do
// not hold.
func checkEntries(i int, r *Report) error {
	for k := range r.Entries {
		e := &r.Entries[k]
		var verifier []verify.CheckResult
		var failing []string
		for _, c := range e.Checks {
			if c.FailsArtifact() {
				failing = append(failing, string(c.Kind))
			}
			if !isExtraKind(c.Kind) {
				verifier = append(verifier, c)
			}
		}
		bad := func(format string, a ...any) error {
			return fmt.Errorf("audit: merge: report %d (shard %s): entry %s: "+format, append([]any{i, r.Shard, safetext.Word(e.Path)}, a...)...)
		}
		fails := "fails it"
		if len(failing) > 1 {
			fails = "fail it"
		}
		missingSig := slices.ContainsFunc(e.Problems, func(p Problem) bool { return p.Kind == MissingSignature })
		for _, want := range classify(e.Path, verify.ArtifactReport{Checks: verifier}) {
			if want.Kind == Unsigned && missingSig {
				continue // the listing named the absent signature instead
			}
			if slices.ContainsFunc(e.Problems, func(p Problem) bool { return p.Kind == want.Kind && p.Path == want.Path }) {
				continue
			}
			of := ""
			if want.Path != e.Path {
				of = " of " + safetext.Word(want.Path)
			}
			return bad("its checks give a %s problem%s it does not list (%s %s)", want.Kind, of, strings.Join(failing, ", "), fails)
		}
		if len(e.Problems) > 0 || !isArtifactEntry(e) {
			continue
		}
		a := verify.ArtifactReport{Checks: e.Checks}
		a.Decide()
		switch {
		case a.OK:
		case len(failing) > 0:
			return bad("its checks fail it (%s), yet it lists no problem", strings.Join(failing, ", "))
		default:
			return bad("no signature check verifies it, yet it lists no problem")
		}
	}
	return nil
}

// isExtraKind reports whether checks of kind k are added by the audit's
// extra checks (an SBOM binding, a lifecycle gate), which give their own
// problems, rather than by the verifier.
func isExtraKind(k verify.Kind) bool {
	return k == verify.KindSBOM || k == verify.KindLifecycle
}
