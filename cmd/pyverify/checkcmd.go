package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/pipeline"
	"github.com/pyverify/pyverify/lifecycle"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/pins"
	"github.com/pyverify/pyverify/sbom"
	"github.com/pyverify/pyverify/verify"
)

// checkFlags are the flags of 'pyverify check'.
type checkFlags struct {
	trust                            trustFlags
	lifecycle                        lifecycleFlags
	version, manifestFile            string
	size                             string
	md5, sha256, asc, sigstore, name string
	// as is --as: the python.org name of a file saved under another.
	as     string
	jobs   int
	asJSON bool
	// SBOMs and pins (sbomcheck.go).
	sbom           bool
	spdx, pinsFile string
	pins           *pins.Set
	// Proving pins by digest (pinscheck.go).
	proof pinsProofFlags
}

func cmdCheck(ctx context.Context, u *ui, args []string) error {
	const cmd = "check"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var f checkFlags
	f.trust.register(fs)
	f.lifecycle.registerGates(fs)
	fs.StringVar(&f.version, "version", "", "")
	fs.StringVar(&f.manifestFile, "manifest", "", "")
	fs.StringVar(&f.size, "size", "", "")
	fs.StringVar(&f.md5, "md5", "", "")
	fs.StringVar(&f.sha256, "sha256", "", "")
	fs.StringVar(&f.asc, "asc", "", "")
	fs.StringVar(&f.sigstore, "sigstore", "", "")
	fs.StringVar(&f.name, "name", "", "")
	fs.StringVar(&f.as, "as", "", "")
	fs.IntVar(&f.jobs, "jobs", defaultCheckJobs(runtime.NumCPU()), "")
	fs.BoolVar(&f.asJSON, "json", false, "")
	fs.BoolVar(&f.sbom, "sbom", false, "")
	fs.StringVar(&f.spdx, "spdx", "", "")
	f.proof.register(fs) // --pins, and the flags of proving pins by digest
	files, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}
	f.proof.parsed(fs, &f)
	if f.proof.byDigest(files) {
		return checkPinsByDigest(ctx, u, cmd, &f, &f.proof)
	}
	if err := f.proof.checkFileMode(cmd); err != nil {
		return err
	}
	if files, err = f.readPins(cmd, files); err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef(cmd, "want at least one FILE, or sha256:HEX with --name and --sigstore")
	}
	if f.jobs < 1 || f.jobs > 64 {
		return usagef(cmd, "--jobs: want a number from 1 to 64")
	}
	digestForm := strings.HasPrefix(files[0], "sha256:")
	if !digestForm {
		if files, err = dropSidecars(cmd, files); err != nil {
			return err
		}
	}
	if digestForm && len(files) > 1 {
		return usagef(cmd, "check one digest at a time")
	}
	if !digestForm && f.name != "" {
		return usagef(cmd, "--name goes with sha256:HEX")
	}
	if err := checkAs(cmd, &f, digestForm, len(files)); err != nil {
		return err
	}
	single := f.size != "" || f.md5 != "" || f.sha256 != "" || f.asc != "" || f.sigstore != "" || f.spdx != ""
	if single && len(files) > 1 {
		return usagef(cmd, "--size, --md5, --sha256, --asc, --sigstore and --spdx apply to one file; use --manifest for many")
	}
	if f.spdx != "" {
		f.sbom = true // --spdx implies --sbom
	}
	if digestForm && f.sbom && f.spdx == "" {
		return usagef(cmd, "a digest has no file for an SBOM to sit next to: give --spdx FILE")
	}
	m, err := readManifestFile(f.manifestFile)
	if err != nil {
		return err
	}
	v, err := f.trust.verifier(cmd)
	if err != nil {
		return err
	}
	gate, err := f.lifecycle.gate(cmd)
	if err != nil {
		return err
	}

	var reports []verify.ArtifactReport
	var errs []error
	var targets []verify.Target
	var notRelease []string
	if digestForm {
		rep, target, err := checkDigest(cmd, v, &f, files[0], m)
		if rep == nil {
			return err
		}
		reports, errs = append(reports, *rep), append(errs, err)
		targets = append(targets, target)
	} else {
		// Of many files (check DIR/*), one that is not a release file (a
		// SHA256SUMS, a README, a folder) is noted and the rest checked.
		if len(files) > 1 {
			if files, notRelease = releaseFiles(&f, files, m); len(files) == 0 {
				return usagef(cmd, "no release file among the files given (%s)", strings.Join(notRelease, "; "))
			}
			for _, w := range notRelease {
				u.warnf("%s", w)
			}
		}
		targets = make([]verify.Target, len(files))
		sboms := make([]localSBOM, len(files))
		for i, file := range files {
			t, err := fileTarget(cmd, &f, file, m)
			if err != nil {
				return err
			}
			targets[i] = t
			if f.sbom {
				if sboms[i], err = findSBOM(&f, file, m); err != nil {
					return err
				}
			}
		}
		reports = make([]verify.ArtifactReport, len(files))
		errs = make([]error, len(files))
		var wg sync.WaitGroup
		sem := make(chan struct{}, f.jobs)
		for i := range files {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				if ctx.Err() != nil {
					errs[i] = context.Cause(ctx)
					return
				}
				reports[i], errs[i] = v.VerifyFileContext(ctx, files[i], targets[i], nil)
				if errs[i] != nil && reports[i].Error == "" && !isVerifyOutcome(errs[i]) {
					reports[i].Error = errs[i].Error()
				}
				if f.sbom {
					if err := sbom.Verify(&reports[i], sboms[i].name, sboms[i].sc.Data, sboms[i].sc.Listed); err != nil && errs[i] == nil {
						errs[i] = err
					}
				}
			})
		}
		wg.Wait()
		if ctx.Err() != nil {
			// Ctrl-C or SIGTERM: no verdict on a file read part-way.
			return ioError(errors.New("interrupted: nothing was decided for the files not read to the end"))
		}
	}
	versions := make([]manifest.Version, len(targets))
	for i, t := range targets {
		versions[i] = t.Version
	}
	applyGate(gate, reports, versions, errs)
	rep := &verify.Report{Artifacts: reports, Warnings: notRelease}
	if gate != nil {
		rep.Lifecycle = gate.Context()
	}
	return explainLocal(finishReport(u, rep, errs, nil, f.asJSON), files, targets, reports)
}

// sidecarSuffixes are the suffixes of the files python.org publishes
// beside an artifact.
var sidecarSuffixes = []string{".asc", ".sigstore", ".crt", ".sig", sbom.Suffix}

// dropSidecars removes from files the signature files of other files given
// (check dl/* names FILE and FILE.asc): they are read as FILE's signatures.
// A signature file given without the file it signs is a usage error.
func dropSidecars(cmd string, files []string) ([]string, error) {
	given := map[string]bool{}
	for _, f := range files {
		given[filepath.Clean(f)] = true
	}
	var out []string
	for _, f := range files {
		artifact := ""
		for _, suffix := range sidecarSuffixes {
			if base, ok := strings.CutSuffix(filepath.Clean(f), suffix); ok && base != "" {
				artifact = base
				break
			}
		}
		switch {
		case artifact == "":
			out = append(out, f)
		case !given[artifact]:
			return nil, withHint(usagef(cmd, "%s: a signature file, not a release file", sanitize(f)),
				"give the file it signs: pyverify check %s (its signatures next to it are found)", sanitize(artifact))
		}
	}
	return out, nil
}

// readManifestFile reads --manifest, if given.
func readManifestFile(path string) (*manifest.Manifest, error) {
	if path == "" {
		return nil, nil
	}
	const hint = "--manifest wants a file written by 'pyverify manifest VERSION --json'"
	data, err := readCapped(path, manifest.MaxManifestSize)
	if err != nil {
		return nil, inputError(withHint(err, hint))
	}
	m, err := manifest.ReadManifest(bytes.NewReader(data))
	if err != nil {
		// Name the file the user gave.
		var de *manifest.DataError
		if errors.As(err, &de) {
			de.Source = sanitize(path)
		}
		return nil, withHint(err, hint)
	}
	return m, nil
}

// explainLocal replaces the summary of a check in which one file failed
// by what is wrong with its local signature files, with the next step: a
// .sigstore file that is no bundle, or signatures that are not next to the
// file. err is what finishReport returned.
func explainLocal(err error, files []string, targets []verify.Target, reports []verify.ArtifactReport) error {
	var re *reportedError
	if !errors.As(err, &re) {
		return err
	}
	var msgs, hints []string
	for i, t := range targets {
		if i >= len(reports) || reports[i].OK {
			continue
		}
		if msg, hint := localProblem(files[i], t, reports[i]); msg != "" {
			msgs, hints = append(msgs, msg), append(hints, hint)
		}
	}
	switch {
	case len(msgs) == 0:
		return err
	case len(msgs) == 1 && re.failed == 1:
		return withHint(&reportedError{code: re.code, msg: msgs[0], failed: 1}, "%s", hints[0])
	}
	return withHint(err, "%s", hints[0])
}

// localProblem says what is wrong with the signature files of a local file
// that failed to verify, and what to do, or returns "" when they are not
// the problem.
func localProblem(file string, t verify.Target, rep verify.ArtifactReport) (msg, hint string) {
	var nb *verify.NotBundleError
	if t.Bundle.Data != nil && errors.As(verify.CheckBundleFormat(t.Bundle.Data), &nb) {
		return fmt.Sprintf("%s: not a Sigstore bundle (%s)", sanitize(t.Bundle.Path), nb.Why),
			fmt.Sprintf("download %s again from python.org ('pyverify manifest %s' lists its URL)", sanitize(t.Name+".sigstore"), t.Version)
	}
	var missing []string
	for _, c := range rep.Checks {
		if c.Status != verify.StatusMissing || !c.Required {
			continue
		}
		switch {
		case c.Kind == verify.KindOpenPGP && t.Signature.Data == nil && strings.HasPrefix(file, "sha256:"):
			// sha256:HEX: no .asc can go with a digest.
			return fmt.Sprintf("%s: Python %s needs an OpenPGP signature, which covers the file's bytes: a digest alone cannot verify it", sanitize(t.Name), t.Version),
				fmt.Sprintf("check the file itself, with its .asc: pyverify check %s", sanitize(t.Name))
		case c.Kind == verify.KindOpenPGP && t.Signature.Data == nil && t.Signature.Path != "":
			missing = append(missing, ".asc")
		case c.Kind == verify.KindSigstore && t.Bundle.Data == nil && t.Bundle.Path != "":
			missing = append(missing, ".sigstore")
		}
	}
	if len(missing) == 0 {
		return "", ""
	}
	var flags []string
	for _, m := range missing {
		flags = append(flags, "--"+map[string]string{".asc": "asc", ".sigstore": "sigstore"}[m]+" FILE")
	}
	// Signatures are read from FILE.asc and FILE.sigstore, whatever name
	// --as gives the file.
	base := filepath.Base(file)
	msg = fmt.Sprintf("%s: no %s%s next to the file", sanitize(file), sanitize(base), strings.Join(missing, " or "))
	if base != t.Name {
		// --as: a signature named after the python.org name may be there.
		for _, m := range missing {
			if named := filepath.Join(filepath.Dir(file), t.Name+m); exists(named) {
				return msg, fmt.Sprintf("with --as, signatures are read from %s and %s: give %s with --%s %s",
					sanitize(base+".asc"), sanitize(base+".sigstore"), sanitize(t.Name+m), strings.TrimPrefix(m, "."), sanitize(named))
			}
		}
	}
	return msg, fmt.Sprintf("give the signature with %s, or run 'pyverify verify %s --file %s' to download the file with its signatures",
		strings.Join(flags, " or "), t.Version, sanitize(t.Name))
}

// defaultCheckJobs is how many files check verifies at once on a machine
// with cpus CPUs. The check of one file already keeps about one and a half
// cores busy (MD5 on one goroutine, SHA-256 on another), so more files than
// that would only add memory; but two files at once, even on two cores,
// let one file's signature checks run while the other is hashed.
func defaultCheckJobs(cpus int) int {
	if cpus <= 1 {
		return 1
	}
	return min(64, max(2, cpus*2/3))
}

// isVerifyOutcome reports whether err is a verification outcome (a failed
// check or a policy gap) rather than a failure to check at all.
func isVerifyOutcome(err error) bool {
	var ve *verify.VerificationError
	return errors.As(err, &ve) || errors.Is(err, verify.ErrPolicyGap) || errors.Is(err, download.ErrTooLarge)
}

// fileTarget describes a local file to verify: version and class from its
// name (or flags), expected values from the flags or the manifest, and the
// signatures found next to it.
func fileTarget(cmd string, f *checkFlags, file string, m *manifest.Manifest) (verify.Target, error) {
	name := filepath.Base(file)
	if f.as != "" {
		name = f.as // the file's python.org name; its sidecars stay FILE.asc, FILE.sigstore
	}
	t := verify.Target{Name: name, Class: manifest.ClassOf(name)}
	if st, err := os.Stat(file); err != nil {
		return t, inputError(withHint(&fileError{"read", file, err},
			"check the path; 'pyverify verify VERSION' downloads and verifies a release"))
	} else if !st.Mode().IsRegular() {
		return t, inputError(&fileError{"read", file, errNotRegular(st.Mode())})
	}
	listed, err := listedIn(f, name, m)
	if err != nil {
		return t, err
	}
	if listed != nil {
		t.Class, t.Size, t.MD5, t.SHA256 = listed.Class, listed.Size, listed.MD5, listed.SHA256
	}
	if err := f.pinnedDigest(cmd, name, &t); err != nil {
		return t, err
	}
	if t.Version, err = targetVersion(cmd, f, name, m); err != nil {
		return t, err
	}
	if err := packagerName(f, name, t.Version); err != nil {
		return t, err
	}
	if err := expectedFromFlags(cmd, f, &t); err != nil {
		return t, err
	}
	if t.Signature, err = localSidecar("asc", f.asc, file+".asc", listed != nil && listed.GPGURL != ""); err != nil {
		return t, err
	}
	if t.Bundle, err = localSidecar("sigstore", f.sigstore, file+".sigstore", listed != nil && listed.SigstoreURL != ""); err != nil {
		return t, err
	}
	if t.Bundle.Data == nil && exists(file+".crt") && exists(file+".sig") {
		t.CertSig = true
	}
	return t, nil
}

// listedIn returns the artifact named name in the manifest m (nil when
// there is no manifest). A name the manifest does not list is an error.
func listedIn(f *checkFlags, name string, m *manifest.Manifest) (*manifest.Artifact, error) {
	if m == nil {
		return nil, nil
	}
	for i := range m.Artifacts {
		if m.Artifacts[i].Name == name {
			return &m.Artifacts[i], nil
		}
	}
	return nil, inputError(withHint(fmt.Errorf("%s: not a file of Python %s, says the manifest %s", sanitize(name), sanitize(m.Version), sanitize(f.manifestFile)),
		"check the file name, or give the manifest of its release ('pyverify manifest VERSION --json')"))
}

func targetVersion(cmd string, f *checkFlags, name string, m *manifest.Manifest) (manifest.Version, error) {
	if f.version != "" {
		v, err := manifest.ParseVersion(f.version)
		if err != nil {
			return v, usagef(cmd, "--version: %v", err)
		}
		return v, nil
	}
	if v, err := manifest.VersionFromFileName(name); err == nil {
		return v, nil
	}
	if m != nil {
		if v, err := manifest.ParseVersion(m.Version); err == nil {
			return v, nil
		}
	}
	return manifest.Version{}, withHint(usagef(cmd, "%s: cannot tell the release from the file name", sanitize(name)),
		"give it with --version, such as --version 3.12.4")
}

// expectedFromFlags applies --size, --md5 and --sha256.
func expectedFromFlags(cmd string, f *checkFlags, t *verify.Target) error {
	if f.size != "" {
		n, err := strconv.ParseInt(f.size, 10, 64)
		if err != nil || n < 0 {
			return usagef(cmd, "--size: want a number of bytes")
		}
		t.Size = n
	}
	if f.md5 != "" {
		if !names.IsHex(f.md5, 32) {
			return usagef(cmd, "--md5: want 32 hexadecimal digits")
		}
		t.MD5 = strings.ToLower(f.md5)
	}
	if f.sha256 != "" {
		if !names.IsHex(f.sha256, 64) {
			return usagef(cmd, "--sha256: want 64 hexadecimal digits")
		}
		t.SHA256 = strings.ToLower(f.sha256)
	}
	return nil
}

// localSidecar reads a signature given by flag (--asc, --sigstore), or
// found next to the file (beside; "" when there is no file).
func localSidecar(flagName, flagPath, beside string, listed bool) (verify.Sidecar, error) {
	path := flagPath
	if path == "" {
		if !exists(beside) {
			return verify.Sidecar{Listed: listed, Path: beside}, nil
		}
		path = beside
	}
	data, err := readCapped(path, 1<<20)
	if err != nil {
		if flagPath != "" {
			err = withHint(err, "--%s wants the signature file of the artifact", flagName)
		}
		return verify.Sidecar{}, inputError(err)
	}
	return verify.Sidecar{Data: data, Listed: true, Path: path}, nil
}

// errNotRegular is the cause of a fileError for a path that is not a
// regular file.
func errNotRegular(mode os.FileMode) error {
	if mode.IsDir() {
		return syscall.EISDIR
	}
	return errors.New("not a regular file")
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// checkDigest verifies a Sigstore bundle against a SHA-256 digest alone.
func checkDigest(cmd string, v *verify.Verifier, f *checkFlags, arg string, m *manifest.Manifest) (*verify.ArtifactReport, verify.Target, error) {
	hexDigest := strings.TrimPrefix(arg, "sha256:")
	if !names.IsHex(hexDigest, 64) {
		return nil, verify.Target{}, usagef(cmd, "%s: want sha256: and 64 hexadecimal digits", sanitize(arg))
	}
	if f.name == "" {
		return nil, verify.Target{}, usagef(cmd, "a digest needs --name, the file name it stands for")
	}
	if f.asc != "" {
		return nil, verify.Target{}, usagef(cmd, "OpenPGP signatures cannot be checked against a digest: they need the file's bytes")
	}
	if f.sigstore == "" {
		return nil, verify.Target{}, usagef(cmd, "a digest needs --sigstore BUNDLE")
	}
	name := f.name
	if filepath.Base(name) != name {
		return nil, verify.Target{}, usagef(cmd, "--name: want a file name, not a path")
	}
	t := verify.Target{Name: name, Class: manifest.ClassOf(name)}
	// Of the manifest's values, only its SHA-256 can be compared with a
	// digest: size and MD5 need the bytes.
	listed, err := listedIn(f, name, m)
	if err != nil {
		return nil, t, err
	}
	if listed != nil {
		t.Class, t.SHA256 = listed.Class, listed.SHA256
	}
	if t.Version, err = targetVersion(cmd, f, name, m); err != nil {
		return nil, t, err
	}
	if err := f.pinnedDigest(cmd, name, &t); err != nil {
		return nil, t, err
	}
	if err := expectedFromFlags(cmd, f, &t); err != nil {
		return nil, t, err
	}
	if t.Bundle, err = localSidecar("sigstore", f.sigstore, "", true); err != nil {
		return nil, t, err
	}
	var sb localSBOM
	if f.sbom {
		if sb, err = findSBOM(f, "", m); err != nil {
			return nil, t, err
		}
	}
	digest, _ := hex.DecodeString(hexDigest)
	rep, err := v.VerifyDigest(t, digest)
	if f.sbom {
		if serr := sbom.Verify(&rep, sb.name, sb.sc.Data, sb.sc.Listed); serr != nil && err == nil {
			err = serr
		}
	}
	return &rep, t, err
}

// finishReport prints the report rep (its artifacts, and the run's sources
// and warnings) and turns the outcomes into the command's error:
// verification failures first (exit 1), then network and I/O failures (3),
// then policy gaps (4).
func finishReport(u *ui, rep *verify.Report, errs []error, cached map[string]bool, asJSON bool) error {
	reports := rep.Artifacts
	code, failed := outcomeCode(reports, errs)
	for i := range reports {
		if errs[i] != nil && reports[i].OK {
			// It verified, and the run failed it afterwards.
			reports[i].SetError(describeErr(errs[i]))
		}
	}
	rep.Seal()
	refused := 0
	notPlaced := make([]bool, len(reports))
	var placeErrs []error
	for i := range reports {
		if (errs[i] != nil || !reports[i].OK) && refusedByGate(reports[i]) {
			refused++
		}
		if notPlaced[i] = verifiedNotPlaced(reports[i], errs[i]); notPlaced[i] {
			placeErrs = append(placeErrs, errs[i])
		}
	}
	if asJSON {
		if err := u.printJSON(rep); err != nil {
			return ioError(err)
		}
	} else {
		u.printReport(rep, cached, notPlaced)
	}
	if code == exitOK {
		return nil
	}
	// Files that verified and could not be placed are not failures of
	// verification: the message says what happened to each kind.
	unverified := failed - len(placeErrs)
	msg := fmt.Sprintf("%d of %d artifacts did not verify", unverified, len(reports))
	switch {
	case len(placeErrs) == 1 && unverified == 0:
		msg = describeErr(placeErrs[0])
	case len(placeErrs) > 0 && unverified == 0:
		msg = fmt.Sprintf("%d of %d artifacts verified but could not be placed in --dest; %s", len(placeErrs), len(reports), describeErr(placeErrs[0]))
	case len(placeErrs) > 0:
		msg += fmt.Sprintf(", %d verified but could not be placed", len(placeErrs))
	case refused == failed:
		msg = fmt.Sprintf("%d of %d artifacts refused by the lifecycle gates (their signatures verified)", failed, len(reports))
	}
	if len(reports) == 1 && errs[0] != nil {
		// One artifact: say why, subject first, so that a log without the
		// report (--json) still does.
		msg = describeErr(errs[0])
	}
	err := &reportedError{code: code, msg: msg, failed: failed}
	if code == exitPolicyGap && slices.ContainsFunc(errs, func(e error) bool { return errors.Is(e, lifecycle.ErrUnknownSeries) }) {
		return withHint(err, "the lifecycle data does not know this series: %s", releaseCycleHint)
	}
	if code == exitPolicyGap {
		return withHint(err, "the policy does not say who signs these files; 'pyverify policy' lists the series it knows (a newer pyverify, or --policy FILE, may know more)")
	}
	return err
}

// verifiedNotPlaced reports whether an artifact verified and was then not
// placed in --dest (or its signatures or SBOM were not): err is a
// placement failure and no check fails the artifact.
func verifiedNotPlaced(rep verify.ArtifactReport, err error) bool {
	var pe *pipeline.PlaceError
	return errors.As(err, &pe) && len(rep.Failures()) == 0
}

// outcomeCode returns the exit code of a run's outcomes, verification
// failures first (1), then usage or input (2), network and I/O (3), policy
// gaps (4), and how many artifacts failed. A report whose error is the raw
// text of its outcome gets the described form.
func outcomeCode(reports []verify.ArtifactReport, errs []error) (code, failed int) {
	rank := map[int]int{exitOK: 0, exitPolicyGap: 1, exitIO: 2, exitUsage: 3, exitFailed: 4}
	for i, err := range errs {
		if err == nil && reports[i].OK {
			continue
		}
		failed++
		c := exitFailed
		if err != nil {
			c = exitCode(err)
			if reports[i].Error == err.Error() {
				reports[i].Error = describeErr(err)
			}
		}
		if rank[c] > rank[code] {
			code = c
		}
	}
	return code, failed
}

// releaseFiles splits files into those to check and notes on the others:
// folders, special files, and files whose name is not one python.org gives
// a release file (SHA256SUMS, README.txt, Python-3.12.4.tgz.sha256, wget's
// Python-3.12.4.tgz.1, a .part, a link under another name, a packager's
// python.tar.xz), unless the manifest lists it. A name is judged against
// the release it carries, else --version's or the manifest's; a name of
// another release than --version's is kept, for its release check to fail.
// A path that does not exist stays, to fail as it would alone.
func releaseFiles(f *checkFlags, files []string, m *manifest.Manifest) (keep, notes []string) {
	for _, file := range files {
		st, err := os.Stat(file)
		switch {
		case err != nil:
			keep = append(keep, file)
		case st.IsDir():
			notes = append(notes, sanitize(file)+": a folder, not a release file: not checked")
		case !st.Mode().IsRegular():
			notes = append(notes, sanitize(file)+": not a regular file: not checked")
		default:
			if note := notReleaseFile(f, filepath.Base(file), m); note != "" {
				notes = append(notes, sanitize(file)+": "+note+": not checked")
				continue
			}
			keep = append(keep, file)
		}
	}
	return keep, notes
}

// notReleaseFile says why a file named name, one of several given, is not
// checked, or returns "" when it is a release file to check.
func notReleaseFile(f *checkFlags, name string, m *manifest.Manifest) string {
	if listed, _ := listedIn(f, name, m); listed != nil {
		return ""
	}
	v, err := names.VersionFromFileName(name)
	if err == nil {
		if names.CheckReleaseName(name, v) != nil {
			return "not a release file"
		}
		return "" // of v, or of another release than --version's
	}
	if f.version != "" {
		v, err = names.ParseVersion(f.version)
	} else if m != nil {
		v, err = names.ParseVersion(m.Version)
	}
	switch {
	case err != nil && names.ClassOf(name) == names.ClassOther:
		return "not a release file"
	case err != nil:
		// python3120.chm: a release file whose name has no dotted version.
		return "the name does not say which release it is of (give --version)"
	case names.CheckReleaseName(name, v) != nil:
		return "not a release file of " + v.String()
	}
	return ""
}
