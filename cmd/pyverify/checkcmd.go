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
	"strconv"
	"strings"
	"sync"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/pipeline"
	"github.com/pyverify/pyverify/lifecycle"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// checkFlags are the flags of 'pyverify check'.
type checkFlags struct {
	trust                            trustFlags
	lifecycle                        lifecycleFlags
	version, manifestFile            string
	size                             string
	md5, sha256, asc, sigstore, name string
	jobs                             int
	asJSON                           bool
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
	fs.IntVar(&f.jobs, "jobs", 2, "")
	fs.BoolVar(&f.asJSON, "json", false, "")
	files, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef(cmd, "want at least one FILE, or sha256:HEX with --name and --sigstore")
	}
	if f.jobs < 1 || f.jobs > 64 {
		return usagef(cmd, "--jobs: want a number from 1 to 64")
	}
	digestForm := strings.HasPrefix(files[0], "sha256:")
	if digestForm && len(files) > 1 {
		return usagef(cmd, "check one digest at a time")
	}
	if !digestForm && f.name != "" {
		return usagef(cmd, "--name goes with sha256:HEX")
	}
	single := f.size != "" || f.md5 != "" || f.sha256 != "" || f.asc != "" || f.sigstore != ""
	if single && len(files) > 1 {
		return usagef(cmd, "--size, --md5, --sha256, --asc and --sigstore apply to one file; use --manifest for many")
	}
	var m *manifest.Manifest
	if f.manifestFile != "" {
		data, err := readCapped(f.manifestFile, manifest.MaxManifestSize)
		if err != nil {
			return inputError(fmt.Errorf("--manifest: %w", err))
		}
		if m, err = manifest.ReadManifest(bytes.NewReader(data)); err != nil {
			return err
		}
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
	var versions []manifest.Version
	if digestForm {
		rep, ver, err := checkDigest(cmd, v, &f, files[0], m)
		if rep == nil {
			return err
		}
		reports, errs, versions = append(reports, *rep), append(errs, err), append(versions, ver)
	} else {
		targets := make([]verify.Target, len(files))
		versions = make([]manifest.Version, len(files))
		for i, file := range files {
			t, err := fileTarget(cmd, &f, file, m)
			if err != nil {
				return err
			}
			targets[i], versions[i] = t, t.Version
		}
		reports = make([]verify.ArtifactReport, len(files))
		errs = make([]error, len(files))
		var wg sync.WaitGroup
		sem := make(chan struct{}, f.jobs)
		for i := range files {
			wg.Go(func() {
				sem <- struct{}{}
				defer func() { <-sem }()
				reports[i], errs[i] = pipeline.VerifyFile(files[i], targets[i], v, nil)
				if errs[i] != nil && reports[i].Error == "" && !isVerifyOutcome(errs[i]) {
					reports[i].Error = errs[i].Error()
				}
			})
		}
		wg.Wait()
	}
	applyGate(gate, reports, versions, errs)
	return finishReport(u, reports, errs, nil, gate, f.asJSON)
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
	t := verify.Target{Name: name, Class: manifest.ClassOf(name)}
	if st, err := os.Stat(file); err != nil {
		return t, inputError(err)
	} else if !st.Mode().IsRegular() {
		return t, inputError(fmt.Errorf("%s: not a regular file", sanitize(file)))
	}
	var listed *manifest.Artifact
	if m != nil {
		for i := range m.Artifacts {
			if m.Artifacts[i].Name == name {
				listed = &m.Artifacts[i]
				break
			}
		}
		if listed == nil {
			return t, usagef(cmd, "%s: not listed in the manifest %s", sanitize(name), f.manifestFile)
		}
		t.Class, t.Size, t.MD5, t.SHA256 = listed.Class, listed.Size, listed.MD5, listed.SHA256
	}
	var err error
	if t.Version, err = targetVersion(cmd, f, name, m); err != nil {
		return t, err
	}
	if err := expectedFromFlags(cmd, f, &t); err != nil {
		return t, err
	}
	if t.Signature, err = localSidecar(f.asc, file+".asc", listed != nil && listed.GPGURL != ""); err != nil {
		return t, err
	}
	if t.Bundle, err = localSidecar(f.sigstore, file+".sigstore", listed != nil && listed.SigstoreURL != ""); err != nil {
		return t, err
	}
	if t.Bundle.Data == nil && exists(file+".crt") && exists(file+".sig") {
		t.CertSig = true
	}
	return t, nil
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
	return manifest.Version{}, usagef(cmd, "%s: cannot tell the release from the file name: give --version", sanitize(name))
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
		if !isHex(f.md5, 32) {
			return usagef(cmd, "--md5: want 32 hexadecimal digits")
		}
		t.MD5 = strings.ToLower(f.md5)
	}
	if f.sha256 != "" {
		if !isHex(f.sha256, 64) {
			return usagef(cmd, "--sha256: want 64 hexadecimal digits")
		}
		t.SHA256 = strings.ToLower(f.sha256)
	}
	return nil
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}

// localSidecar reads a signature given by flag, or found next to the file.
func localSidecar(flagPath, beside string, listed bool) (verify.Sidecar, error) {
	path := flagPath
	if path == "" {
		if !exists(beside) {
			return verify.Sidecar{Listed: listed}, nil
		}
		path = beside
	}
	data, err := readCapped(path, 1<<20)
	if err != nil {
		return verify.Sidecar{}, inputError(err)
	}
	return verify.Sidecar{Data: data, Listed: true}, nil
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// checkDigest verifies a Sigstore bundle against a SHA-256 digest alone.
// It returns the report and the release the digest stands for.
func checkDigest(cmd string, v *verify.Verifier, f *checkFlags, arg string, m *manifest.Manifest) (*verify.ArtifactReport, manifest.Version, error) {
	var none manifest.Version
	hexDigest := strings.TrimPrefix(arg, "sha256:")
	if !isHex(hexDigest, 64) {
		return nil, none, usagef(cmd, "%s: want sha256: and 64 hexadecimal digits", sanitize(arg))
	}
	if f.name == "" {
		return nil, none, usagef(cmd, "a digest needs --name, the file name it stands for")
	}
	if f.asc != "" {
		return nil, none, usagef(cmd, "OpenPGP signatures cannot be checked against a digest: they need the file's bytes")
	}
	if f.sigstore == "" {
		return nil, none, usagef(cmd, "a digest needs --sigstore BUNDLE")
	}
	name := f.name
	if filepath.Base(name) != name {
		return nil, none, usagef(cmd, "--name: want a file name, not a path")
	}
	t := verify.Target{Name: name, Class: manifest.ClassOf(name)}
	var err error
	if t.Version, err = targetVersion(cmd, f, name, m); err != nil {
		return nil, none, err
	}
	if err := expectedFromFlags(cmd, f, &t); err != nil {
		return nil, none, err
	}
	if t.Bundle, err = localSidecar(f.sigstore, "", true); err != nil {
		return nil, none, err
	}
	digest, _ := hex.DecodeString(hexDigest)
	rep, err := v.VerifyDigest(t, digest)
	return &rep, t.Version, err
}

// finishReport prints the report and turns the outcomes into the command's
// error: verification failures first (exit 1), then network and I/O
// failures (3), then policy gaps (4).
func finishReport(u *ui, reports []verify.ArtifactReport, errs []error, cached map[string]bool, gate *lifecycle.Gate, asJSON bool) error {
	rep := &verify.Report{Schema: verify.ReportSchema, OK: true, Artifacts: reports}
	if gate != nil {
		rep.Lifecycle = gate.Context()
	}
	if rep.Artifacts == nil {
		rep.Artifacts = []verify.ArtifactReport{}
	}
	code := exitOK
	rank := map[int]int{exitOK: 0, exitPolicyGap: 1, exitIO: 2, exitUsage: 3, exitFailed: 4}
	failed, refused := 0, 0
	for i, err := range errs {
		if err == nil && reports[i].OK {
			continue
		}
		rep.OK = false
		failed++
		if refusedByGate(reports[i]) {
			refused++
		}
		c := exitFailed
		if err != nil {
			c = exitCode(err)
		}
		if rank[c] > rank[code] {
			code = c
		}
	}
	if asJSON {
		if err := u.printJSON(rep); err != nil {
			return ioError(err)
		}
	} else {
		u.printReport(rep, cached)
	}
	if code == exitOK {
		return nil
	}
	if refused == failed {
		return &reportedError{code: code, msg: fmt.Sprintf("%d of %d artifacts refused by the lifecycle gates (their signatures verified)", failed, len(reports))}
	}
	return &reportedError{code: code, msg: fmt.Sprintf("%d of %d artifacts did not verify", failed, len(reports))}
}
