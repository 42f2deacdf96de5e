package verify

import "github.com/pyverify/pyverify/names"

// SeriesRules is what the policy says about one release series, for
// printing it: who signs, with what, and from when.
type SeriesRules struct {
	// Series is the release series, such as "3.12".
	Series string
	// Sigstore is the signer whose Sigstore identity the series names, or
	// nil when it names none: a bundle is then never trust for the series.
	Sigstore *Signer
	// SigstoreSince is the first release signed with Sigstore (a bundle is
	// expected from it on); zero without Sigstore.
	SigstoreSince names.Version
	// SigstoreOnly reports whether the series publishes no OpenPGP
	// signatures (PEP 761).
	SigstoreOnly bool
	// OpenPGPLegacy reports whether legacy OpenPGP algorithms are accepted.
	OpenPGPLegacy bool
	// OpenPGP lists, per artifact class in the order of names.Classes, the
	// signers whose OpenPGP signature is accepted; classes without one are
	// left out.
	OpenPGP []ClassSigners
}

// ClassSigners is the OpenPGP signers of one artifact class.
type ClassSigners struct {
	Class   names.Class
	Signers []Signer
}

// Rules returns what the policy says about series ("3.12"), or false when
// the series is not in the policy.
func (p *Policy) Rules(series string) (SeriesRules, bool) {
	sp, ok := p.series[series]
	if !ok {
		return SeriesRules{}, false
	}
	r := SeriesRules{Series: sp.name, SigstoreSince: sp.sigstoreSince, SigstoreOnly: sp.sigstoreOnly, OpenPGPLegacy: sp.legacy}
	if sp.sigstore != nil {
		s := *sp.sigstore
		r.Sigstore = &s
	}
	if sp.sigstoreOnly {
		return r, true
	}
	for _, c := range names.Classes {
		if len(sp.openpgp[c]) == 0 {
			continue
		}
		cs := ClassSigners{Class: c}
		for _, s := range sp.openpgp[c] {
			cs.Signers = append(cs.Signers, *s)
		}
		r.OpenPGP = append(r.OpenPGP, cs)
	}
	return r, true
}
