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
	Differences []Difference
}

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

// Reconcile cross-checks a manifest read from a release page with one read
// from the JSON API for the same release, matching artifacts by name.
//
// Every disagreement is reported, none is merged silently: an artifact
// listed by only one, different artifact or sidecar URLs (a sidecar listed
// by only one counts), MD5 or SHA-256 digests that are both present but
// differ, an exact page size that differs from the API's, and a human page
// size that is not what [HumanSize] gives for the API's exact size. Labels,
// operating systems and descriptions are not compared: python.org renames
// them over time ("Mac OS X" became "macOS"). If there is any difference,
// the error is a [*DataError] wrapping a [*MismatchError] listing them all.
//
// The result is the page's manifest (its order, labels and size texts) with
// exact sizes from the API and each digest from whichever lists it. Both
// inputs must be valid (see [Manifest.Validate]).
func Reconcile(page, api *Manifest) (*Manifest, error) {
	if err := page.Validate(); err != nil {
		return nil, err
	}
	if err := api.Validate(); err != nil {
		return nil, err
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
			continue
		}
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
			if pv, av := *sc.get(&p), *sc.get(a); pv != av {
				diff(sc.field, pv, av)
			}
		}
		if a.Size > 0 {
			switch {
			case p.Size > 0 && p.Size != a.Size:
				diff(fieldSize, itoa(p.Size), itoa(a.Size))
			case p.Size == 0 && p.SizeText != "" && !SizeTextMatches(p.SizeText, a.Size):
				diff(fieldSizeText, p.SizeText, a.SizeText)
			}
			r.Size = a.Size
			if r.SizeText == "" {
				r.SizeText = a.SizeText
			}
		}
		out.Artifacts = append(out.Artifacts, r)
	}
	for _, a := range api.Artifacts {
		if !onPage[a.Name] {
			diffs = append(diffs, Difference{Name: a.Name, Field: "artifact", API: a.URL})
		}
	}
	if len(diffs) > 0 {
		return nil, &DataError{Source: quoteIfNeeded(page.Source), Err: &MismatchError{Differences: diffs}}
	}
	if err := out.Validate(); err != nil {
		return nil, err
	}
	return out, nil
}
