package audit

import (
	"reflect"
	"testing"

	"github.com/pyverify/pyverify/report"
	"github.com/pyverify/pyverify/verify"
)

// classify sorts failed checks by their reason codes: the wording of a
// detail never decides the kind of problem.
func TestClassifyByReason(t *testing.T) {
	const path = "3.14.1/Python-3.14.1.tgz"
	sig := func(kind verify.Kind, st verify.Status, reason report.Reason, detail string) verify.CheckResult {
		return verify.CheckResult{Kind: kind, Status: st, Required: true, Reason: reason, Detail: detail}
	}
	pass := verify.CheckResult{Kind: verify.KindSigstore, Status: verify.StatusPass, Required: true, Detail: "bundle verified"}
	for _, tc := range []struct {
		name   string
		checks []verify.CheckResult
		want   []Problem
	}{
		{"bundle signs other bytes, whatever the words",
			[]verify.CheckResult{sig(verify.KindSigstore, verify.StatusFail, verify.ReasonDigestMismatch, "some new wording")},
			[]Problem{{Kind: Digest, Path: path, Detail: "sigstore: some new wording"}}},
		{"a bad bundle whose detail reads like a digest mismatch",
			[]verify.CheckResult{sig(verify.KindSigstore, verify.StatusFail, verify.ReasonBadSignature, "signed SHA-256 is not the file's: bundle …")},
			[]Problem{{Kind: BadSignature, Path: path + ".sigstore", Detail: "sigstore: signed SHA-256 is not the file's: bundle …"}}},
		{"bad asc",
			[]verify.CheckResult{sig(verify.KindOpenPGP, verify.StatusFail, verify.ReasonBadSignature, "x")},
			[]Problem{{Kind: BadSignature, Path: path + ".asc", Detail: "openpgp: x"}}},
		{"gap whose detail does not start with policy gap",
			[]verify.CheckResult{sig(verify.KindPolicy, verify.StatusFail, verify.ReasonPolicyGap, "series 3.99 is not known")},
			[]Problem{{Kind: PolicyGap, Path: path, Detail: "policy: series 3.99 is not known"}}},
		{"size and both digests",
			[]verify.CheckResult{sig(verify.KindSize, verify.StatusFail, verify.ReasonSizeMismatch, "a"),
				sig(verify.KindMD5, verify.StatusFail, verify.ReasonDigestMismatch, "b"),
				sig(verify.KindSHA256, verify.StatusFail, verify.ReasonBadListing, "c"), pass},
			[]Problem{{Kind: Size, Path: path, Detail: "size: a"}, {Kind: Digest, Path: path, Detail: "md5: b; sha256: c"}}},
		{"absent, another verified",
			[]verify.CheckResult{sig(verify.KindOpenPGP, verify.StatusMissing, verify.ReasonSignatureAbsent, "no .asc"), pass},
			[]Problem{{Kind: MissingSignature, Path: path + ".asc", Detail: "openpgp: no .asc"}}},
		{"nothing accepted",
			[]verify.CheckResult{sig(verify.KindOpenPGP, verify.StatusFail, verify.ReasonNotAccepted, "n"),
				sig(verify.KindSigstore, verify.StatusMissing, verify.ReasonSignatureAbsent, "m")},
			[]Problem{{Kind: Unsigned, Path: path, Detail: "no signature the policy accepts: openpgp: n; sigstore: m"}}},
	} {
		got := classify(path, verify.ArtifactReport{Name: "Python-3.14.1.tgz", Checks: tc.checks})
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.name, got, tc.want)
		}
	}
}
