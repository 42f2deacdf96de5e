// Package release reads what python.org says a release contains, from
// its release page, its JSON API (v2, falling back to v1), or both, and
// cross-checks the two. Its [Release] turns a listed artifact into what
// the verifier checks ([Release.Target]), the cross-check included.
//
// Cross-checking is the default. Every point on which the page and the API
// disagree (a file listed by one only, a different MD5, SHA-256, size or
// sidecar URL) fails the artifact concerned, with a reason naming both
// sources and both values; other artifacts are unaffected. What the API
// adds fills what the page lacks (exact sizes, digests).
//
// When the API cannot be reached (a network failure, a 404 or 410, a 429,
// a 5xx after every retry, for v2 and then v1) but the page can, the run
// goes on with the page alone and Release.Warnings says so: the result is
// never presented as cross-checked. An API that answers with another 4xx
// (403 Forbidden, 418), with malformed data, or lists no files for the
// release, is not a reason to degrade: Load fails,
// since a server that answers wrongly is not to be trusted silently (the
// caller can choose PageOnly).
package release

import (
	"context"
	"errors"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/report"
	"github.com/pyverify/pyverify/verify"
)

// A Mode says which sources Load reads.
type Mode int

const (
	// Both reads the page and the API and cross-checks them; an
	// unreachable API degrades to the page, with a warning.
	Both Mode = iota
	// PageOnly reads the release page only.
	PageOnly
	// APIOnly reads the JSON API only.
	APIOnly
	// BothStrict reads the page and the API, as Both does, but an
	// unreachable API is an error, not a reason to go on with the page.
	BothStrict
)

// A Release is a release's manifest and what is known about where it came
// from.
type Release struct {
	// Manifest lists every artifact: for a cross-check, the page's
	// artifacts merged with the API's, then those only the API lists.
	Manifest *manifest.Manifest
	// Page and API are the manifests of the release page and of the JSON
	// API as read, nil for a source not read.
	Page, API *manifest.Manifest
	// Sources are the documents read, in order.
	Sources []report.Source
	// Warnings are facts about the sources a person should know, such as
	// an unreachable API.
	Warnings []string
	// Notes are informational (v1 read because v2 was unreachable).
	Notes []string

	targetSources []string
	diffs         map[string][]manifest.Difference
	sha256From    map[string]string
}

// Load reads release v through fetch, from the sources mode names.
func Load(ctx context.Context, fetch Fetcher, v manifest.Version, mode Mode) (*Release, error) {
	r := &Release{diffs: map[string][]manifest.Difference{}, sha256From: map[string]string{}}
	var page, api *manifest.Manifest
	if mode != APIOnly {
		var err error
		if page, err = fetchPage(ctx, fetch, v); err != nil {
			return nil, err
		}
		r.Sources = append(r.Sources, report.Source{Name: SourcePage, URL: page.Source})
	}
	if mode != PageOnly {
		var unreachable *UnreachableError
		m, src, note, err := fetchAPI(ctx, fetch, v)
		switch {
		case err != nil && mode == Both && errors.As(err, &unreachable):
			r.Warnings = append(r.Warnings, unreachable.Summary()+": verified against the release page only, without a cross-check")
		case err != nil:
			return nil, &apiError{err}
		default:
			api = m
			r.Sources = append(r.Sources, src)
			if note != "" {
				r.Notes = append(r.Notes, note)
			}
		}
	}
	r.Page, r.API = page, api
	if err := r.combine(page, api); err != nil {
		return nil, err
	}
	return r, nil
}

// combine sets the manifest from the sources read and records, per
// artifact, the differences and where its SHA-256 came from.
func (r *Release) combine(page, api *manifest.Manifest) error {
	switch {
	case page != nil && api != nil:
		m, diffs, err := manifest.Merge(page, api)
		if err != nil {
			return err
		}
		for _, d := range diffs {
			if d.Name == "" {
				// Not about one artifact (the version): the data as a
				// whole is wrong.
				return &manifest.DataError{Source: page.Source, Err: &manifest.MismatchError{Differences: []manifest.Difference{d}}}
			}
			r.diffs[d.Name] = append(r.diffs[d.Name], d)
		}
		r.Manifest = m
		r.targetSources = []string{SourcePage, "JSON API"}
		r.noteSHA256(page, SourcePage)
		r.noteSHA256(api, "JSON API")
	case page != nil:
		r.Manifest = page
		r.noteSHA256(page, SourcePage)
	default:
		r.Manifest = api
		r.noteSHA256(api, "JSON API")
	}
	return nil
}

// noteSHA256 records that m, named name, lists the SHA-256 of its
// artifacts; a value both sources list alike is credited to both.
func (r *Release) noteSHA256(m *manifest.Manifest, name string) {
	for _, a := range m.Artifacts {
		if a.SHA256 == "" {
			continue
		}
		if prev, ok := r.sha256From[a.Name]; ok {
			if r.sha256Agrees(a) {
				r.sha256From[a.Name] = prev + " and " + name
			}
			continue
		}
		r.sha256From[a.Name] = name
	}
}

// sha256Agrees reports whether no difference about a's SHA-256 was found.
func (r *Release) sha256Agrees(a manifest.Artifact) bool {
	for _, d := range r.diffs[a.Name] {
		if d.Field == "sha256" {
			return false
		}
	}
	return true
}

// CrossChecked reports whether both the page and the API were read.
func (r *Release) CrossChecked() bool { return len(r.targetSources) > 1 }

// Describe adds to t what the sources say about artifact a: which sources
// were compared, where they disagree, and where its SHA-256 was listed.
func (r *Release) Describe(a manifest.Artifact, t *verify.Target) {
	t.Sources = r.targetSources
	for _, d := range r.diffs[a.Name] {
		t.Disagreements = append(t.Disagreements, d.Reason())
	}
	t.SHA256Source = r.sha256From[a.Name]
}

// Target returns what the verifier checks for artifact a of release v:
// the listed size and digests, and what the sources say about it (see
// Describe). The caller adds the signatures it has (Target.Signature,
// Target.Bundle).
func (r *Release) Target(a manifest.Artifact) verify.Target {
	t := verify.Target{Name: a.Name, Class: a.Class, Size: a.Size, MD5: a.MD5, SHA256: a.SHA256}
	if r.Manifest != nil {
		t.Version, _ = manifest.ParseVersion(r.Manifest.Version)
	}
	r.Describe(a, &t)
	return t
}

// CrossCheck returns the "crosscheck" check of the artifact named name:
// whether the sources agree about it. ok is false when only one source was
// read and none disagrees. The verifier adds this check to the reports of
// the targets Target makes; a caller that verified otherwise appends it
// with report.Artifact.Add.
func (r *Release) CrossCheck(name string) (c report.Check, ok bool) {
	var t verify.Target
	r.Describe(manifest.Artifact{Name: name}, &t)
	return verify.CrossCheckResult(t)
}

// Artifact returns the listed artifact named name.
func (r *Release) Artifact(name string) (manifest.Artifact, bool) {
	for _, a := range r.Manifest.Artifacts {
		if a.Name == name {
			return a, true
		}
	}
	return manifest.Artifact{}, false
}

// Reconciled returns the release's manifest when every source read agrees
// about every artifact, and a *manifest.MismatchError listing the
// differences otherwise (pyverify manifest --cross-check).
func (r *Release) Reconciled() (*manifest.Manifest, error) {
	if r.Page != nil && r.API != nil {
		return manifest.Reconcile(r.Page, r.API)
	}
	return r.Manifest, nil
}
