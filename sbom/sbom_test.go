package sbom

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/report"
	"github.com/pyverify/pyverify/verify"
)

// realSBOM is python.org's SBOM of Python-3.12.13.tgz, as published.
const realSBOM = "testdata/Python-3.12.13.tgz.spdx.json"

// bundleDir holds real python.org Sigstore bundles and their index.
var bundleDir = filepath.Join("..", "verify", "testdata", "bundles")

func readFile(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// indexDigest returns the SHA-256 that index.tsv lists for file.
func indexDigest(t testing.TB, file string) string {
	t.Helper()
	f, err := os.Open(filepath.Join(bundleDir, "index.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		cols := strings.Split(s.Text(), "\t")
		if len(cols) > 3 && cols[1] == file {
			return cols[3]
		}
	}
	t.Fatalf("index.tsv: no row for %s", file)
	return ""
}

func TestParseReal(t *testing.T) {
	doc, err := Parse("Python-3.12.13.tgz.spdx.json", readFile(t, realSBOM))
	if err != nil {
		t.Fatal(err)
	}
	want := Package{Index: 5, SPDXID: "SPDXRef-PACKAGE-cpython", Name: "CPython", Version: "3.12.13",
		FileName: "Python-3.12.13.tgz", SHA256: indexDigest(t, "Python-3.12.13.tgz")}
	if doc.CPython != want {
		t.Errorf("CPython package:\n got %+v\nwant %+v", doc.CPython, want)
	}
	if doc.SPDXVersion != "SPDX-2.3" || doc.Namespace != "https://www.python.org/ftp/python/3.12.13/Python-3.12.13.tgz.spdx.json" {
		t.Errorf("document: %q %q", doc.SPDXVersion, doc.Namespace)
	}
}

// The real binding: python.org's Sigstore bundle of Python-3.12.13.tgz
// verifies its digest under the embedded policy, and the real SBOM binds to
// that verified digest; the same SBOM does not bind to another release's.
func TestRealBinding(t *testing.T) {
	tm, err := verify.LoadTrustedRoot(verify.DefaultTrustedRoot())
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.NewVerifier(verify.DefaultPolicy(), verify.DefaultKeyring(), tm)
	if err != nil {
		t.Fatal(err)
	}
	digest, _ := hex.DecodeString(indexDigest(t, "Python-3.12.13.tgz"))
	bundle := readFile(t, filepath.Join(bundleDir, "3.12.13", "Python-3.12.13.tgz.sigstore"))
	target := verify.Target{Name: "Python-3.12.13.tgz", Version: manifest.MustParseVersion("3.12.13"),
		Bundle: verify.Sidecar{Data: bundle, Listed: true}}
	rep, err := v.VerifyDigest(target, digest)
	if err != nil {
		t.Fatalf("the real bundle does not verify: %v", err)
	}
	sc := verify.Sidecar{Data: readFile(t, realSBOM), Listed: true}
	if err := Verify(&rep, "Python-3.12.13.tgz.spdx.json", sc.Data, sc.Listed); err != nil {
		t.Fatalf("the real SBOM does not bind: %v", err)
	}
	if c := rep.Checks[len(rep.Checks)-1]; c.Kind != verify.KindSBOM || c.Status != verify.StatusPass || !c.Required || !rep.OK {
		t.Errorf("sbom check %+v, ok %v", c, rep.OK)
	}

	// The 3.11.0 tarball's bundle verifies too, but the 3.12.13 SBOM is
	// not its SBOM.
	other := indexDigest(t, "Python-3.11.0.tgz")
	digest, _ = hex.DecodeString(other)
	target = verify.Target{Name: "Python-3.11.0.tgz", Version: manifest.MustParseVersion("3.11.0"),
		Bundle: verify.Sidecar{Data: readFile(t, filepath.Join(bundleDir, "3.11.0", "Python-3.11.0.tgz.sigstore")), Listed: true}}
	rep, err = v.VerifyDigest(target, digest)
	if err != nil {
		t.Fatal(err)
	}
	err = Verify(&rep, "Python-3.12.13.tgz.spdx.json", sc.Data, sc.Listed)
	var ve *verify.VerificationError
	if !errors.As(err, &ve) || rep.OK {
		t.Fatalf("the SBOM of another release bound: %v", err)
	}
	wantDetail := "Python-3.12.13.tgz.spdx.json: packages[5].checksums: the CPython package's SHA-256 is " +
		indexDigest(t, "Python-3.12.13.tgz") + ", but the verified file's is " + other
	if c := ve.Failures[0]; c.Kind != verify.KindSBOM || c.Status != verify.StatusFail || c.Detail != wantDetail {
		t.Errorf("failure %+v\nwant detail %s", c, wantDetail)
	}
}

// The fixture site's SBOMs name the fixture artifacts' digests.
func TestFixtureSBOMs(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "fixtures", "site", "ftp", "python", "*", "*"+Suffix))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixture SBOMs: %v", err)
	}
	for _, p := range paths {
		doc, err := Parse(filepath.Base(p), readFile(t, p))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(readFile(t, strings.TrimSuffix(p, Suffix)))
		if err := doc.Bind(filepath.Base(p), hex.EncodeToString(sum[:])); err != nil {
			t.Error(err)
		}
	}
}

const good = `{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": [
 {"SPDXID": "SPDXRef-PACKAGE-expat", "name": "expat", "checksums": [{"algorithm": "SHA256", "checksumValue": "1111111111111111111111111111111111111111111111111111111111111111"}]},
 {"SPDXID": "SPDXRef-PACKAGE-cpython", "name": "CPython", "versionInfo": "3.12.4", "packageFileName": "Python-3.12.4.tgz",
  "checksums": [{"algorithm": "SHA1", "checksumValue": "not checked"}, {"algorithm": "SHA256", "checksumValue": "AAA5F9AFB341C7F8C473AB9E3940CD398B23096DC0AD85D49CB8F74FBFF52F8E"}]}]}`

const goodDigest = "aaa5f9afb341c7f8c473ab9e3940cd398b23096dc0ad85d49cb8f74fbff52f8e"

func TestParseTolerant(t *testing.T) {
	doc, err := Parse("x.spdx.json", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if doc.CPython.SHA256 != goodDigest || doc.CPython.Index != 1 || doc.CPython.Version != "3.12.4" {
		t.Errorf("%+v", doc.CPython)
	}
	// Unknown fields, other algorithms and fields of unexpected types
	// pyverify does not read are ignored; so is a repeated equal digest.
	more := strings.Replace(good, `"spdxVersion"`, `"files": 7, "comment": {"x": [1, 2]}, "spdxVersion"`, 1)
	more = strings.Replace(more, `{"algorithm": "SHA1"`, `{"algorithm": "sha256", "checksumValue": "`+goodDigest+`"}, {"algorithm": "SHA1"`, 1)
	more = strings.Replace(more, `"name": "expat"`, `"name": "expat", "licenseConcluded": 3`, 1)
	if doc, err := Parse("x.spdx.json", []byte(more)); err != nil || doc.CPython.SHA256 != goodDigest {
		t.Errorf("tolerant parse: %v", err)
	}
}

// Malformed SBOMs are errors that name the file and the field.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, doc, want string
	}{
		{"syntax", `{"spdxVersion": "SPDX-2.3",` + "\n" + ` "packages": [}`,
			`x.spdx.json: invalid JSON at line 2, column 15: invalid character '}' looking for beginning of value`},
		{"not-an-object", `[1]`, `x.spdx.json: want a JSON object, got array`},
		{"null", `null`, `x.spdx.json: want a JSON object, got null`},
		{"no-version", `{"packages": []}`, `x.spdx.json: spdxVersion: missing`},
		{"spdx-3", strings.Replace(good, "SPDX-2.3", "SPDX-3.0", 1), `x.spdx.json: spdxVersion: "SPDX-3.0": want an SPDX 2.x document (SPDX-2.2, SPDX-2.3)`},
		{"version-number", strings.Replace(good, `"SPDX-2.3"`, `2.3`, 1), `x.spdx.json: spdxVersion: want a string, got a number`},
		{"no-packages", `{"spdxVersion": "SPDX-2.3"}`, `x.spdx.json: packages: missing: the document lists no packages`},
		{"packages-object", `{"spdxVersion": "SPDX-2.3", "packages": {}}`, `x.spdx.json: packages: want an array, got an object`},
		{"package-string", `{"spdxVersion": "SPDX-2.3", "packages": ["CPython"]}`, `x.spdx.json: packages[0]: want an object, got a string`},
		{"name-number", strings.Replace(good, `"name": "expat"`, `"name": 5`, 1), `x.spdx.json: packages[0].name: want a string, got a number`},
		{"no-cpython", strings.Replace(good, `"name": "CPython"`, `"name": "cpython-fork"`, 1), `x.spdx.json: packages: no package named "CPython": the SBOM does not describe a CPython artifact`},
		{"no-checksums", `{"spdxVersion": "SPDX-2.3", "packages": [{"name": "CPython"}]}`, `x.spdx.json: packages[0].checksums: missing: the CPython package lists no checksums`},
		{"checksums-null", `{"spdxVersion": "SPDX-2.3", "packages": [{"name": "CPython", "checksums": null}]}`, `x.spdx.json: packages[0].checksums: want an array, got null`},
		{"no-sha256", strings.Replace(good, `{"algorithm": "SHA256", "checksumValue": "AAA5`, `{"algorithm": "SHA512", "checksumValue": "AAA5`, 1), `x.spdx.json: packages[1].checksums: no SHA256 checksum for the CPython package`},
		{"short-digest", strings.Replace(good, `"AAA5F9AFB341`, `"AAA5F`, 1), `x.spdx.json: packages[1].checksums[1].checksumValue: "AAA5FC7F8C473AB9E3940CD398B23096DC0AD85D49CB8F74FBFF52F8E": want 64 hexadecimal digits`},
		{"digest-number", strings.Replace(good, `"checksumValue": "not checked"`, `"checksumValue": 1`, 1), `x.spdx.json: packages[1].checksums[0].checksumValue: want a string, got a number`},
		{"no-algorithm", strings.Replace(good, `"algorithm": "SHA1", `, ``, 1), `x.spdx.json: packages[1].checksums[0].algorithm: missing`},
		{"two-digests", strings.Replace(good, `{"algorithm": "SHA1", "checksumValue": "not checked"}`, `{"algorithm": "SHA256", "checksumValue": "`+strings.Repeat("b", 64)+`"}`, 1),
			`x.spdx.json: packages[1].checksums: two different SHA-256 checksums (` + strings.Repeat("b", 64) + ` and ` + goodDigest + `)`},
		{"control-characters", strings.Replace(good, `"SPDX-2.3"`, `"\u001b[31m"`, 1), `x.spdx.json: spdxVersion: "\x1b[31m": want an SPDX 2.x document (SPDX-2.2, SPDX-2.3)`},
		{"two-cpython-undescribed", `{"spdxVersion": "SPDX-2.3", "packages": [{"name": "CPython", "SPDXID": "a"}, {"name": "CPython", "SPDXID": "b"}]}`,
			`x.spdx.json: packages: 2 packages are named "CPython" and the document does not say which one it describes`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("x.spdx.json", []byte(tt.doc))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("got %v (%T), want an *Error", err, err)
			}
			if err.Error() != tt.want {
				t.Errorf("got  %s\nwant %s", err, tt.want)
			}
		})
	}
}

func TestParseTooLarge(t *testing.T) {
	data := make([]byte, MaxSize+1)
	_, err := Parse("big.spdx.json", data)
	var e *Error
	if !errors.As(err, &e) || e.Field != "" || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("got %v", err)
	}
	_, err = Parse("bin.spdx.json", []byte("{\"spdxVersion\": \"\xff\"}"))
	if !errors.As(err, &e) || err.Error() != "bin.spdx.json: not UTF-8 text" {
		t.Errorf("got %v", err)
	}
}

// With several packages named CPython, the one the document describes is
// the artifact's.
func TestParseDescribed(t *testing.T) {
	two := `{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "packages": [
	 {"name": "CPython", "SPDXID": "SPDXRef-PACKAGE-embedded", "checksums": [{"algorithm": "SHA256", "checksumValue": "` + strings.Repeat("1", 64) + `"}]},
	 {"name": "CPython", "SPDXID": "SPDXRef-PACKAGE-cpython", "checksums": [{"algorithm": "SHA256", "checksumValue": "` + goodDigest + `"}]}],
	 "relationships": [{"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-PACKAGE-cpython"}]}`
	doc, err := Parse("x", []byte(two))
	if err != nil || doc.CPython.Index != 1 || doc.CPython.SHA256 != goodDigest {
		t.Fatalf("%v %+v", err, doc)
	}
	viaList := strings.Replace(two, `"relationships"`, `"documentDescribes": ["SPDXRef-PACKAGE-embedded"], "x"`, 1)
	if doc, err := Parse("x", []byte(viaList)); err != nil || doc.CPython.Index != 0 {
		t.Fatalf("documentDescribes: %v %+v", err, doc)
	}
	both := strings.Replace(two, `"relationships"`, `"documentDescribes": ["SPDXRef-PACKAGE-embedded"], "relationships"`, 1)
	_, err = Parse("x", []byte(both))
	if err == nil || err.Error() != `x: packages: 2 packages are named "CPython" and the document describes more than one (packages[0] and packages[1])` {
		t.Errorf("got %v", err)
	}
}

func TestVerifyRules(t *testing.T) {
	sbom := []byte(good)
	okReport := func() verify.ArtifactReport {
		return verify.ArtifactReport{Name: "Python-3.12.4.tgz", OK: true, SHA256: goodDigest}
	}
	tests := []struct {
		name     string
		rep      verify.ArtifactReport
		sc       verify.Sidecar
		status   verify.Status
		required bool
		fails    bool
		detail   string
	}{
		{"binds", okReport(), verify.Sidecar{Data: sbom, Listed: true}, verify.StatusPass, true, false,
			"x.spdx.json describes this file: its CPython package's SHA-256 is the verified " + goodDigest},
		{"binds-found-unlisted", okReport(), verify.Sidecar{Data: sbom}, verify.StatusPass, true, false, ""},
		{"not-listed", okReport(), verify.Sidecar{}, verify.StatusSkipped, false, false, "no SBOM listed for this file"},
		{"listed-missing", okReport(), verify.Sidecar{Listed: true}, verify.StatusMissing, true, true,
			"no x.spdx.json: the release lists an SBOM for this file, but it is not available"},
		{"malformed", okReport(), verify.Sidecar{Data: []byte(`{"spdxVersion": "SPDX-2.3", "packages": 1}`), Listed: true}, verify.StatusFail, true, true,
			"x.spdx.json: packages: want an array, got a number"},
		{"other-file", verify.ArtifactReport{Name: "Python-3.12.4.tar.xz", OK: true, SHA256: strings.Repeat("f", 64)},
			verify.Sidecar{Data: sbom, Listed: true}, verify.StatusFail, true, true,
			"x.spdx.json: packages[1].checksums: the CPython package's SHA-256 is " + goodDigest + ", but the verified file's is " + strings.Repeat("f", 64)},
		{"artifact-failed", verify.ArtifactReport{Name: "Python-3.12.4.tgz", OK: false, SHA256: goodDigest},
			verify.Sidecar{Data: sbom, Listed: true}, verify.StatusSkipped, false, false,
			"not checked: the file did not verify, and an SBOM is trusted only through a verified digest"},
		{"no-digest", verify.ArtifactReport{Name: "Python-3.12.4.tgz", OK: true}, verify.Sidecar{Data: sbom, Listed: true},
			verify.StatusFail, true, true, "the verified file's SHA-256 is unknown: nothing to bind the SBOM to"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := tt.rep
			wasOK := rep.OK
			err := Verify(&rep, "x.spdx.json", tt.sc.Data, tt.sc.Listed)
			if len(rep.Checks) != 1 {
				t.Fatalf("checks: %+v", rep.Checks)
			}
			c := rep.Checks[0]
			if c.Kind != verify.KindSBOM || c.Status != tt.status || c.Required != tt.required {
				t.Errorf("check %+v, want status %s required %v", c, tt.status, tt.required)
			}
			if tt.detail != "" && c.Detail != tt.detail {
				t.Errorf("detail\n got %s\nwant %s", c.Detail, tt.detail)
			}
			wantReason := map[string]report.Reason{"listed-missing": report.ReasonSBOMAbsent, "malformed": report.ReasonSBOMMalformed,
				"other-file": report.ReasonSBOMMismatch, "no-digest": report.ReasonSBOMMismatch}[tt.name]
			if c.Reason != wantReason {
				t.Errorf("reason %q, want %q", c.Reason, wantReason)
			}
			var ve *verify.VerificationError
			if tt.fails {
				if !errors.As(err, &ve) || ve.Name != rep.Name || rep.OK {
					t.Errorf("err %v, ok %v: want a VerificationError and a failed report", err, rep.OK)
				}
			} else if err != nil || rep.OK != wasOK {
				t.Errorf("err %v, ok %v", err, rep.OK)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add(readFile(f, filepath.Join("..", "fixtures", "site", "ftp", "python", "3.14.1", "python-3.14.1-amd64.exe.spdx.json")))
	f.Add([]byte(`{"spdxVersion": "SPDX-2.3", "SPDXID": "d", "packages": [{"name": "CPython", "SPDXID": "a"}, {"name": "CPython", "SPDXID": "b"}],
	 "documentDescribes": ["b"], "relationships": [{"spdxElementId": "d", "relationshipType": "DESCRIBES", "relatedSpdxElement": "a"}]}`))
	f.Add([]byte(`{"spdxVersion": "SPDX-2.3", "packages": [{"name": "CPython", "checksums": [{"algorithm": "SHA256", "checksumValue": null}]}]}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse("f.spdx.json", data)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(err.Error(), "f.spdx.json: ") {
				t.Fatalf("error %v (%T) does not name the file", err, err)
			}
			return
		}
		// A document that parses names one well-formed digest, and binds
		// to exactly that digest.
		if b, err := hex.DecodeString(doc.CPython.SHA256); err != nil || len(b) != 32 || strings.ToLower(doc.CPython.SHA256) != doc.CPython.SHA256 {
			t.Fatalf("digest %q", doc.CPython.SHA256)
		}
		if err := doc.Bind("f", strings.ToUpper(doc.CPython.SHA256)); err != nil {
			t.Fatal(err)
		}
		if err := doc.Bind("f", strings.Repeat("0", 63)+"1"); err == nil && doc.CPython.SHA256 != strings.Repeat("0", 63)+"1" {
			t.Fatal("bound to another digest")
		}
	})
}

// BenchmarkParseReal parses python.org's 2.7 MB SBOM of Python-3.12.13.tgz.
func BenchmarkParseReal(b *testing.B) {
	data := readFile(b, realSBOM)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("Python-3.12.13.tgz.spdx.json", data); err != nil {
			b.Fatal(err)
		}
	}
}
