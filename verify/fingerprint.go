package verify

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"runtime/debug"

	"github.com/sigstore/sigstore-go/pkg/root"
)

// Fingerprint identifies what the verifier's verdicts depend on: the build
// of pyverify, the policy file (as written), every key of the
// keyring, the Sigstore trusted root and the verifier's options. Two
// verifiers with the same fingerprint reach the same verdicts on the same
// input, so a caller that records verdicts (pyverify audit's state file and
// shard reports) reuses them only under the same fingerprint. It is
// computed once, by NewVerifier: 64 hex digits.
func (v *Verifier) Fingerprint() string { return v.fingerprint }

// fingerprintOfTrust computes Verifier.Fingerprint.
func fingerprintOfTrust(p *Policy, keys Keyring, tm root.TrustedMaterial, require []Kind) (string, error) {
	h := sha256.New()
	part := func(b []byte) { fmt.Fprintf(h, "%d:", len(b)); h.Write(b) }
	part([]byte("pyverify.trust/v1 " + buildID()))
	part(p.source[:])
	keys.digest(h)
	if err := rootDigest(h, tm); err != nil {
		return "", err
	}
	for _, k := range require {
		part([]byte("require " + string(k)))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// digest writes every key of the keyring, as read, to h.
func (k Keyring) digest(h hash.Hash) {
	fmt.Fprintf(h, "keys %d:", len(k.keys))
	for _, e := range k.keys {
		fmt.Fprintf(h, "%s %d:", e.fpr, len(e.data))
		h.Write(e.data)
	}
}

// rootDigest writes the trusted material to h in its JSON form. Material
// that has none (a caller's own implementation) gets a marker unique to
// this process, so that verdicts reached with it are never reused.
func rootDigest(h hash.Hash, tm root.TrustedMaterial) error {
	m, ok := tm.(json.Marshaler)
	if !ok {
		fmt.Fprintf(h, "root %T %p", tm, tm)
		return nil
	}
	b, err := m.MarshalJSON()
	if err != nil {
		return fmt.Errorf("sigstore: trusted root: %w", err)
	}
	fmt.Fprintf(h, "root %d:", len(b))
	h.Write(b)
	return nil
}

// buildID names the build of pyverify: its module version, or the VCS
// revision it was built from.
func buildID() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	id := bi.Main.Version
	for _, s := range bi.Settings {
		if s.Key == "vcs.revision" || s.Key == "vcs.modified" {
			id += " " + s.Key + "=" + s.Value
		}
	}
	return id
}
