package verify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	"google.golang.org/protobuf/encoding/protojson"
)

// FuzzSigstoreBundle feeds arbitrary bundle JSON to check, with the real
// trusted root. It must never panic, and a bundle that verifies must name
// the expected signer.
func FuzzSigstoreBundle(f *testing.F) {
	for _, b := range realBundles(f) {
		f.Add(b.json, b.identity, b.issue)
	}
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}`), "a@b", "https://x")
	f.Add([]byte(`{}`), "a@b", "https://x")
	c := publicGoodChecker(f)
	f.Fuzz(func(t *testing.T, data []byte, identity, issuer string) {
		// Use the digest the bundle claims, so that fuzzing reaches the
		// verification stages rather than stopping at the comparison.
		digest := make([]byte, 32)
		pb := new(protobundle.Bundle)
		if protojson.Unmarshal(data, pb) == nil {
			if d := pb.GetMessageSignature().GetMessageDigest().GetDigest(); len(d) == 32 {
				digest = d
			}
		}
		signer, err := c.check(data, digest, identity, issuer)
		if err == nil && signer != formatSigstoreSigner(identity, issuer) {
			t.Fatalf("verified with signer %q, want %s (%s)", signer, identity, issuer)
		}
		if err != nil && strings.ContainsAny(err.Error(), "\x1b\r\n") {
			t.Fatalf("error carries control characters: %q", err)
		}
	})
}

// FuzzLoadTrustedRoot feeds arbitrary JSON to LoadTrustedRoot.
func FuzzLoadTrustedRoot(f *testing.F) {
	data, err := os.ReadFile(filepath.Join(bundleDir, "trusted_root.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}`))
	f.Add([]byte(`{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1","tlogs":[{}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tm, err := LoadTrustedRoot(data)
		if err == nil && (len(tm.FulcioCertificateAuthorities()) == 0 || len(tm.RekorLogs()) == 0) {
			t.Fatal("accepted a trusted root without authorities or logs")
		}
	})
}
