package report

import (
	"errors"
	"testing"
)

var (
	sizePass = Check{Kind: KindSize, Status: StatusPass, Required: true, Detail: "10 bytes, as listed"}
	sizeFail = Check{Kind: KindSize, Status: StatusFail, Required: true, Detail: "got 11 bytes, want 10", Reason: ReasonSizeMismatch}
	sigPass  = Check{Kind: KindSigstore, Status: StatusPass, Required: true, Detail: "bundle verified"}
	pgpAbs   = Check{Kind: KindOpenPGP, Status: StatusMissing, Detail: "no .asc signature (not listed)"}
	gap      = Check{Kind: KindPolicy, Status: StatusFail, Required: true, Detail: "policy gap: series 3.99 is not in the policy", Reason: ReasonPolicyGap}
)

func TestFailsArtifact(t *testing.T) {
	for _, tt := range []struct {
		c    Check
		want bool
	}{
		{sizePass, false}, {sizeFail, true}, {pgpAbs, false},
		{Check{Status: StatusMissing, Required: true}, true},
		{Check{Status: StatusSkipped, Required: true}, true},
		{Check{Status: StatusSkipped}, false},
	} {
		if got := tt.c.FailsArtifact(); got != tt.want {
			t.Errorf("%+v: FailsArtifact = %v", tt.c, got)
		}
	}
}

func TestDecideAndErr(t *testing.T) {
	a := Artifact{Name: "x.tgz", Checks: []Check{sizePass, pgpAbs, sigPass}}
	a.Decide()
	if !a.OK || a.Err() != nil {
		t.Fatalf("verified artifact: OK %v, err %v", a.OK, a.Err())
	}
	// Nothing fails it, but no signature passed: never OK.
	u := Artifact{Name: "x.tgz", Checks: []Check{sizePass, pgpAbs}}
	u.Decide()
	var ve *VerificationError
	if u.OK || !errors.As(u.Err(), &ve) || ve.Failures[0].Reason != ReasonUnsigned {
		t.Errorf("unsigned: OK %v, err %v", u.OK, u.Err())
	}
	// A policy gap alone is a gap; with a failure it is a failure.
	g := Artifact{Name: "x.tgz", Checks: []Check{sizePass, gap}}
	g.Decide()
	if err := g.Err(); g.OK || !errors.Is(err, ErrPolicyGap) || err.Error() != "x.tgz: policy gap: series 3.99 is not in the policy" {
		t.Errorf("gap: %v", err)
	}
	g.Replace(sizeFail)
	if err := g.Err(); !errors.As(err, &ve) || err.Error() != "x.tgz: size: got 11 bytes, want 10; policy: policy gap: series 3.99 is not in the policy" {
		t.Errorf("gap and failure: %v", err)
	}
	// Not read: the error says why.
	n := Artifact{Name: "x.tgz", Checks: []Check{pgpAbs}}
	n.SetError("x.tgz: reading: unexpected EOF")
	if err := n.Err(); n.OK || err == nil || err.Error() != "x.tgz: reading: unexpected EOF" {
		t.Errorf("not read: %v", err)
	}
}

func TestAddOnlyTakesTheVerdictAway(t *testing.T) {
	a := Artifact{Name: "x.tgz", Checks: []Check{sizePass, sigPass}}
	a.Decide()
	a.Add(Check{Kind: KindSBOM, Status: StatusSkipped, Detail: "no SBOM listed for this file"})
	if !a.OK {
		t.Fatal("a check that does not fail took the verdict away")
	}
	err := a.AddAfter(nil, Check{Kind: KindLifecycle, Status: StatusFail, Required: true, Detail: "refused", Reason: ReasonRefused})
	var ve *VerificationError
	if a.OK || !errors.As(err, &ve) || len(ve.Failures) != 1 || err.Error() != "x.tgz: lifecycle: refused" {
		t.Errorf("refused: OK %v, err %v", a.OK, err)
	}
	// A failed artifact never verifies again by adding.
	f := Artifact{Name: "x.tgz"}
	f.Add(sigPass)
	if f.OK {
		t.Error("Add gave a verdict")
	}
}

func TestAddAfterKeepsPriorFailures(t *testing.T) {
	prior := &VerificationError{Name: "x.tgz", Failures: []Check{sizeFail}}
	a := Artifact{Name: "x.tgz", Checks: []Check{sizeFail}}
	lc := Check{Kind: KindLifecycle, Status: StatusFail, Required: true, Detail: "refused", Reason: ReasonRefused}
	err := a.AddAfter(prior, lc)
	if err.Error() != "x.tgz: size: got 11 bytes, want 10; lifecycle: refused" {
		t.Errorf("err = %v", err)
	}
	pass := Check{Kind: KindLifecycle, Status: StatusPass, Required: true}
	if err := a.AddAfter(prior, pass); err != error(prior) {
		t.Errorf("a passing check changed the outcome: %v", err)
	}
}

func TestReplaceByKind(t *testing.T) {
	a := Artifact{Name: "x.tgz", Checks: []Check{sizePass, sigPass}}
	a.Decide()
	a.Replace(sizeFail)
	if a.OK || len(a.Checks) != 2 || a.Checks[0] != sizeFail {
		t.Errorf("replace: %+v", a)
	}
	a.Replace(sizePass)
	if !a.OK {
		t.Error("replacing the failing check did not decide again")
	}
	if c, ok := a.Check(KindSigstore); !ok || c != sigPass {
		t.Errorf("Check(sigstore) = %+v, %v", c, ok)
	}
}

func TestSeal(t *testing.T) {
	var r Report
	r.Seal()
	if r.Schema != Schema || !r.OK || r.Artifacts == nil {
		t.Errorf("empty: %+v", r)
	}
	ok := Artifact{Name: "a", Checks: []Check{sigPass}}
	ok.Decide()
	r = Report{Artifacts: []Artifact{ok, {Name: "b"}}}
	r.Seal()
	if r.OK || r.Artifacts[1].Checks == nil {
		t.Errorf("one failed: %+v", r)
	}
}
