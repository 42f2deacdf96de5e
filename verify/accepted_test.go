package verify

import (
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/names"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
)

// embeddedPolicyNoSCT is the embedded policy with sigstore_require_sct
// off, so that a VirtualSigstore (whose certificates carry no SCT) can sign
// as the real release managers' identities.
func embeddedPolicyNoSCT(t *testing.T) *Policy {
	t.Helper()
	var raw map[string]any
	if err := json.Unmarshal(defaultPolicyJSON(), &raw); err != nil {
		t.Fatal(err)
	}
	raw["sigstore_require_sct"] = false
	data, err := json.Marshal(raw)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ParsePolicy(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAcceptedBeforeExpected310 is the 3.10.1 case of issue 7, built with
// VirtualSigstore (no real 3.10.1 bundle is in the corpus this repository
// carries): python.org signed the 3.10.1 files with Sigstore in April 2023,
// as pablogsal@python.org (https://accounts.google.com), long after the
// release, while the embedded policy expects bundles only from 3.10.7. The
// bundle is accepted; the .asc is reported missing but not required.
func TestAcceptedBeforeExpected310(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	tm, err := LoadTrustedRoot(mustVirtualRoot(t, vs))
	if err != nil {
		t.Fatal(err)
	}
	v, err := NewVerifier(embeddedPolicyNoSCT(t), DefaultKeyring(), tm)
	if err != nil {
		t.Fatal(err)
	}
	// The digest of the real python-3.10.1-embed-win32.zip (issue 7).
	digest, _ := hex.DecodeString("799f36b62c468b205c97c08102a4bf9c682825f2a20711d178c876762f01bda2")
	bundle, err := virtualSigstoreBundle(vs, "pablogsal@python.org", "https://accounts.google.com", digest, virtualBundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"python-3.10.1-embed-win32.zip", "Python-3.10.1.tgz"} {
		tg := Target{Name: name, Version: names.MustParseVersion("3.10.1"), Bundle: Sidecar{Data: bundle, Listed: true}}
		rep, err := v.VerifyDigest(tg, digest)
		if err != nil || !rep.OK {
			t.Fatalf("%s: err = %v, report = %+v", name, err, rep)
		}
		sg, op := checkOf(rep, KindSigstore), checkOf(rep, KindOpenPGP)
		if sg.Status != StatusPass || sg.Signer != "pablogsal@python.org (https://accounts.google.com)" || !strings.Contains(sg.Detail, "3.10.1 predates Sigstore signing of 3.10, first: 3.10.7") {
			t.Errorf("%s: sigstore = %+v", name, sg)
		}
		if op.Status != StatusMissing || op.Required {
			t.Errorf("%s: openpgp = %+v, want missing and not required", name, op)
		}
	}

	// The same bundle by another identity is a failure, not a skip.
	alien, err := virtualSigstoreBundle(vs, "mallory@example.org", "https://accounts.google.com", digest, virtualBundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tg := Target{Name: "python-3.10.1-embed-win32.zip", Version: names.MustParseVersion("3.10.1"), Bundle: Sidecar{Data: alien, Listed: true}}
	if rep, err := v.VerifyDigest(tg, digest); err == nil || checkOf(rep, KindSigstore).Status != StatusFail ||
		checkOf(rep, KindSigstore).Reason != ReasonBadSignature {
		t.Errorf("alien bundle: err = %v, report = %+v", err, rep)
	}

	// 3.6 has no Sigstore identity: a bundle is skipped, naming the
	// policy, and OpenPGP is still required.
	tg = Target{Name: "Python-3.6.15.tgz", Version: names.MustParseVersion("3.6.15"), Bundle: Sidecar{Data: bundle, Listed: true}}
	rep, err := v.VerifyDigest(tg, digest)
	if err == nil || rep.OK {
		t.Fatalf("3.6.15 with a bundle only: verified (%+v)", rep)
	}
	if sg := checkOf(rep, KindSigstore); sg.Status != StatusSkipped || sg.Required ||
		sg.Detail != "not counted: the policy names no Sigstore identity for series 3.6, so a bundle is not trust for it" {
		t.Errorf("3.6.15: sigstore = %+v", sg)
	}
	if op := checkOf(rep, KindOpenPGP); !op.Required || op.Status != StatusMissing {
		t.Errorf("3.6.15: openpgp = %+v, want required and missing", op)
	}
}
