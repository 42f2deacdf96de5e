package verify

import (
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/names"
)

// This file holds the checks that compare the sources of an artifact's
// expected values: the release page, the JSON API and the digest a
// Sigstore bundle signs.

// CrossCheckResult is the report's "crosscheck" check for t: whether the
// release data's sources agree about the artifact (Target.Sources,
// Target.Disagreements). ok is false when the values came from one source
// only and none disagrees: the report then has no such check.
func CrossCheckResult(t Target) (CheckResult, bool) {
	c := CheckResult{Kind: KindCrossCheck}
	switch {
	case len(t.Disagreements) > 0:
		c.Status, c.Required, c.Reason = StatusFail, true, ReasonSourcesDisagree
		c.Detail = strings.Join(t.Disagreements, "; ")
	case len(t.Sources) >= 2:
		c.Status, c.Required = StatusPass, true
		c.Detail = strings.Join(t.Sources, " and ") + " agree"
	default:
		return c, false
	}
	return c, true
}

// listedSHA256 is the listed SHA-256 and, when known, where it was listed.
func listedSHA256(t Target) string {
	s := strings.ToLower(strings.TrimSpace(t.SHA256))
	if t.SHA256Source != "" {
		s += " (listed by the " + t.SHA256Source + ")"
	}
	return s
}

// digestMismatch words the failure of a bundle that signs another digest
// than the file's, with the three values: the bundle's, the file's and,
// when listed, the release data's (kept short enough for one report line).
func digestMismatch(t Target, sha256 []byte) string {
	parts := []string{}
	if signed, ok := bundleSignedDigest(t.Bundle.Data); ok {
		parts = append(parts, fmt.Sprintf("bundle %x", signed))
	}
	parts = append(parts, fmt.Sprintf("file %x", sha256))
	if isHexDigest(t.SHA256, 32) {
		from := t.SHA256Source
		if from == "" {
			from = "listed"
		}
		parts = append(parts, from+" "+strings.ToLower(strings.TrimSpace(t.SHA256)))
	}
	return "signed SHA-256 is not the file's: " + strings.Join(parts, ", ")
}

// bundleSignedDigest returns the SHA-256 digest a Sigstore bundle claims to
// sign, for messages only: it is not verified here.
func bundleSignedDigest(data []byte) ([]byte, bool) {
	if data == nil {
		return nil, false
	}
	b, err := parseSigstoreBundle(data)
	if err != nil {
		return nil, false
	}
	sc, err := b.SignatureContent()
	if err != nil || sc.MessageSignatureContent() == nil {
		return nil, false
	}
	d := sc.MessageSignatureContent().Digest()
	if len(d) != 32 {
		return nil, false
	}
	return d, true
}

// isHexDigest reports whether s is n bytes of hex.
func isHexDigest(s string, n int) bool { return names.IsHex(strings.TrimSpace(s), 2*n) }
