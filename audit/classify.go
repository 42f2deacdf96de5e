package audit

import (
	"strings"

	"github.com/pyverify/pyverify/verify"
)

// sigstoreDigestMismatch starts the detail of a Sigstore check whose bundle
// signs a digest other than the file's: the file's bytes are wrong, not the
// signature (TestClassifySigstoreDigest keeps this in step with verify).
const sigstoreDigestMismatch = "signed SHA-256 is not the file's"

// classify names the problems of an artifact from the verifier's report.
// It never decides anything the verifier did not: it only sorts the failed
// checks into kinds. path is the artifact's path; p the verifier's policy,
// consulted to tell a signature that was checked and failed from one the
// policy does not accept.
func classify(path string, t verify.Target, p *verify.Policy, rep verify.ArtifactReport) []Problem {
	var out []Problem
	add := func(k ProblemKind, file, detail string) {
		// One problem per kind and file: a file whose MD5, SHA-256 and
		// signed digest all differ has one digest problem, saying so.
		for i := range out {
			if out[i].Kind == k && out[i].Path == file {
				out[i].Detail += "; " + detail
				return
			}
		}
		out = append(out, Problem{Kind: k, Path: file, Detail: detail})
	}
	req, reqErr := p.Lookup(t.Version, t.Class)
	var absent []verify.CheckResult // required signatures not there to check
	signed, badSig := false, false
	for _, c := range rep.Checks {
		if (c.Kind == verify.KindOpenPGP || c.Kind == verify.KindSigstore) && c.Status == verify.StatusPass {
			signed = true
		}
		if c.Status != verify.StatusFail && (!c.Required || c.Status == verify.StatusPass) {
			continue
		}
		detail := string(c.Kind) + ": " + c.Detail
		switch c.Kind {
		case verify.KindPolicy:
			// A gap is also found by the verifier itself, when no
			// signature is expected and no bundle came (verify.Requirement).
			if reqErr != nil || strings.HasPrefix(c.Detail, verify.ErrPolicyGap.Error()) {
				add(PolicyGap, path, detail)
			} else {
				absent = append(absent, c)
			}
		case verify.KindSize:
			add(Size, path, detail)
		case verify.KindMD5, verify.KindSHA256:
			add(Digest, path, detail)
		case verify.KindOpenPGP:
			if t.Signature.Data != nil && reqErr == nil && !req.SigstoreOnly && len(req.OpenPGP) > 0 {
				add(BadSignature, path+".asc", detail)
				badSig = true
			} else {
				absent = append(absent, c)
			}
		case verify.KindSigstore:
			switch {
			case t.Bundle.Data != nil && reqErr == nil && req.Sigstore != nil && strings.HasPrefix(c.Detail, sigstoreDigestMismatch):
				add(Digest, path, detail)
				badSig = true
			case t.Bundle.Data != nil && reqErr == nil && req.Sigstore != nil:
				add(BadSignature, path+".sigstore", detail)
				badSig = true
			default:
				absent = append(absent, c)
			}
		default:
			// A check kind this package does not know (added to verify
			// later) still fails the artifact, under its own detail.
			add(BadSignature, path, detail)
		}
	}
	if len(absent) == 0 || badSig || reqErr != nil {
		return out
	}
	if signed {
		// Another signature verified, but one that is required is absent.
		for _, c := range absent {
			file := path
			switch c.Kind {
			case verify.KindOpenPGP:
				file += ".asc"
			case verify.KindSigstore:
				file += ".sigstore"
			}
			add(MissingSignature, file, string(c.Kind)+": "+c.Detail)
		}
		return out
	}
	var parts []string
	for _, c := range absent {
		parts = append(parts, string(c.Kind)+": "+c.Detail)
	}
	add(Unsigned, path, "no signature the policy accepts: "+strings.Join(parts, "; "))
	return out
}
