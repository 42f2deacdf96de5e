package verify

import (
	"bytes"
	"testing"
)

func TestFingerprint(t *testing.T) {
	tm := mustDefaultRoot(t)
	build := func(pj []byte, opts ...Option) string {
		t.Helper()
		p, err := ParsePolicy(pj)
		if err != nil {
			t.Fatal(err)
		}
		v, err := NewVerifier(p, DefaultKeyring(), tm, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return v.Fingerprint()
	}
	pj := defaultPolicyJSON()
	a, b := build(pj), build(bytes.Clone(pj))
	if len(a) != 64 || a != b {
		t.Fatalf("the same trust gives %s and %s", a, b)
	}
	if c := build(pj, WithRequire(KindSigstore)); c == a {
		t.Error("WithRequire does not change the fingerprint")
	}
	if c := build(bytes.Replace(pj, []byte(`"schema"`), []byte(`"schema" `), 1)); c == a {
		t.Error("another policy file does not change the fingerprint")
	}
}
