// Package pinproof proves other people's pins: it tells whether the SHA-256
// that a pin file (pyenv, Docker, Homebrew, SHA256SUMS…, read by package
// pins) holds for a python.org release file is the digest a release
// manager signed.
//
// For a release signed with Sigstore the proof needs only the file's
// bundle (a few KB): the bundle must verify, under the embedded policy and
// the series' identity, over the pinned digest. For a release signed only
// with OpenPGP, it needs the file's bytes: the caller may pass a Download
// function that fetches and verifies the file; without one such pins are
// reported Unproven, never passed.
//
// The package does no network I/O of its own choosing: bundles come from
// the caller's Fetcher (an HTTP mirror, or a local tree laid out like
// /ftp/python/).
package pinproof

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/pins"
	"github.com/pyverify/pyverify/verify"
)

// An Outcome is what became of one pin.
type Outcome string

// The outcomes.
const (
	// Signed: a signature the policy accepts covers the pinned digest
	// (a Sigstore bundle verified over it, or with Download the file's
	// OpenPGP signature verified and its bytes hash to it).
	Signed Outcome = "signed"
	// Wrong: the release manager signed another digest for this file: the
	// pin is not the published file. Result.Signed holds the signed one.
	Wrong Outcome = "WRONG"
	// Unsigned: the release is one python.org signs with Sigstore only,
	// and there is no bundle for the file, so nothing can prove the pin.
	Unsigned Outcome = "unsigned"
	// PolicyGap: the policy does not say who signs the file.
	PolicyGap Outcome = "policy-gap"
	// Unproven: the file has no bundle, its release is signed with
	// OpenPGP, which needs the bytes, and no Download was given.
	Unproven Outcome = "unproven"
	// Failed: a signature was there and did not verify (a bad bundle, a
	// signer the policy does not pin), or the name breaks python.org's
	// rules. Result.Detail says which.
	Failed Outcome = "failed"
	// Error: the bundle or the file could not be fetched (Result.Err):
	// nothing was decided about the pin.
	Error Outcome = "error"
	// NotOurs: the pin is of another project's file (OpenSSL, pip…); it
	// is listed, not checked.
	NotOurs Outcome = "not-ours"
)

// A Fetcher returns the file at path under a python.org-shaped tree, such
// as "ftp/python/3.13.5/Python-3.13.5.tar.xz.sigstore". A file that is not
// there is an error matching fs.ErrNotExist. It must be safe for
// concurrent use and should cap what it reads (bundles are small).
type Fetcher func(ctx context.Context, path string) ([]byte, error)

// ErrTooLarge is what a Fetcher's error matches (errors.Is) when the file
// at path is larger than a bundle may be (verify.MaxSidecarSize): the
// bundle is there and is bad signature input, so the pin fails its
// Sigstore check, as an oversized bundle fails 'pyverify check'.
var ErrTooLarge = errors.New("larger than a Sigstore bundle may be")

// A Downloader proves a pin from the file's bytes: it fetches the file of
// e (and its signatures) and verifies it, returning the report, whose
// SHA256 is the digest of the bytes it read. It is called only for pins
// whose file has no bundle. It must be safe for concurrent use.
type Downloader func(ctx context.Context, e pins.Entry, t verify.Target) (verify.ArtifactReport, error)

// Options configure Prove.
type Options struct {
	// Jobs bounds how many pins are checked at once (default 8).
	Jobs int
	// Download, if set, proves pins that have no bundle from the file's
	// bytes. Without it they are Unproven.
	Download Downloader
	// Progress, if set, is called once per pin as it is done. It must be
	// safe for concurrent use.
	Progress func(Result)
	// Bind, if set, is asked about every pin a signature proved, with the
	// report of that proof and the bundle that proved it (nil when the
	// file's bytes did); an error makes the pin Failed with the error as
	// Detail. It is the hook for the release binding rules beyond the
	// name (BindName, always applied) that the verifier does not apply
	// itself: HOOK(release binding): the signing-time rule (the bundle's
	// signing time not before the release's date) plugs in here, unless
	// VerifyDigest judges it (as the release check of the release-binding
	// work does: its failure then makes the pin Failed without this
	// hook). It must be safe for concurrent use.
	Bind func(e pins.Entry, bundle []byte, rep verify.ArtifactReport) error
	// Where names the tree the Fetcher reads, for messages about a bundle
	// that is not there: empty for python.org (or a mirror of it), else a
	// local folder laid out like /ftp/python/, whose path is then given.
	Where string
}

// A Result is the outcome of one pin.
type Result struct {
	Entry   pins.Entry `json:"pin"`
	Outcome Outcome    `json:"outcome"`
	// By names the signature kind that proved (or disproved) the pin:
	// "sigstore" or "openpgp"; empty when none was checked.
	By verify.Kind `json:"by,omitempty"`
	// Signer is who signed, as the report names them.
	Signer string `json:"signer,omitempty"`
	// Signed is the digest the signature covers, when it is not the pin
	// (Wrong), lower-case hex.
	Signed string `json:"signed_sha256,omitempty"`
	// Detail says in one line why the pin is not Signed.
	Detail string `json:"detail,omitempty"`
	// Err is the error behind an Error outcome; nil otherwise.
	Err error `json:"-"`

	report verify.ArtifactReport // the proof's report, for Bind
	bundle []byte                // the bundle that proved it, for Bind
}

// Prove checks every entry with v and returns one Result per entry, in the
// order of es. Bundles are fetched with fetch, at most opt.Jobs at once;
// entries that are not Ours are NotOurs. The same file pinned twice with
// the same digest is checked once.
func Prove(ctx context.Context, v *verify.Verifier, fetch Fetcher, es []pins.Entry, opt Options) []Result {
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = 8
	}
	results := make([]Result, len(es))
	type key struct{ version, name, sha string }
	first := map[key]int{}
	var dups [][2]int // [copy, original]
	var todo []int
	for i, e := range es {
		if !e.Ours {
			results[i] = Result{Entry: e, Outcome: NotOurs, Detail: "not a python.org release file: not checked"}
			if opt.Progress != nil {
				opt.Progress(results[i])
			}
			continue
		}
		k := key{e.Version, e.Name, e.SHA256}
		if j, ok := first[k]; ok {
			dups = append(dups, [2]int{i, j})
			continue
		}
		first[k] = i
		todo = append(todo, i)
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, len(todo)) {
		wg.Go(func() {
			for i := range next {
				results[i] = proveOne(ctx, v, fetch, es[i], opt)
				if opt.Progress != nil {
					opt.Progress(results[i])
				}
			}
		})
	}
	for _, i := range todo {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, d := range dups {
		r := results[d[1]]
		r.Entry = es[d[0]]
		results[d[0]] = r
		if opt.Progress != nil {
			opt.Progress(r)
		}
	}
	return results
}

// BindName checks the name rule of a pin: its name is a file name
// python.org gives its release (names.ReleaseFile: a plain file name that
// carries the release's tag, of an artifact class), the release being the
// one the name carries, which must be the entry's, and its URL, if any, is
// that release's folder on python.org (pins.Read checks the folder when it
// reads the URL). A bundle signs a digest, not a name: this rule is what
// ties the pin's name to the release whose signer is required.
func BindName(e pins.Entry) (manifest.Version, error) {
	v, err := names.VersionFromFileName(e.Name)
	if err != nil {
		return v, err
	}
	if e.Version != "" && v.String() != e.Version {
		return v, fmt.Errorf("%s is a file of Python %s, not of %s", e.Name, v, e.Version)
	}
	if err := names.CheckFileName(e.Name); err != nil {
		return v, err
	}
	if c, ok := names.ReleaseFile(e.Name, v); !ok || c == names.ClassOther {
		return v, fmt.Errorf("%s: not a file name python.org gives its releases", e.Name)
	}
	return v, nil
}

func proveOne(ctx context.Context, v *verify.Verifier, fetch Fetcher, e pins.Entry, opt Options) Result {
	res := Result{Entry: e}
	fail := func(format string, a ...any) Result {
		res.Outcome, res.Detail = Failed, fmt.Sprintf(format, a...)
		return res
	}
	ver, err := BindName(e)
	if err != nil {
		return fail("%v", err)
	}
	digest, err := hex.DecodeString(e.SHA256)
	if err != nil || len(digest) != 32 {
		return fail("pinned SHA-256 %q: want 64 hexadecimal digits", e.SHA256)
	}
	t := verify.Target{Name: e.Name, Version: ver, Class: manifest.ClassOf(e.Name)}
	req, reqErr := v.Requirement(ver, t.Class)

	if ctx.Err() != nil {
		res.Outcome, res.Err, res.Detail = Error, ctx.Err(), "not checked: "+ctx.Err().Error()
		return res
	}
	path := "ftp/python/" + ver.FTPDir() + "/" + e.Name + ".sigstore"
	data, ferr := fetch(ctx, path)
	switch {
	case ferr == nil:
		t.Bundle = verify.Sidecar{Data: data, Listed: true}
		res.bundle = data
		return bind(fromBundle(v, t, digest, res), e, opt)
	case errors.Is(ferr, ErrTooLarge):
		t.Bundle = verify.Sidecar{TooLarge: true, Listed: true}
		return bind(fromBundle(v, t, digest, res), e, opt)
	case !errors.Is(ferr, fs.ErrNotExist):
		res.Outcome, res.Err, res.Detail = Error, ferr, fmt.Sprintf("%s.sigstore: %v", e.Name, ferr)
		return res
	}

	// No bundle.
	switch {
	case reqErr != nil:
		res.Outcome, res.Detail = PolicyGap, reqErr.Error()
		return res
	case len(req.OpenPGP) == 0 && req.Sigstore != nil && req.SigstoreExpected:
		res.Outcome, res.By = Unsigned, verify.KindSigstore
		res.Detail = fmt.Sprintf("Python %s is signed with Sigstore only, and python.org has no %s.sigstore", ver, e.Name)
		if opt.Where != "" {
			res.Detail = fmt.Sprintf("Python %s is signed with Sigstore only, and there is no %s", ver, filepath.Join(opt.Where, ver.FTPDir(), e.Name+".sigstore"))
		}
		return res
	case len(req.OpenPGP) == 0:
		// Neither a bundle nor an OpenPGP signer: VerifyDigest words the gap.
		rep, err := v.VerifyDigest(t, digest)
		if errors.Is(err, verify.ErrPolicyGap) {
			res.Outcome, res.Detail = PolicyGap, gapDetail(rep, err)
			return res
		}
		res.Outcome, res.Detail = Unsigned, fmt.Sprintf("no %s.sigstore, and the policy names no OpenPGP signer for it", e.Name)
		return res
	case opt.Download == nil:
		res.Outcome, res.By = Unproven, verify.KindOpenPGP
		res.Detail = fmt.Sprintf("no %s.sigstore: Python %s is signed with OpenPGP, which covers the bytes; give --download to prove it from the file", e.Name, ver)
		if opt.Where != "" {
			res.Detail = fmt.Sprintf("no %s: Python %s is signed with OpenPGP, which covers the bytes; give --download to prove it from the file", filepath.Join(opt.Where, ver.FTPDir(), e.Name+".sigstore"), ver)
		}
		return res
	}
	rep, derr := opt.Download(ctx, e, t)
	return bind(fromDownload(rep, derr, e, res), e, opt)
}

// gapDetail is why the policy cannot judge an artifact whose verification
// ended with err, a policy gap: the detail of the check that makes its
// report one (the gap's error is that detail after the artifact's name).
func gapDetail(rep verify.ArtifactReport, err error) string {
	if f := rep.Failures(); len(f) > 0 {
		return f[0].Detail
	}
	return err.Error()
}

// fromBundle judges a pin by its bundle.
func fromBundle(v *verify.Verifier, t verify.Target, digest []byte, res Result) Result {
	res.By = verify.KindSigstore
	rep, err := v.VerifyDigest(t, digest)
	res.report = rep
	sg := check(rep, verify.KindSigstore)
	res.Signer = sg.Signer
	switch {
	case rep.OK && sg.Status == verify.StatusPass:
		res.Outcome = Signed
		res.Detail = ""
		return res
	case errors.Is(err, verify.ErrPolicyGap):
		res.Outcome, res.Detail = PolicyGap, gapDetail(rep, err)
		return res
	case sg.Reason == verify.ReasonDigestMismatch:
		signed, ok := verify.BundleSignedDigest(t.Bundle.Data)
		if !ok {
			res.Outcome, res.Detail = Failed, sg.Detail
			return res
		}
		// The bundle signs another digest. It is proof against the pin
		// only if it verifies over that digest.
		rep2, _ := v.VerifyDigest(t, signed)
		sg2 := check(rep2, verify.KindSigstore)
		if rep2.OK && sg2.Status == verify.StatusPass {
			res.Outcome, res.Signer, res.Signed = Wrong, sg2.Signer, hex.EncodeToString(signed)
			res.Detail = fmt.Sprintf("pinned %s, signed %s", hex.EncodeToString(digest), res.Signed)
			return res
		}
		res.Outcome = Failed
		res.Detail = fmt.Sprintf("the bundle claims %x, not the pin, and does not verify: %s", signed, failure(rep2))
		return res
	}
	res.Outcome, res.Detail = Failed, failure(rep)
	if res.Detail == "" && err != nil {
		res.Detail = err.Error()
	}
	return res
}

// fromDownload judges a pin by its file's bytes, as the Downloader
// verified them.
func fromDownload(rep verify.ArtifactReport, err error, e pins.Entry, res Result) Result {
	res.By = verify.KindOpenPGP
	res.report = rep
	op := check(rep, verify.KindOpenPGP)
	res.Signer = op.Signer
	switch {
	case errors.Is(err, verify.ErrPolicyGap):
		res.Outcome, res.Detail = PolicyGap, gapDetail(rep, err)
	case rep.OK && rep.SHA256 == e.SHA256:
		res.Outcome = Signed
		if op.Status != verify.StatusPass {
			res.By = verify.KindSigstore
			res.Signer = check(rep, verify.KindSigstore).Signer
		}
	case rep.OK:
		res.Outcome, res.Signed = Wrong, rep.SHA256
		res.Detail = fmt.Sprintf("pinned %s, signed %s (the downloaded file, whose signature verified)", e.SHA256, rep.SHA256)
	case rep.Error != "" || err != nil && failure(rep) == "":
		res.Outcome, res.Err = Error, err
		res.Detail = rep.Error
		if res.Detail == "" && err != nil {
			res.Detail = err.Error()
		}
	default:
		res.Outcome, res.Detail = Failed, failure(rep)
	}
	return res
}

// bind applies the binding hook to a proven pin.
func bind(res Result, e pins.Entry, opt Options) Result {
	if res.Outcome != Signed || opt.Bind == nil {
		return res
	}
	if err := opt.Bind(e, res.bundle, res.report); err != nil {
		res.Outcome, res.Detail = Failed, err.Error()
	}
	return res
}

func check(rep verify.ArtifactReport, k verify.Kind) verify.CheckResult {
	for _, c := range rep.Checks {
		if c.Kind == k {
			return c
		}
	}
	return verify.CheckResult{}
}

// failure says in one line why a report failed.
func failure(rep verify.ArtifactReport) string {
	var parts []string
	for _, c := range rep.Checks {
		if c.Status == verify.StatusFail || c.Required && c.Status != verify.StatusPass {
			parts = append(parts, fmt.Sprintf("%s: %s", c.Kind, c.Detail))
		}
	}
	return strings.Join(parts, "; ")
}
