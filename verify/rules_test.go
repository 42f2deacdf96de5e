package verify

import (
	"testing"

	"github.com/pyverify/pyverify/names"
)

// Rules says, per series, what Lookup says for a late release of it.
func TestRulesAgreeWithLookup(t *testing.T) {
	p := DefaultPolicy()
	for _, s := range p.Series() {
		r, ok := p.Rules(s)
		if !ok || r.Series != s {
			t.Fatalf("Rules(%s) = %+v, %v", s, r, ok)
		}
		v := names.MustParseVersion(s + ".999")
		byClass := map[names.Class][]Signer{}
		for _, cs := range r.OpenPGP {
			byClass[cs.Class] = cs.Signers
		}
		for _, c := range names.Classes {
			req, err := p.Lookup(v, c)
			if err != nil {
				if r.Sigstore != nil || len(byClass[c]) > 0 {
					t.Errorf("%s %s: Lookup failed (%v), Rules names signers", s, c, err)
				}
				continue
			}
			if (req.Sigstore == nil) != (r.Sigstore == nil) || req.SigstoreOnly != r.SigstoreOnly || len(req.OpenPGP) != len(byClass[c]) {
				t.Errorf("%s %s: Lookup %+v, Rules %+v", s, c, req, r)
			}
		}
	}
	if _, ok := p.Rules("1.0"); ok {
		t.Error("Rules(1.0) found a series")
	}
}
