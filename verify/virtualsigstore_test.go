package verify

// This file is the recipe for making Sigstore bundles and a trusted root
// that verify offline, with sigstore-go v1.3.0's pkg/testing/ca
// VirtualSigstore, written to JSON. The fixtures generator can copy it.
//
// The traps, all handled below:
//
//   - VirtualSigstore.Sign signs the artifact's bytes and makes no inclusion
//     proof, and its tlog.Entry hides the SET and lacks kindVersion, so its
//     entities cannot be turned into bundle JSON. Build the log entry
//     yourself: sign the SHA-256 digest with the key GenerateLeafCert
//     returns, write the hashedrekord body, get the SET from
//     RekorSignPayload and the inclusion proof (with a signed checkpoint)
//     from GetInclusionProof.
//   - VirtualSigstore.RekorLogs and CTLogs give each log an ID holding the
//     hex *string* of the key ID; a trusted root written from them cannot
//     match any entry after reloading. Replace the IDs with the raw key-ID
//     bytes (hex-decode them) before root.NewTrustedRoot.
//   - Its certificates carry no SCT: verify with requireSCT false.
//   - Its Fulcio CA and Rekor log are valid from a few hours before to one
//     hour after the VirtualSigstore is made, and its leaf certificates for
//     ten minutes. Verification uses the logged (integrated) time, so put
//     the integrated time inside the leaf's validity; the fixtures then
//     keep verifying forever.
//   - Its RFC 3161 timestamps (TimestampResponse) are optional; python.org's
//     bundles mostly have none.

import (
	"crypto"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"testing"
	"time"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	protorekor "github.com/sigstore/protobuf-specs/gen/pb-go/rekor/v1"
	"github.com/sigstore/sigstore-go/pkg/root"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	"github.com/sigstore/sigstore-go/pkg/tlog"
	"google.golang.org/protobuf/encoding/protojson"
)

// virtualBundleOptions vary the bundles virtualSigstoreBundle makes.
type virtualBundleOptions struct {
	// MediaType defaults to the v0.3 media type. With the v0.1 or v0.2
	// media types the certificate goes in x509CertificateChain, as
	// python.org's old bundles have it.
	MediaType string
	// CertificateChain puts the certificate in x509CertificateChain even
	// for v0.3, which sigstore-go accepts only with AllowCertificateChain.
	CertificateChain bool
	// NoInclusionProof leaves out the inclusion proof (allowed in v0.1).
	NoInclusionProof bool
	// RFC3161 adds an RFC 3161 timestamp over the signature.
	RFC3161 bool
	// SignDigest, if set, is the digest actually signed while the bundle
	// and its log entry claim the real one: a logged but invalid signature.
	SignDigest []byte
}

// virtualSigstoreBundle returns the JSON of a bundle in which identity
// (an email), with OIDC issuer, signs the SHA-256 digest of a file.
func virtualSigstoreBundle(vs *ca.VirtualSigstore, identity, issuer string, digest []byte, o virtualBundleOptions) ([]byte, error) {
	if len(digest) != sha256.Size {
		return nil, errors.New("want a SHA-256 digest")
	}
	// 1. A Fulcio-style leaf certificate and its key (P-256 by default;
	//    ca.NewVirtualSigstoreWithSigningAlg picks another curve).
	leaf, priv, err := vs.GenerateLeafCert(identity, issuer)
	if err != nil {
		return nil, err
	}
	signer, ok := priv.(crypto.Signer)
	if !ok {
		return nil, errors.New("leaf key is not a crypto.Signer")
	}
	// 2. The signature over the digest (ASN.1 ECDSA with SHA-256).
	toSign := digest
	if o.SignDigest != nil {
		toSign = o.SignDigest
	}
	sig, err := signer.Sign(rand.Reader, toSign, crypto.SHA256)
	if err != nil {
		return nil, err
	}
	// 3. The Rekor hashedrekord v0.0.1 body. json.Marshal sorts map keys,
	//    which gives Rekor's canonical form.
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: leaf.Raw})
	body, err := json.Marshal(map[string]any{
		"apiVersion": "0.0.1",
		"kind":       "hashedrekord",
		"spec": map[string]any{
			"data": map[string]any{"hash": map[string]any{"algorithm": "sha256", "value": hex.EncodeToString(digest)}},
			"signature": map[string]any{
				"content":   base64.StdEncoding.EncodeToString(sig),
				"publicKey": map[string]any{"content": base64.StdEncoding.EncodeToString(certPEM)},
			},
		},
	})
	if err != nil {
		return nil, err
	}
	// 4. The SET: the log's signature over body, integrated time, index and
	//    log ID (hex). The integrated time must fall in the leaf's validity.
	integrated := leaf.NotBefore.Add(time.Minute).Unix()
	const logIndex = 1000
	logIDHex, err := vs.RekorLogID()
	if err != nil {
		return nil, err
	}
	logIDRaw, err := hex.DecodeString(logIDHex)
	if err != nil {
		return nil, err
	}
	set, err := vs.RekorSignPayload(tlog.RekorPayload{
		Body:           base64.StdEncoding.EncodeToString(body),
		IntegratedTime: integrated,
		LogIndex:       logIndex,
		LogID:          logIDHex,
	})
	if err != nil {
		return nil, err
	}
	tle := &protorekor.TransparencyLogEntry{
		LogIndex:          logIndex,
		LogId:             &protocommon.LogId{KeyId: logIDRaw}, // raw bytes, not hex
		KindVersion:       &protorekor.KindVersion{Kind: "hashedrekord", Version: "0.0.1"},
		IntegratedTime:    integrated,
		InclusionPromise:  &protorekor.InclusionPromise{SignedEntryTimestamp: set},
		CanonicalizedBody: body,
	}
	// 5. The inclusion proof with its signed checkpoint (hex → bytes).
	if !o.NoInclusionProof {
		p, err := vs.GetInclusionProof(body)
		if err != nil {
			return nil, err
		}
		rootHash, err := hex.DecodeString(*p.RootHash)
		if err != nil {
			return nil, err
		}
		hashes := make([][]byte, len(p.Hashes))
		for i, h := range p.Hashes {
			if hashes[i], err = hex.DecodeString(h); err != nil {
				return nil, err
			}
		}
		tle.InclusionProof = &protorekor.InclusionProof{
			LogIndex:   *p.LogIndex,
			RootHash:   rootHash,
			TreeSize:   *p.TreeSize,
			Hashes:     hashes,
			Checkpoint: &protorekor.Checkpoint{Envelope: *p.Checkpoint},
		}
	}
	// 6. The bundle.
	mediaType := o.MediaType
	if mediaType == "" {
		mediaType = sigstoreMediaTypeV03b
	}
	vm := &protobundle.VerificationMaterial{TlogEntries: []*protorekor.TransparencyLogEntry{tle}}
	if mediaType == sigstoreMediaTypeV01 || mediaType == sigstoreMediaTypeV02 || o.CertificateChain {
		vm.Content = &protobundle.VerificationMaterial_X509CertificateChain{
			X509CertificateChain: &protocommon.X509CertificateChain{
				Certificates: []*protocommon.X509Certificate{{RawBytes: leaf.Raw}},
			},
		}
	} else {
		vm.Content = &protobundle.VerificationMaterial_Certificate{
			Certificate: &protocommon.X509Certificate{RawBytes: leaf.Raw},
		}
	}
	if o.RFC3161 {
		tsr, err := vs.TimestampResponse(sig)
		if err != nil {
			return nil, err
		}
		vm.TimestampVerificationData = &protobundle.TimestampVerificationData{
			Rfc3161Timestamps: []*protocommon.RFC3161SignedTimestamp{{SignedTimestamp: tsr}},
		}
	}
	pb := &protobundle.Bundle{
		MediaType:            mediaType,
		VerificationMaterial: vm,
		Content: &protobundle.Bundle_MessageSignature{MessageSignature: &protocommon.MessageSignature{
			MessageDigest: &protocommon.HashOutput{Algorithm: protocommon.HashAlgorithm_SHA2_256, Digest: digest},
			Signature:     sig,
		}},
	}
	return protojson.Marshal(pb)
}

// virtualSigstoreTrustedRoot returns the JSON of a trusted root for vs.
func virtualSigstoreTrustedRoot(vs *ca.VirtualSigstore) ([]byte, error) {
	rawIDs := func(logs map[string]*root.TransparencyLog) (map[string]*root.TransparencyLog, error) {
		out := make(map[string]*root.TransparencyLog, len(logs))
		for k, l := range logs {
			id, err := hex.DecodeString(string(l.ID))
			if err != nil {
				return nil, fmt.Errorf("log ID %q: %v", l.ID, err)
			}
			c := *l
			c.ID = id
			out[k] = &c
		}
		return out, nil
	}
	rekor, err := rawIDs(vs.RekorLogs())
	if err != nil {
		return nil, err
	}
	ct, err := rawIDs(vs.CTLogs())
	if err != nil {
		return nil, err
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01,
		vs.FulcioCertificateAuthorities(), ct, vs.TimestampingAuthorities(), rekor)
	if err != nil {
		return nil, err
	}
	return tr.MarshalJSON()
}

const (
	testIdentity = "rm@example.org"
	testIssuer   = "https://accounts.example.org"
)

// newVirtualChecker makes a VirtualSigstore and a checker for its trusted
// root, reloaded from JSON with LoadTrustedRoot.
func newVirtualChecker(t testing.TB, vs *ca.VirtualSigstore) *sigstoreChecker {
	t.Helper()
	rootJSON, err := virtualSigstoreTrustedRoot(vs)
	if err != nil {
		t.Fatal(err)
	}
	tm, err := LoadTrustedRoot(rootJSON)
	if err != nil {
		t.Fatal(err)
	}
	c, err := newSigstoreChecker(tm, false)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestVirtualSigstoreRoundTrip(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	c := newVirtualChecker(t, vs)
	digest := sha256.Sum256([]byte("Python-3.99.0.tgz contents"))
	for _, tc := range []struct {
		name string
		o    virtualBundleOptions
	}{
		{"v0.3", virtualBundleOptions{}},
		{"v0.3+rfc3161", virtualBundleOptions{RFC3161: true}},
		{"v0.3 chain", virtualBundleOptions{MediaType: sigstoreMediaTypeV03, CertificateChain: true}},
		{"v0.2", virtualBundleOptions{MediaType: sigstoreMediaTypeV02}},
		{"v0.1 SET only", virtualBundleOptions{MediaType: sigstoreMediaTypeV01, NoInclusionProof: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := virtualSigstoreBundle(vs, testIdentity, testIssuer, digest[:], tc.o)
			if err != nil {
				t.Fatal(err)
			}
			signer, err := c.check(b, digest[:], testIdentity, testIssuer)
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			if want := testIdentity + " (" + testIssuer + ")"; signer != want {
				t.Errorf("signer = %q, want %q", signer, want)
			}
			// The same bundle fails for another file and another signer.
			other := sha256.Sum256([]byte("other"))
			if _, err := c.check(b, other[:], testIdentity, testIssuer); !errors.Is(err, errSigstoreDigestMismatch) {
				t.Errorf("other digest: err = %v, want errSigstoreDigestMismatch", err)
			}
			var idErr *sigstoreIdentityError
			if _, err := c.check(b, digest[:], "mallory@example.org", testIssuer); !errors.As(err, &idErr) {
				t.Errorf("other identity: err = %v, want *sigstoreIdentityError", err)
			}
			// With requireSCT, the SCT-less certificate is refused.
			tm, _ := LoadTrustedRoot(mustVirtualRoot(t, vs))
			strict, err := newSigstoreChecker(tm, true)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := strict.check(b, digest[:], testIdentity, testIssuer); !isSigstoreStage(err, "certificate transparency") {
				t.Errorf("requireSCT: err = %v, want a certificate transparency failure", err)
			}
		})
	}
}

func mustVirtualRoot(t testing.TB, vs *ca.VirtualSigstore) []byte {
	t.Helper()
	b, err := virtualSigstoreTrustedRoot(vs)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVirtualSigstoreRawLogIDs shows why virtualSigstoreTrustedRoot rewrites
// the log IDs: with VirtualSigstore's own (hex string) IDs, nothing verifies.
func TestVirtualSigstoreRawLogIDs(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	tr, err := root.NewTrustedRoot(root.TrustedRootMediaType01,
		vs.FulcioCertificateAuthorities(), vs.CTLogs(), vs.TimestampingAuthorities(), vs.RekorLogs())
	if err != nil {
		t.Fatal(err)
	}
	rootJSON, err := tr.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	tm, err := LoadTrustedRoot(rootJSON)
	if err != nil {
		t.Fatal(err)
	}
	c, err := newSigstoreChecker(tm, false)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("x"))
	b, err := virtualSigstoreBundle(vs, testIdentity, testIssuer, digest[:], virtualBundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.check(b, digest[:], testIdentity, testIssuer); !isSigstoreStage(err, "transparency log") {
		t.Errorf("err = %v, want a transparency log failure", err)
	}
}
