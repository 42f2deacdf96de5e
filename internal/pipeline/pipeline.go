// Package pipeline downloads release artifacts, verifies them while they
// stream, and moves only verified files into a destination folder.
//
// Each artifact goes through the same steps: its sidecars (.asc, .sigstore)
// are fetched first, because they are small and the checks must be set up
// before the bytes arrive; then the artifact is streamed once into a partial
// file in the cache and, at the same time, into the verifier (digests and
// OpenPGP). Only when every required check passes is the partial file renamed
// into the cache and copied (a reflink where the file system offers one)
// into the destination under a temporary
// name, then renamed to its final name. A verified file in the cache is
// re-verified whole on the next run instead of being downloaded again.
// Runs that share a cache take turns on each artifact (a lock file beside
// its partial file), so that none writes into a file another verifies.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/filelock"
	"github.com/pyverify/pyverify/internal/safefs"
	"github.com/pyverify/pyverify/internal/sizecap"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// maxSidecar caps the size of a signature, bundle or certificate.
const maxSidecar = verify.MaxSidecarSize

// Options configure Run.
type Options struct {
	Client   *download.Client
	Verifier *verify.Verifier
	// Version is the release the artifacts belong to.
	Version manifest.Version
	// CacheDir holds partial downloads and verified files.
	CacheDir string
	// Dest receives verified files.
	Dest string
	// Jobs is how many artifacts are processed at once (at least 1).
	Jobs int
	// Progress, if set, is called with the number of new bytes read, from
	// the network or from the cache. It must be safe for concurrent use.
	Progress func(int64)
	// SBOM asks for each verified artifact's SBOM to be fetched and bound
	// to its digest (package sbom); an artifact whose SBOM does not bind
	// fails and is not placed. See finish.go.
	SBOM bool
	// SBOMDest, if set, receives the SBOMs that bound (with SBOM).
	SBOMDest string
	// Admit, if set, is asked about each verified file before it is placed
	// in Dest. It may add checks to the report (the lifecycle gates do);
	// an error keeps the file out of Dest (it stays in the cache) and
	// becomes the Result's Err. It must be safe for concurrent use.
	Admit func(rep *verify.ArtifactReport) error
	// Describe, if set, adds to an artifact's target what the release
	// data's sources say about it (see release.Release.Describe): a
	// disagreement between them fails the artifact. It must be safe for
	// concurrent use.
	Describe func(manifest.Artifact, *verify.Target)
}

// A Result is the outcome for one artifact.
type Result struct {
	Artifact manifest.Artifact
	// Report is always filled in, even when Err is set.
	Report verify.ArtifactReport
	// Err is nil when the artifact verified and was placed in Dest.
	Err error
	// Cached reports whether the bytes came from the cache (no download).
	Cached bool
	// Path is the verified file's path in Dest.
	Path string
	// SBOMPath is the bound SBOM's path in SBOMDest, if it was placed.
	SBOMPath string
}

// Run processes arts with opt.Jobs workers and returns one Result per
// artifact, in the order of arts.
func Run(ctx context.Context, arts []manifest.Artifact, opt Options) []Result {
	jobs := max(opt.Jobs, 1)
	// A run killed while it copied into Dest left a temporary file there.
	for _, dir := range []string{opt.Dest, opt.SBOMDest} {
		if dir != "" {
			CleanStale(dir)
		}
	}
	results := make([]Result, len(arts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(jobs, len(arts)) {
		wg.Go(func() {
			for i := range next {
				res := one(ctx, arts[i], opt)
				results[i] = sbomSkipped(res, opt)
			}
		})
	}
	for i := range arts {
		next <- i
	}
	close(next)
	wg.Wait()
	return results
}

func one(ctx context.Context, a manifest.Artifact, opt Options) (res Result) {
	res = Result{Artifact: a}
	res.Report = verify.ArtifactReport{Name: a.Name, Version: opt.Version.String(), Class: string(a.Class)}
	target := verify.Target{
		Name: a.Name, Version: opt.Version, Class: a.Class,
		Size: a.Size, MD5: a.MD5, SHA256: a.SHA256,
	}
	if opt.Describe != nil {
		opt.Describe(a, &target)
	}
	fail := func(err error) Result { return failed(res, target, opt, err) }
	var err error
	if target.Signature, err = sidecar(ctx, opt.Client, a.GPGURL); err != nil {
		return fail(err)
	}
	if target.Bundle, err = sidecar(ctx, opt.Client, a.SigstoreURL); err != nil {
		return fail(err)
	}
	target.CertSig = a.SigstoreURL == "" && a.SigstoreCertURL != "" && a.SigstoreSigURL != ""

	dir := opt.Version.String()
	cached := filepath.Join(opt.CacheDir, "files", dir, a.Name)
	part := filepath.Join(opt.CacheDir, "partial", dir, a.Name+".part")

	// Another run using this cache would write into the same partial
	// file, behind this run's verified stream: wait until it is done with
	// the file (which it has then most likely cached). The cache's folders
	// are real folders (a symbolic link planted there is replaced), so
	// that nothing is written outside the cache; so is anything but a
	// lock file of ours planted where the lock file goes.
	if err := safefs.MkdirAll(opt.CacheDir, filepath.Join("partial", dir), 0o755); err != nil {
		return fail(err)
	}
	lock, err := filelock.WaitOwn(ctx, filepath.Join(opt.CacheDir, "partial", dir, a.Name+".lock"))
	if err != nil {
		return fail(err)
	}
	defer lock.Close()

	// A file verified by an earlier run is verified again, whole, from
	// the very open file that is then copied into Dest. Only a regular
	// file of ours is used: a symbolic link, a named pipe or another
	// user's file planted in the cache is removed (never what a link
	// points to) and the artifact downloaded afresh.
	if f, err := safefs.OpenOwn(cached, os.O_RDONLY, 0); err == nil {
		rep, err := opt.Verifier.VerifyOpenFile(context.Background(), f, target, opt.Progress)
		if err == nil {
			defer f.Close()
			res.Report, res.Cached = rep, true
			if err := admit(opt, &res.Report); err != nil {
				return fail(err)
			}
			return finish(ctx, res, f, target, opt)
		}
		// The cached copy no longer verifies (or the policy changed):
		// drop it and download afresh.
		f.Close()
		os.Remove(cached)
	} else if !errors.Is(err, fs.ErrNotExist) {
		safefs.RemoveEntry(cached) // a folder planted there too
	}

	stream, err := opt.Verifier.NewStream(target, nil)
	if err != nil {
		return fail(err)
	}
	if _, err := opt.Client.Download(ctx, a.URL, part, sizeLimit(a), stream.Attempt, opt.Progress); err != nil {
		// The bytes did not all arrive: nothing computed from those that
		// did is a verdict.
		res.Report = stream.Abort(err)
		if errors.Is(err, download.ErrTooLarge) {
			// The server sent more than the release data declares: the
			// file fails on its size, whatever its first bytes hash to.
			os.Remove(part)
			res.Report.Error = ""
			tooLarge := verify.CheckResult{
				Kind: verify.KindSize, Status: verify.StatusFail, Required: true, Reason: verify.ReasonSizeMismatch,
				Detail: tooLargeDetail(a),
			}
			res.Report.Replace(tooLarge)
		}
		return fail(err)
	}
	rep, err := stream.Finish()
	res.Report = rep
	if err != nil {
		os.Remove(part) // never resume from bytes that failed verification
		return fail(err)
	}
	if err := safefs.MkdirAll(opt.CacheDir, filepath.Join("files", dir), 0o755); err != nil {
		return fail(err)
	}
	// The verified bytes are those of the part file as it was written: it
	// is opened (never through a link) before it is renamed, and the open
	// file is what is copied into Dest.
	f, err := safefs.OpenOwn(part, os.O_RDONLY, 0)
	if err != nil {
		os.Remove(part)
		return fail(err)
	}
	defer f.Close()
	if err := os.Rename(part, cached); err != nil {
		return fail(err)
	}
	if err := admit(opt, &res.Report); err != nil {
		return fail(err)
	}
	return finish(ctx, res, f, target, opt)
}

// failed is the outcome of an artifact that did not get through one: err
// is why. A report with no checks yet (a sidecar could not be fetched) says
// so, check by check; release data that disagree about the artifact make
// the disagreement its outcome.
func failed(res Result, target verify.Target, opt Options, err error) Result {
	res.Err = err
	if res.Report.Checks == nil {
		if c, serr := opt.Verifier.Start(target); serr == nil {
			res.Report = c.Abort(err)
		}
	}
	if len(target.Disagreements) > 0 && !errors.As(err, new(*verify.VerificationError)) {
		res = disagreed(res, target)
	}
	return res
}

// admit asks opt.Admit, if set, whether a verified file may be placed.
func admit(opt Options, rep *verify.ArtifactReport) error {
	if opt.Admit == nil {
		return nil
	}
	return opt.Admit(rep)
}

// disagreed makes the outcome of an artifact whose release data disagree,
// and which could not be checked to the end (a download failed), the
// disagreement: a verification failure, with the other error kept in the
// report.
func disagreed(res Result, t verify.Target) Result {
	cc, _ := verify.CrossCheckResult(t)
	if res.Report.Error == "" {
		res.Report.SetError(res.Err.Error())
	}
	res.Report.Replace(cc)
	res.Err = res.Report.Err()
	return res
}

// sidecar fetches a listed sidecar. A sidecar the server does not have is
// reported to the verifier as listed but missing: whether that fails the
// artifact is the policy's call. One larger than any signature is bad
// signature input: reported as too large, its check fails (the artifact's
// own checks still run).
func sidecar(ctx context.Context, c *download.Client, url string) (verify.Sidecar, error) {
	if url == "" {
		return verify.Sidecar{}, nil
	}
	data, err := c.Fetch(ctx, url, maxSidecar)
	if errors.Is(err, download.ErrNotFound) {
		return verify.Sidecar{Listed: true}, nil
	}
	if errors.Is(err, download.ErrTooLarge) {
		return verify.Sidecar{Listed: true, TooLarge: true}, nil
	}
	if err != nil {
		return verify.Sidecar{}, err
	}
	return verify.Sidecar{Data: data, Listed: true}, nil
}

// sizeLimit is the most bytes a download of a may bring: its exact size when
// known, else the largest size its human-readable size could stand for,
// else the default cap of its class (package sizecap). A download that
// goes beyond fails on its size, and its partial file is deleted.
func sizeLimit(a manifest.Artifact) int64 {
	if a.Size > 0 {
		return a.Size
	}
	if n, ok := manifest.SizeTextMax(a.SizeText); ok {
		return n
	}
	return sizecap.Default(a.Class)
}

// tooLargeDetail says why a download that went beyond sizeLimit failed.
func tooLargeDetail(a manifest.Artifact) string {
	if a.Size > 0 || a.SizeText != "" {
		return fmt.Sprintf("the server sent more than the expected %d bytes", sizeLimit(a))
	}
	return fmt.Sprintf("the server sent more than %d bytes, the most a %s file may have when its size is not listed", sizeLimit(a), a.Class)
}
