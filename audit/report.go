package audit

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// Schema is the value of Report.Schema for the format this package writes.
const Schema = "pyverify.audit/v1"

// A ProblemKind names one kind of problem an audit finds.
type ProblemKind string

// The kinds of problem, as the report names them.
const (
	// Missing: python.org lists the file, the mirror does not have it.
	Missing ProblemKind = "missing"
	// Extra: the mirror has an artifact that python.org's listing of its
	// release does not list (only reported when a listing is given).
	Extra ProblemKind = "extra"
	// Size: the file's size is not the listed size.
	Size ProblemKind = "size"
	// Digest: the file's MD5 or SHA-256 is not the listed one, or not the
	// digest its Sigstore bundle signs.
	Digest ProblemKind = "digest"
	// BadSignature: a signature the policy checks did not verify.
	BadSignature ProblemKind = "bad-signature"
	// MissingSignature: a signature file the listing names, or one the
	// verifier requires while another signature verified, is absent.
	MissingSignature ProblemKind = "missing-signature"
	// Unsigned: the artifact has no signature the policy accepts.
	Unsigned ProblemKind = "unsigned"
	// PolicyGap: the policy does not say who signs the artifact.
	PolicyGap ProblemKind = "policy-gap"
	// Unreadable: the file could not be read (a folder that cannot be
	// listed, a named pipe or device, a file larger than its cap).
	Unreadable ProblemKind = "unreadable"
	// LinkOutside: a symbolic link to a file outside the mirror's root,
	// which the audit never reads (its digest would reveal the file).
	LinkOutside ProblemKind = "link-outside-root"
	// OrphanSidecar: a signature or SBOM file whose artifact is absent.
	OrphanSidecar ProblemKind = "orphan-sidecar"
	// Lifecycle: a lifecycle gate (--deny-eol, --deny-prerelease,
	// --deny-security-only) refuses the artifact's release.
	Lifecycle ProblemKind = "lifecycle"
	// SBOM: the artifact's SBOM is malformed or does not describe it (its
	// CPython package's SHA-256 is not the verified one); see CheckSBOM.
	SBOM ProblemKind = "sbom"
	// WrongRelease: the file is signed, but its name, content or signing
	// time names another release than its directory's (the verifier's
	// release check).
	WrongRelease ProblemKind = "wrong-release"
)

// ProblemKinds lists every kind, in the order reports use.
var ProblemKinds = []ProblemKind{Missing, Extra, Size, Digest, BadSignature, MissingSignature, Unsigned, PolicyGap, Unreadable, LinkOutside, OrphanSidecar, Lifecycle, SBOM, WrongRelease}

// A Problem is one thing wrong with one file of the mirror.
type Problem struct {
	Kind ProblemKind `json:"kind"`
	// Path is the file concerned, relative to the mirror's root with
	// slashes: the artifact, or one of its sidecars.
	Path string `json:"path"`
	// Detail says what is wrong, in one line.
	Detail string `json:"detail"`
}

// An Entry is the outcome for one artifact of the mirror, or for a file
// that is not one (a listed file the mirror lacks, an orphan sidecar).
type Entry struct {
	// Path is the artifact's path relative to the mirror's root, with
	// slashes ("3.12.4/Python-3.12.4.tgz").
	Path string `json:"path"`
	// Release is the release directory the entry belongs to ("3.12.4").
	Release string `json:"release"`
	Version string `json:"version,omitempty"`
	Class   string `json:"class,omitempty"`
	// Size, MD5 and SHA256 are what the audit read; absent when the file
	// was not read.
	Size   int64  `json:"size,omitempty"`
	MD5    string `json:"md5,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
	// Sidecars are the names of the artifact's sidecar files found.
	Sidecars []string `json:"sidecars,omitempty"`
	// Listed reports whether a listing names the artifact.
	Listed bool `json:"listed"`
	OK     bool `json:"ok"`
	// Problems is empty when OK.
	Problems []Problem `json:"problems,omitempty"`
	// Checks are the verifier's checks, as pyverify check reports them.
	Checks   []verify.CheckResult `json:"checks,omitempty"`
	Warnings []string             `json:"warnings,omitempty"`
}

// A Skipped names a top-level entry that is not a release directory, and
// so was not audited.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Counts summarize entries.
type Counts struct {
	// Files counts the files the mirror holds (artifacts and sidecars).
	Files int `json:"files"`
	// Artifacts counts the artifacts the mirror holds.
	Artifacts int `json:"artifacts"`
	// OK counts the artifacts without problems.
	OK int `json:"ok"`
	// Problems counts problems by kind; kinds with none are absent.
	Problems map[ProblemKind]int `json:"problems"`
}

func (c *Counts) add(o Counts) {
	c.Files += o.Files
	c.Artifacts += o.Artifacts
	c.OK += o.OK
	for k, n := range o.Problems {
		c.addProblem(k, n)
	}
}

func (c *Counts) addProblem(k ProblemKind, n int) {
	if c.Problems == nil {
		c.Problems = map[ProblemKind]int{}
	}
	c.Problems[k] += n
}

// ProblemCount returns the number of problems of every kind.
func (c Counts) ProblemCount() int {
	n := 0
	for _, v := range c.Problems {
		n += v
	}
	return n
}

// A ReleaseSummary counts the outcomes of one release directory.
type ReleaseSummary struct {
	Dir string `json:"dir"`
	// Listed reports whether a listing covered the release.
	Listed bool `json:"listed"`
	Counts
}

// A Report is the outcome of an audit. Its JSON form (Schema) is a stable
// contract, documented in the README. Reports are deterministic: the same
// mirror and trust material give byte-identical JSON.
type Report struct {
	Schema string `json:"schema"`
	// Root is the mirror audited, as given.
	Root string `json:"root"`
	// Shard is "i/n" for a shard's report, empty for a whole mirror.
	Shard string `json:"shard,omitempty"`
	// Listing says where expected values came from: "none",
	// "manifests" or "api".
	Listing string `json:"listing"`
	// OK is true when no problem was found.
	OK       bool             `json:"ok"`
	Summary  Counts           `json:"summary"`
	Releases []ReleaseSummary `json:"releases"`
	Skipped  []Skipped        `json:"skipped,omitempty"`
	// Entries are sorted by path. With Options.OnEntry set and
	// Options.KeepEntries false, Run leaves them out.
	Entries []Entry `json:"entries"`
	// Lifecycle says what the lifecycle gates were judged against, when
	// any was asked for (the caller sets it).
	Lifecycle *verify.LifecycleContext `json:"lifecycle,omitempty"`
	// Trust is the verifier's Fingerprint: what the
	// verdicts were reached under; Merge refuses shards that differ.
	Trust string `json:"trust,omitempty"`
}

// finish sorts the report and computes its totals.
func (r *Report) finish() {
	slices.SortFunc(r.Releases, func(a, b ReleaseSummary) int { return compareDirs(a.Dir, b.Dir) })
	slices.SortFunc(r.Entries, func(a, b Entry) int { return strings.Compare(a.Path, b.Path) })
	slices.SortFunc(r.Skipped, func(a, b Skipped) int { return strings.Compare(a.Path, b.Path) })
	r.Summary = Counts{Problems: map[ProblemKind]int{}}
	for i := range r.Releases {
		if r.Releases[i].Problems == nil {
			r.Releases[i].Problems = map[ProblemKind]int{}
		}
		r.Summary.add(r.Releases[i].Counts)
	}
	r.OK = r.Summary.ProblemCount() == 0
	if r.Entries == nil {
		r.Entries = []Entry{}
	}
	if r.Releases == nil {
		r.Releases = []ReleaseSummary{}
	}
}

// Merge combines the reports of the shards 1/n … n/n of one audit into the
// report a whole-mirror audit gives. Every shard must be present once, and
// all must share the root and listing. Each release and entry must belong
// to the shard whose report holds it, and no entry may be in two reports;
// the counts and verdicts are computed again from the entries, whatever
// the reports say.
func Merge(reports ...*Report) (*Report, error) {
	if len(reports) == 0 {
		return nil, errors.New("audit: merge: no reports")
	}
	out := &Report{Schema: Schema, Root: reports[0].Root, Listing: reports[0].Listing, Lifecycle: reports[0].Lifecycle, Trust: reports[0].Trust}
	n := -1
	seen := map[int]bool{}
	entries := map[string]int{}
	for i, r := range reports {
		if r.Schema != Schema {
			return nil, fmt.Errorf("audit: merge: report %d: not a %s report", i+1, Schema)
		}
		s, err := ParseShard(r.Shard)
		if err != nil || r.Shard == "" {
			return nil, fmt.Errorf("audit: merge: report %d: not a shard's report (shard %q)", i+1, r.Shard)
		}
		switch {
		case n == -1:
			n = s.N
		case s.N != n:
			return nil, fmt.Errorf("audit: merge: report %d is shard %s, the others of %d shards", i+1, r.Shard, n)
		}
		if seen[s.I] {
			return nil, fmt.Errorf("audit: merge: shard %s given twice", r.Shard)
		}
		seen[s.I] = true
		if r.Root != out.Root {
			return nil, fmt.Errorf("audit: merge: report %d audits %q, not %q", i+1, r.Root, out.Root)
		}
		if r.Listing != out.Listing {
			return nil, fmt.Errorf("audit: merge: report %d has listing %q, not %q", i+1, r.Listing, out.Listing)
		}
		if r.Trust != out.Trust {
			return nil, fmt.Errorf("audit: merge: report %d was judged with other trust material (policy, keyring, trusted root, --require or pyverify version)", i+1)
		}
		if !sameLifecycle(r.Lifecycle, reports[0].Lifecycle) {
			return nil, fmt.Errorf("audit: merge: report %d was judged with other lifecycle gates, data or day", i+1)
		}
		if err := checkShard(i+1, s, r, entries); err != nil {
			return nil, err
		}
		if err := checkEntries(i+1, r); err != nil {
			return nil, err
		}
		out.Releases = append(out.Releases, r.Releases...)
		out.Entries = append(out.Entries, r.Entries...)
		out.Skipped = append(out.Skipped, r.Skipped...)
	}
	for i := 1; i <= n; i++ {
		if !seen[i] {
			return nil, fmt.Errorf("audit: merge: shard %d/%d is missing", i, n)
		}
	}
	dirs := map[string]bool{}
	for _, r := range out.Releases {
		if dirs[r.Dir] {
			return nil, fmt.Errorf("audit: merge: release %s is in two shards", r.Dir)
		}
		dirs[r.Dir] = true
	}
	recount(out)
	out.finish()
	return out, nil
}

// addEntry adds one entry to a release's counts.
func (c *Counts) addEntry(e *Entry, artifact bool) {
	if artifact {
		c.Artifacts++
		if len(e.Problems) == 0 {
			c.OK++
		}
	}
	for _, p := range e.Problems {
		c.addProblem(p.Kind, 1)
	}
}

// compareDirs orders release directories by version (3.6.15 before
// 3.12.4), then by name.
func compareDirs(a, b string) int {
	va, erra := manifest.ParseVersion(a)
	vb, errb := manifest.ParseVersion(b)
	if erra == nil && errb == nil {
		if c := va.Compare(vb); c != 0 {
			return c
		}
	}
	return cmp.Compare(a, b)
}

// sameLifecycle reports whether two shards' lifecycle gates agree.
func sameLifecycle(a, b *verify.LifecycleContext) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Data == b.Data && a.DataDate == b.DataDate && a.DataDateKind == b.DataDateKind &&
		a.Today == b.Today && slices.Equal(a.Gates, b.Gates)
}
