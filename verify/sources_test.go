package verify

import (
	"bytes"
	"errors"
	"testing"
)

func TestCrossCheck(t *testing.T) {
	f := newVerifierFixture(t)
	v := f.verifier(t)
	bundle := Sidecar{Data: f.bundle, Listed: true}

	// Two sources that agree: a passing crosscheck.
	tg := f.target("3.14.0")
	tg.Bundle, tg.Sources = bundle, []string{"release page", "JSON API"}
	rep, err := v.VerifyReader(tg, bytes.NewReader(f.data))
	if err != nil {
		t.Fatal(err)
	}
	if c := checkOf(rep, KindCrossCheck); c.Status != StatusPass || !c.Required || c.Detail != "release page and JSON API agree" {
		t.Errorf("crosscheck = %+v", c)
	}

	// One source: no crosscheck in the report.
	tg.Sources = []string{"release page"}
	rep, err = v.VerifyReader(tg, bytes.NewReader(f.data))
	if err != nil || checkOf(rep, KindCrossCheck).Status != "absent" {
		t.Errorf("one source: err = %v, crosscheck = %+v", err, checkOf(rep, KindCrossCheck))
	}

	// A disagreement fails the artifact, whatever else verifies.
	tg.Sources = []string{"release page", "JSON API"}
	tg.Disagreements = []string{"md5: release page lists 00000000000000000000000000000000, JSON API lists 11111111111111111111111111111111"}
	rep, err = v.VerifyReader(tg, bytes.NewReader(f.data))
	var ve *VerificationError
	if !errors.As(err, &ve) || rep.OK || len(ve.Failures) != 1 || ve.Failures[0].Kind != KindCrossCheck {
		t.Fatalf("err = %v, report = %+v", err, rep)
	}
	want := "Python-3.14.0.tgz: crosscheck: md5: release page lists 00000000000000000000000000000000, JSON API lists 11111111111111111111111111111111"
	if err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
}
