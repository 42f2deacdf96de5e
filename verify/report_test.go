package verify

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
)

// A report carries the SHA-256 of the bytes checked, whether or not they
// verified: pins and SBOM bindings are made from it (when OK).
func TestReportCarriesCheckedDigest(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	sum := sha256.Sum256(f.data)
	want := hex.EncodeToString(sum[:])

	tg := f.target("3.14.1")
	tg.Bundle = Sidecar{Data: f.bundle, Listed: true}
	rep, err := v.VerifyReader(tg, bytes.NewReader(f.data))
	if err != nil || rep.SHA256 != want {
		t.Errorf("verified: sha256 %q, err %v; want %s", rep.SHA256, err, want)
	}

	other := append(bytes.Clone(f.data), 'x')
	sumOther := sha256.Sum256(other)
	rep, err = v.VerifyReader(tg, bytes.NewReader(other))
	if !errors.As(err, new(*VerificationError)) || checkOf(rep, KindSigstore).Reason != ReasonDigestMismatch ||
		rep.SHA256 != hex.EncodeToString(sumOther[:]) {
		t.Errorf("failed: sha256 %q, err %v; want the digest of the bytes read", rep.SHA256, err)
	}

	rep, err = v.VerifyDigest(tg, sum[:])
	if err != nil || rep.SHA256 != want {
		t.Errorf("by digest: sha256 %q, err %v", rep.SHA256, err)
	}
}
