package manifest

import (
	"fmt"
	"strings"
)

// A Difference is one point on which a release page and the JSON API
// disagree.
type Difference struct {
	// Name is the artifact's file name; empty for the version.
	Name string
	// Field is the manifest field that differs ("md5", "sha256", "url",
	// "size", "size_text", a sidecar URL field, "version"), or "artifact"
	// when the artifact is listed by only one of the two.
	Field string
	// Page and API are the two values; for Field "artifact" they are the
	// artifact's URL, or "" where it is not listed.
	Page, API string
}

// String words the difference for people, artifact first.
func (d Difference) String() string {
	var b strings.Builder
	if d.Name != "" {
		b.WriteString(quoteIfNeeded(d.Name) + ": ")
	}
	switch {
	case d.Field == "artifact" && d.API == "":
		b.WriteString("only on the release page")
	case d.Field == "artifact":
		b.WriteString("only in the API")
	default:
		fmt.Fprintf(&b, "%s: page %s, API %s", d.Field, quote(d.Page), quote(d.API))
	}
	return b.String()
}

// A MismatchError lists every point on which a release page and the JSON
// API disagree. [Reconcile] returns it wrapped in a [*DataError].
type MismatchError struct {
	// Differences lists every point of disagreement.
	Differences []Difference
}

// Error lists the differences.
func (e *MismatchError) Error() string {
	const show = 10
	var b strings.Builder
	fmt.Fprintf(&b, "release page and API disagree (%d difference", len(e.Differences))
	if len(e.Differences) != 1 {
		b.WriteString("s")
	}
	b.WriteString("): ")
	for i, d := range e.Differences {
		if i == show {
			fmt.Fprintf(&b, "; and %d more", len(e.Differences)-show)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(d.String())
	}
	return b.String()
}

// Reason words the difference for a report on its artifact, naming both
// sources and both values (without the artifact's name), such as
// `md5: the release page lists "c60d…", the JSON API lists "0123…"`.
func (d Difference) Reason() string {
	switch {
	case d.Field == "artifact" && d.API == "":
		return "listed only on the release page, not in the JSON API"
	case d.Field == "artifact":
		return "listed only in the JSON API, not on the release page"
	case d.Field == fieldSizeText:
		return fmt.Sprintf("size: the release page shows %s, the JSON API lists %s bytes", reasonValue(d.Page), reasonValue(d.API))
	}
	return fmt.Sprintf("%s: the release page lists %s, the JSON API lists %s", d.Field, reasonValue(d.Page), reasonValue(d.API))
}

// reasonValue shows a value in a Reason: quoted only when needed, and
// "nothing" when empty.
func reasonValue(s string) string {
	if s == "" {
		return "nothing"
	}
	return quoteIfNeeded(s)
}

// Reconcile cross-checks a manifest read from a release page with one read
// from the JSON API for the same release, as [Merge] does, and fails on
// any difference: the error is then a [*DataError] wrapping a
// [*MismatchError] listing them all.
func Reconcile(page, api *Manifest) (*Manifest, error) {
	out, diffs, err := Merge(page, api)
	if err != nil {
		return nil, err
	}
	if len(diffs) > 0 {
		return nil, &DataError{Source: quoteIfNeeded(page.Source), Err: &MismatchError{Differences: diffs}}
	}
	return out, nil
}

// Merge cross-checks a manifest read from a release page with one read
// from the JSON API for the same release, matching artifacts by name, and
// returns their union with every point on which they disagree. Callers
// that verify artifacts one by one use it to fail just the artifacts
// concerned; [Reconcile] fails on any difference.
//
// Every disagreement is reported, none is merged silently: an artifact
// listed by only one, different artifact or sidecar URLs (a sidecar listed
// by only one counts), MD5 or SHA-256 digests that are both present but
// differ, an exact page size that differs from the API's, and a human page
// size that is not what [HumanSize] gives for the API's exact size. Labels,
// operating systems and descriptions are not compared: python.org renames
// them over time ("Mac OS X" became "macOS"). Differences about one
// artifact carry its Name; a different version has an empty Name.
//
// The result is the page's manifest (its order, labels and size texts) with
// exact sizes from the API and each digest from whichever lists it, then the
// artifacts only the API lists. Where both list a value and they differ,
// the page's is kept. Both inputs must be valid (see [Manifest.Validate]);
// the error reports invalid input only.
func Merge(page, api *Manifest) (*Manifest, []Difference, error) {
	if err := page.Validate(); err != nil {
		return nil, nil, err
	}
	if err := api.Validate(); err != nil {
		return nil, nil, err
	}
	var diffs []Difference
	if page.Version != api.Version {
		diffs = append(diffs, Difference{Field: fieldVersion, Page: page.Version, API: api.Version})
	}
	byName := make(map[string]*Artifact, len(api.Artifacts))
	for i := range api.Artifacts {
		byName[api.Artifacts[i].Name] = &api.Artifacts[i]
	}
	out := &Manifest{
		Schema:    Schema,
		Version:   page.Version,
		Source:    page.Source + " + " + api.Source,
		Artifacts: make([]Artifact, 0, len(page.Artifacts)),
	}
	onPage := make(map[string]bool, len(page.Artifacts))
	for _, p := range page.Artifacts {
		onPage[p.Name] = true
		a, ok := byName[p.Name]
		if !ok {
			diffs = append(diffs, Difference{Name: p.Name, Field: "artifact", Page: p.URL})
			out.Artifacts = append(out.Artifacts, p)
			continue
		}
		r, d := mergeArtifact(p, *a)
		diffs = append(diffs, d...)
		out.Artifacts = append(out.Artifacts, r)
	}
	for _, a := range api.Artifacts {
		if !onPage[a.Name] {
			diffs = append(diffs, Difference{Name: a.Name, Field: "artifact", API: a.URL})
			out.Artifacts = append(out.Artifacts, a)
		}
	}
	if err := out.Validate(); err != nil {
		return nil, nil, err
	}
	return out, diffs, nil
}

// mergeArtifact merges the page's and the API's entries for one artifact
// and lists where they differ.
func mergeArtifact(p, a Artifact) (Artifact, []Difference) {
	var diffs []Difference
	diff := func(field, pv, av string) {
		diffs = append(diffs, Difference{Name: p.Name, Field: field, Page: pv, API: av})
	}
	r := p
	if p.URL != a.URL {
		diff(fieldURL, p.URL, a.URL)
	}
	for _, d := range []struct {
		field  string
		pv, av string
		dst    *string
	}{{fieldMD5, p.MD5, a.MD5, &r.MD5}, {fieldSHA256, p.SHA256, a.SHA256, &r.SHA256}} {
		switch {
		case d.pv != "" && d.av != "" && d.pv != d.av:
			diff(d.field, d.pv, d.av)
		case d.pv == "":
			*d.dst = d.av
		}
	}
	for _, sc := range sidecars {
		if pv, av := *sc.get(&p), *sc.get(&a); pv != av {
			diff(sc.field, pv, av)
		}
	}
	if a.Size > 0 {
		switch {
		case p.Size > 0 && p.Size != a.Size:
			diff(fieldSize, itoa(p.Size), itoa(a.Size))
			return r, diffs
		case p.Size == 0 && p.SizeText != "" && !SizeTextMatches(p.SizeText, a.Size):
			diff(fieldSizeText, p.SizeText, a.SizeText)
			return r, diffs
		}
		r.Size = a.Size
		if r.SizeText == "" {
			r.SizeText = a.SizeText
		}
	}
	return r, diffs
}
