package verify

import "github.com/pyverify/pyverify/manifest"

// BundleSignedDigest returns the SHA-256 digest a Sigstore bundle claims to
// sign, without verifying anything: a caller that acts on it must verify
// the bundle against that digest (VerifyDigest) first. It is false when
// data is not a bundle over a SHA-256 digest.
func BundleSignedDigest(data []byte) ([]byte, bool) { return bundleSignedDigest(data) }

// Requirement returns what the verifier's policy demands of the files of
// class c of release ver (see Policy.Lookup); the error is a policy gap.
func (v *Verifier) Requirement(ver manifest.Version, c manifest.Class) (Requirement, error) {
	return v.policy.Lookup(ver, c)
}
