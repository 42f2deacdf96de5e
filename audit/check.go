package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/pyverify/pyverify/binding"
	"slices"

	"github.com/pyverify/pyverify/internal/sizecap"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/verify"
)

// fileVersion is the release a file of release directory dir (whose
// version is dirVersion) is verified as: the one its name carries when that
// release lives in dir (3.14.0a2 in 3.14.0/), else the directory's. A name
// without a version (core.msi) takes the directory's, and so does a name of
// another release (a 3.6.15 installer in 3.12.4/), whose name the release
// check then finds is not 3.12.4's: a wrong-release problem, as
// pyverify check --version 3.12.4 gives it.
func fileVersion(name, dir string, dirVersion manifest.Version) manifest.Version {
	if v, err := manifest.VersionFromFileName(name); err == nil && v.FTPDir() == dir {
		return v
	}
	return dirVersion
}

// listedSidecars are the sidecar URLs of a listed artifact, by suffix.
func listedSidecars(a *manifest.Artifact) [][2]string {
	return [][2]string{{".asc", a.GPGURL}, {".sigstore", a.SigstoreURL}, {".crt", a.SigstoreCertURL}, {".sig", a.SigstoreSigURL}, {".spdx.json", a.SBOMURL}}
}

// contextKey digests what an artifact's outcome depends on besides its own
// bytes and the trust material: its sidecars (by size, time and inode, as
// for the artifact), what the listing says of it, and the extra checks.
func contextKey(j job, extraKey string) string {
	h := sha256.New()
	for _, s := range j.sidecars {
		fmt.Fprintf(h, "sidecar %q %d %d %d %d %t\n", s.Name, s.Size, s.ModTimeNS, s.CtimeNS, s.Inode, s.OutsideRoot)
	}
	fmt.Fprintf(h, "release listed %t\n", j.relListed)
	if j.listed != nil {
		b, _ := json.Marshal(j.listed)
		fmt.Fprintf(h, "listed %s\n", b)
	}
	fmt.Fprintf(h, "extra %q\n", extraKey)
	return hex.EncodeToString(h.Sum(nil))
}

// auditArtifact decides one artifact: from the state when nothing it
// depends on changed, else by verifying it.
func auditArtifact(ctx context.Context, opt Options, j job) outcome {
	name := j.file.Name
	e := Entry{Path: j.path, Release: j.release, Listed: j.listed != nil}
	for _, s := range j.sidecars {
		e.Sidecars = append(e.Sidecars, s.Name)
	}
	v := fileVersion(name, j.release, j.relVersion)
	class := manifest.ClassOf(name)
	if j.listed != nil {
		class = j.listed.Class
	} else if class == manifest.ClassOther && names.IsInstallerPartFolder(j.sub) {
		class = manifest.ClassWindows
	}
	e.Version, e.Class = v.String(), string(class)
	t := verify.Target{Name: name, Version: v, Class: class, Folder: j.sub}
	if j.file.OutsideRoot {
		// Never read: its digest would be published in the report.
		e.Problems = []Problem{{Kind: LinkOutside, Path: j.path, Detail: outsideDetail}}
		return outcome{entry: e, artifact: true, hashed: -1}
	}

	var pre []Problem // problems found before verifying
	has := map[string]walkFile{}
	for _, s := range j.sidecars {
		has[s.Name[len(name):]] = s
	}
	if j.listed != nil {
		t.Size, t.MD5, t.SHA256 = j.listed.Size, j.listed.MD5, j.listed.SHA256
		t.Signature.Listed = j.listed.GPGURL != ""
		t.Bundle.Listed = j.listed.SigstoreURL != ""
		for _, ls := range listedSidecars(j.listed) {
			if _, ok := has[ls[0]]; ls[1] == "" || ok {
				continue
			}
			kind := MissingSignature
			if ls[0] == ".spdx.json" {
				kind = Missing
			}
			pre = append(pre, Problem{Kind: kind, Path: j.path + ls[0], Detail: "listed by python.org, absent from the mirror"})
		}
	} else if j.relListed && j.sub == "" {
		pre = append(pre, Problem{Kind: Extra, Path: j.path, Detail: fmt.Sprintf("not in python.org's listing of %s", j.release)})
	}

	key := contextKey(j, opt.ExtraKey)
	var stale *stateRecord // recorded for these very bytes, under other trust
	if opt.State != nil && !opt.Full && j.file.ModTimeNS != 0 {
		// The index holds each record's identity: a record for other
		// bytes (size, times, inode) or another context is not read.
		if ref := opt.State.find(j.path); ref != nil && ref.matches(j.file, key) {
			if ref.trust == opt.Verifier.Fingerprint() && opt.rawEntries() {
				e, raw, line, ok, err := opt.State.rawEntry(j.path, ref)
				if err != nil {
					return outcome{err: err}
				}
				if ok {
					return outcome{entry: e, raw: raw, artifact: true, reused: true, record: &stateRecord{Path: j.path, raw: line}, hashed: -1}
				}
			}
			rec, err := opt.State.lookup(ref)
			if err != nil {
				return outcome{err: err}
			}
			if opt.rawEntries() {
				// Written with HTML escaping (json.Marshal, before): the
				// record is encoded again, so that the next run finds it
				// in the report's form.
				rec.raw = nil
			}
			if rec.Trust == opt.Verifier.Fingerprint() {
				return outcome{entry: rec.Entry, artifact: true, reused: true, record: &rec, hashed: -1}
			}
			stale = &rec
		}
	}

	var sbom []byte
	for suffix, s := range has {
		if s.OutsideRoot {
			pre = append(pre, Problem{Kind: LinkOutside, Path: s.path(), Detail: outsideDetail})
			delete(has, suffix)
			continue
		}
		var limit int64 = maxSidecar
		if suffix == ".spdx.json" {
			if len(opt.Extra) == 0 {
				continue
			}
			limit = maxSBOM
		}
		if suffix == ".crt" || suffix == ".sig" {
			continue // not verifiable offline: only their presence counts
		}
		data, err := opt.Source.ReadFile(ctx, s.path(), limit)
		if err != nil {
			if ctx.Err() != nil {
				return outcome{aborted: true}
			}
			pre = append(pre, Problem{Kind: Unreadable, Path: s.path(), Detail: errText(err)})
			continue
		}
		switch suffix {
		case ".asc":
			t.Signature = verify.Sidecar{Data: data, Listed: true}
		case ".sigstore":
			t.Bundle = verify.Sidecar{Data: data, Listed: true}
		case ".spdx.json":
			sbom = data
		}
	}
	_, crt := has[".crt"]
	_, sig := has[".sig"]
	t.CertSig = t.Bundle.Data == nil && crt && sig

	var rep verify.ArtifactReport
	hashed := int64(-1)
	if r, ok := recheck(opt, t, stale); ok {
		// Only the trust material changed, and no OpenPGP signature needs
		// the bytes: the signatures are re-checked against the recorded
		// digests, without reading the file.
		rep = r
		e.Size, e.MD5, e.SHA256 = stale.Entry.Size, stale.Entry.MD5, stale.Entry.SHA256
	} else {
		var progress func(int64)
		if opt.Progress != nil {
			progress = opt.Progress.Read
		}
		stream, err := opt.Verifier.NewStream(t, progress)
		if err != nil {
			e.Problems = append(pre, Problem{Kind: Unreadable, Path: j.path, Detail: "cannot verify: " + err.Error()})
			return outcome{entry: e, artifact: true, hashed: -1}
		}
		limit, listedLimit := streamLimit(j, class)
		if serr := opt.Source.Stream(ctx, j.path, limit, stream.Attempt); serr != nil {
			stream.Abort(serr) // nothing read part-way is a verdict
			if ctx.Err() != nil {
				return outcome{aborted: true}
			}
			p := Problem{Kind: Unreadable, Path: j.path, Detail: errText(serr)}
			switch {
			case errors.Is(serr, ErrTooLarge) && listedLimit:
				p = Problem{Kind: Size, Path: j.path, Detail: fmt.Sprintf("larger than the %d bytes python.org lists: not read further", limit)}
			case errors.Is(serr, ErrTooLarge) && j.file.Size >= 0:
				p.Detail = fmt.Sprintf("cannot read: larger than the %d bytes the mirror gives for it (plus %d): not read further", j.file.Size, sizecap.Margin)
			case errors.Is(serr, ErrTooLarge):
				p.Detail = fmt.Sprintf("cannot read: larger than %d bytes, the most a %s file whose size is not known may have", limit, class)
			case errors.Is(serr, ErrOutsideRoot):
				p = Problem{Kind: LinkOutside, Path: j.path, Detail: outsideDetail}
			}
			e.Problems = append(pre, p)
			return outcome{entry: e, artifact: true, hashed: -1}
		}
		rep, _ = stream.Finish()
		d := stream.Digests()
		e.Size, e.MD5, e.SHA256 = d.Size, hex.EncodeToString(d.MD5), hex.EncodeToString(d.SHA256)
		hashed = d.Size
	}
	e.Checks, e.Warnings = rep.Checks, rep.Warnings

	problems := classify(j.path, rep)
	if slices.ContainsFunc(pre, func(p Problem) bool { return p.Kind == MissingSignature }) {
		// The listing already names the absent signature.
		problems = slices.DeleteFunc(problems, func(p Problem) bool { return p.Kind == Unsigned })
	}
	e.Problems = append(pre, problems...)
	if len(opt.Extra) > 0 {
		a := &Artifact{Path: j.path, Target: t, Report: rep, Listed: j.listed, SBOM: sbom}
		for _, x := range opt.Extra {
			e.Problems = append(e.Problems, x(ctx, a)...)
		}
		e.Checks = a.Report.Checks // with any check the extras added
	}
	e.decide()
	o := outcome{entry: e, artifact: true, hashed: hashed, rechecked: stale != nil && hashed < 0}
	if !slices.ContainsFunc(e.Problems, func(p Problem) bool { return p.Kind == Unreadable }) && j.file.ModTimeNS != 0 {
		o.record = &stateRecord{Path: j.path, Size: j.file.Size, MtimeNS: j.file.ModTimeNS, CtimeNS: j.file.CtimeNS, Inode: j.file.Inode,
			Context: key, Trust: opt.Verifier.Fingerprint(), Entry: e}
	}
	return o
}

// recheck re-verifies an artifact whose bytes, sidecars and listing are
// those recorded in stale, under new trust material, from its recorded
// SHA-256 alone (Verifier.VerifyDigest). That is possible only when no
// OpenPGP signature is there to check, since one covers the bytes: with an
// .asc the file is read again. Size and MD5, which do not depend on trust
// and were compared with the same listed values, keep their recorded
// checks, so the report is the one a full check gives.
func recheck(opt Options, t verify.Target, stale *stateRecord) (verify.ArtifactReport, bool) {
	if stale == nil || t.Signature.Data != nil {
		return verify.ArtifactReport{}, false
	}
	if binding.FormatOf(t.Name) != binding.None {
		// The release check reads the content (a tarball's top folder):
		// read the file again rather than lose that binding.
		return verify.ArtifactReport{}, false
	}
	recorded := verify.ArtifactReport{Checks: stale.Entry.Checks}
	size, hasSize := recorded.Check(verify.KindSize)
	md5, hasMD5 := recorded.Check(verify.KindMD5)
	if !hasSize || !hasMD5 {
		return verify.ArtifactReport{}, false
	}
	sum, err := hex.DecodeString(stale.Entry.SHA256)
	if err != nil || len(sum) != 32 {
		return verify.ArtifactReport{}, false
	}
	rep, _ := opt.Verifier.VerifyDigest(t, sum)
	if _, ok := rep.Check(verify.KindSize); !ok {
		return verify.ArtifactReport{}, false
	}
	rep.Replace(size)
	rep.Replace(md5)
	return rep, true
}

// outsideDetail is the detail of a LinkOutside problem.
const outsideDetail = "a symbolic link to a file outside the mirror: not read"

// streamLimit is the most bytes read of the artifact of j: the size
// python.org lists (listed true), else the size the mirror gives for it
// plus a margin, else the default cap of its class (package sizecap).
func streamLimit(j job, class manifest.Class) (limit int64, listed bool) {
	if j.listed != nil && j.listed.Size > 0 {
		return j.listed.Size, true
	}
	return sizecap.ForKnown(class, j.file.Size), false
}
