package audit

import (
	"strings"

	"github.com/pyverify/pyverify/verify"
)

// classify names the problems of an artifact from the verifier's report.
// It never decides anything the verifier did not: it only sorts the checks
// that failed the artifact into kinds, by their reason codes (never by the
// wording of their details). path is the artifact's path.
func classify(path string, rep verify.ArtifactReport) []Problem {
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
	var absent []verify.CheckResult // required signatures not there to check, or not accepted
	signed, badSig, gap := false, false, false
	for _, c := range rep.Checks {
		if (c.Kind == verify.KindOpenPGP || c.Kind == verify.KindSigstore) && c.Status == verify.StatusPass {
			signed = true
		}
		if !c.FailsArtifact() {
			continue
		}
		detail := string(c.Kind) + ": " + c.Detail
		switch c.Reason {
		case verify.ReasonPolicyGap:
			add(PolicyGap, path, detail)
			gap = true
		case verify.ReasonSizeMismatch:
			add(Size, path, detail)
		case verify.ReasonDigestMismatch:
			// Also a Sigstore bundle that signs another digest: the
			// file's bytes are wrong, not the signature.
			add(Digest, path, detail)
			badSig = badSig || c.Kind == verify.KindSigstore
		case verify.ReasonBadSignature:
			add(BadSignature, path+sidecarSuffix(c.Kind), detail)
			badSig = true
		case verify.ReasonSignatureAbsent, verify.ReasonNotAccepted, verify.ReasonUnsigned:
			absent = append(absent, c)
		case verify.ReasonWrongRelease, verify.ReasonSignedBeforeRelease:
			add(WrongRelease, path, detail)
		default:
			// A listed value that is malformed, or a reason this package
			// does not know (added to verify later): it still fails the
			// artifact, under its own detail.
			switch c.Kind {
			case verify.KindSize:
				add(Size, path, detail)
			case verify.KindMD5, verify.KindSHA256:
				add(Digest, path, detail)
			default:
				add(BadSignature, path, detail)
			}
		}
	}
	if len(absent) == 0 || badSig || gap {
		return out
	}
	if signed {
		// Another signature verified, but one that is required is absent.
		for _, c := range absent {
			add(MissingSignature, path+sidecarSuffix(c.Kind), string(c.Kind)+": "+c.Detail)
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

// sidecarSuffix is the suffix of the file that holds a signature of kind k.
func sidecarSuffix(k verify.Kind) string {
	switch k {
	case verify.KindOpenPGP:
		return ".asc"
	case verify.KindSigstore:
		return ".sigstore"
	}
	return ""
}
