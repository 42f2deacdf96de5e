package release

import (
	"errors"
	"strings"

	"github.com/pyverify/pyverify/manifest"
)

// ReadFrom names, in r and err as Load returned them, the address each
// document was actually read from, for a Fetcher that reads python.org's
// addresses from a mirror: addr maps an address on python.org to the one
// read. The sources, the manifests' Source and a *manifest.DataError's
// Source then name the mirror, so that a report or an error never blames
// python.org for what a mirror served. Links in the data stay
// python.org's, which the Fetcher maps in turn. ReadFrom returns its
// arguments, changed in place.
func ReadFrom(r *Release, err error, addr func(pythonOrgURL string) string) (*Release, error) {
	if addr == nil {
		return r, err
	}
	read := func(s string) string {
		if !strings.HasPrefix(s, PythonOrg+"/") {
			return s
		}
		// An API's source may say more after the address: "URL (page 2)".
		u, rest, more := strings.Cut(s, " ")
		if more {
			rest = " " + rest
		}
		return addr(u) + rest
	}
	if r != nil {
		for i := range r.Sources {
			r.Sources[i].URL = read(r.Sources[i].URL)
		}
		for _, m := range []*manifest.Manifest{r.Manifest, r.Page, r.API} {
			if m != nil {
				m.Source = read(m.Source)
			}
		}
	}
	var de *manifest.DataError
	if errors.As(err, &de) {
		de.Source = read(de.Source)
	}
	return r, err
}
