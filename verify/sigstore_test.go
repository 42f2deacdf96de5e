package verify

import (
	"bufio"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	protobundle "github.com/sigstore/protobuf-specs/gen/pb-go/bundle/v1"
	protocommon "github.com/sigstore/protobuf-specs/gen/pb-go/common/v1"
	"github.com/sigstore/sigstore-go/pkg/bundle"
	"github.com/sigstore/sigstore-go/pkg/testing/ca"
	sgverify "github.com/sigstore/sigstore-go/pkg/verify"
	"google.golang.org/protobuf/encoding/protojson"
)

const bundleDir = "testdata/bundles"

// A realBundle is one row of testdata/bundles/index.tsv (or the
// no-checkpoint bundle), with its JSON.
type realBundle struct {
	version, file   string
	size            int64
	sha256          []byte
	mediaType       string
	identity, issue string
	path            string
	json            []byte
}

func (b realBundle) signer() string { return b.identity + " (" + b.issue + ")" }

var (
	realBundlesOnce sync.Once
	realBundlesList []realBundle
	realBundlesErr  error
)

func realBundles(t testing.TB) []realBundle {
	t.Helper()
	realBundlesOnce.Do(func() { realBundlesList, realBundlesErr = readRealBundles() })
	if realBundlesErr != nil {
		t.Fatal(realBundlesErr)
	}
	return realBundlesList
}

func readRealBundles() ([]realBundle, error) {
	f, err := os.Open(filepath.Join(bundleDir, "index.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []realBundle
	s := bufio.NewScanner(f)
	for line := 0; s.Scan(); line++ {
		if line == 0 {
			continue // header
		}
		c := strings.Split(s.Text(), "\t")
		if len(c) != 8 {
			return nil, errors.New("index.tsv: bad row " + s.Text())
		}
		size, err := strconv.ParseInt(c[2], 10, 64)
		if err != nil {
			return nil, err
		}
		sum, err := hex.DecodeString(c[3])
		if err != nil {
			return nil, err
		}
		out = append(out, realBundle{version: c[0], file: c[1], size: size, sha256: sum, mediaType: c[5],
			identity: c[6], issue: c[7], path: filepath.Join(bundleDir, c[0], c[1]+".sigstore")})
	}
	if err := s.Err(); err != nil {
		return nil, err
	}
	sum, _ := hex.DecodeString("38dc4e2c261d49c661196066edbfb70fdb16be4a79cc8220c224dfeb5636d405")
	out = append(out, realBundle{version: "3.12.5", file: "Python-3.12.5.tgz", sha256: sum, mediaType: sigstoreMediaTypeV01,
		identity: "thomas@python.org", issue: "https://accounts.google.com",
		path: filepath.Join(bundleDir, "Python-3.12.5.tgz.no-checkpoint.sigstore")})
	for i := range out {
		if out[i].json, err = os.ReadFile(out[i].path); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func findRealBundle(t testing.TB, file string) realBundle {
	t.Helper()
	for _, b := range realBundles(t) {
		if b.file == file {
			return b
		}
	}
	t.Fatalf("no bundle for %s", file)
	return realBundle{}
}

var (
	realCheckerOnce sync.Once
	realChecker     *sigstoreChecker
	realCheckerErr  error
)

// publicGoodChecker verifies against the real public-good trusted root,
// requiring SCTs.
func publicGoodChecker(t testing.TB) *sigstoreChecker {
	t.Helper()
	realCheckerOnce.Do(func() {
		data, err := os.ReadFile(filepath.Join(bundleDir, "trusted_root.json"))
		if err != nil {
			realCheckerErr = err
			return
		}
		tm, err := LoadTrustedRoot(data)
		if err != nil {
			realCheckerErr = err
			return
		}
		realChecker, realCheckerErr = newSigstoreChecker(tm, true)
	})
	if realCheckerErr != nil {
		t.Fatal(realCheckerErr)
	}
	return realChecker
}

func isSigstoreStage(err error, stage string) bool {
	var se *sigstoreStageError
	return errors.As(err, &se) && se.Stage == stage
}

func bundleLeafCurve(t testing.TB, data []byte) elliptic.Curve {
	t.Helper()
	b, err := parseSigstoreBundle(data)
	if err != nil {
		t.Fatal(err)
	}
	vc, err := b.VerificationContent()
	if err != nil {
		t.Fatal(err)
	}
	k, ok := vc.Certificate().PublicKey.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("leaf key is %T", vc.Certificate().PublicKey)
	}
	return k.Curve
}

func TestSigstoreRealBundles(t *testing.T) {
	c := publicGoodChecker(t)
	bundles := realBundles(t)
	if len(bundles) < 28 {
		t.Fatalf("only %d bundles", len(bundles))
	}
	compat := 0
	for _, b := range bundles {
		t.Run(b.version+"/"+b.file, func(t *testing.T) {
			var mt struct {
				MediaType string `json:"mediaType"`
			}
			if err := protojsonMediaType(b.json, &mt.MediaType); err != nil || mt.MediaType != b.mediaType {
				t.Errorf("media type %q (%v), index says %q", mt.MediaType, err, b.mediaType)
			}
			signer, err := c.check(b.json, b.sha256, b.identity, b.issue)
			if err != nil {
				t.Fatalf("check: %v", err)
			}
			if signer != b.signer() {
				t.Errorf("signer = %q, want %q", signer, b.signer())
			}
			if sigstoreCompatKey(curveKey(bundleLeafCurve(t, b.json))) {
				compat++
			}
		})
	}
	if compat == 0 {
		t.Error("no bundle took the P-384/P-521 path")
	}
	t.Logf("%d of %d bundles have P-384/P-521 leaf keys", compat, len(bundles))
}

func curveKey(c elliptic.Curve) any { return &ecdsa.PublicKey{Curve: c} }

func protojsonMediaType(data []byte, out *string) error {
	pb := new(protobundle.Bundle)
	if err := protojson.Unmarshal(data, pb); err != nil {
		return err
	}
	*out = pb.GetMediaType()
	return nil
}

// TestSigstoreConcurrent checks every bundle from several goroutines at
// once with one checker (run it with -race).
func TestSigstoreConcurrent(t *testing.T) {
	c := publicGoodChecker(t)
	bundles := realBundles(t)
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(bundles))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, b := range bundles {
				signer, err := c.check(b.json, b.sha256, b.identity, b.issue)
				if err == nil && signer != b.signer() {
					err = errors.New(b.file + ": wrong signer " + signer)
				}
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestSigstoreDigestMismatch(t *testing.T) {
	c := publicGoodChecker(t)
	for _, b := range realBundles(t) {
		d := bytes.Clone(b.sha256)
		d[len(d)/2] ^= 0x01
		signer, err := c.check(b.json, d, b.identity, b.issue)
		if !errors.Is(err, errSigstoreDigestMismatch) || signer != "" {
			t.Errorf("%s: signer %q, err = %v; want errSigstoreDigestMismatch", b.file, signer, err)
		}
	}
}

// TestSigstoreSignatureCoversDigest bypasses check's early comparison with
// the bundle's (unauthenticated) message digest: both verification paths
// must still refuse a bundle for a digest it does not sign.
func TestSigstoreSignatureCoversDigest(t *testing.T) {
	c := publicGoodChecker(t)
	for _, file := range []string{"Python-3.12.0rc2.tgz", "Python-3.14.0a2.tgz"} {
		rb := findRealBundle(t, file)
		d := bytes.Clone(rb.sha256)
		d[0] ^= 0x80
		b, err := parseSigstoreBundle(rb.json)
		if err != nil {
			t.Fatal(err)
		}
		sc, _ := b.SignatureContent()
		id, _ := sgverify.NewShortCertificateIdentity(rb.issue, "", rb.identity, "")
		if sigstoreCompatKey(curveKey(bundleLeafCurve(t, rb.json))) {
			_, err = c.verifyCompat(b, sc.MessageSignatureContent(), d, id)
		} else {
			_, err = c.v.Verify(b, sgverify.NewPolicy(sgverify.WithArtifactDigest("sha256", d), sgverify.WithCertificateIdentity(id)))
			err = mapSigstoreError(err)
		}
		if !isSigstoreStage(err, "signature") {
			t.Errorf("%s: err = %v, want a signature failure", file, err)
		}
	}
}

func TestSigstoreWrongIdentity(t *testing.T) {
	c := publicGoodChecker(t)
	for _, b := range realBundles(t) {
		// Another series' signer: hugo@python.org for everything not his,
		// thomas@python.org for Hugo's.
		wantID, wantIss := "hugo@python.org", "https://github.com/login/oauth"
		if b.identity == wantID {
			wantID, wantIss = "thomas@python.org", "https://accounts.google.com"
		}
		signer, err := c.check(b.json, b.sha256, wantID, wantIss)
		var idErr *sigstoreIdentityError
		if !errors.As(err, &idErr) {
			t.Errorf("%s: err = %v, want *sigstoreIdentityError", b.file, err)
			continue
		}
		if signer != b.signer() || idErr.Signer != b.signer() {
			t.Errorf("%s: signer %q / %q, want %q", b.file, signer, idErr.Signer, b.signer())
		}
		want := "sigstore: signed by " + b.signer() + ", want " + wantID + " (" + wantIss + ")"
		if err.Error() != want {
			t.Errorf("%s: err = %q, want %q", b.file, err, want)
		}
		// The right email with the wrong issuer fails too.
		otherIss := "https://github.com/login/oauth"
		if b.issue == otherIss {
			otherIss = "https://accounts.google.com"
		}
		if _, err := c.check(b.json, b.sha256, b.identity, otherIss); !errors.As(err, &idErr) {
			t.Errorf("%s: wrong issuer: err = %v, want *sigstoreIdentityError", b.file, err)
		}
	}
}

// A bundleTamper changes one thing in a decoded bundle. stage is the stage
// that must reject it ("" accepts any failure other than a JSON error).
type bundleTamper struct {
	name  string
	stage string
	apply func(pb *protobundle.Bundle) bool // false: not applicable
}

func flipByte(b []byte, i int) bool {
	if len(b) == 0 {
		return false
	}
	if i < 0 || i >= len(b) {
		i = len(b) / 2
	}
	b[i] ^= 0x01
	return true
}

var bundleTampers = []bundleTamper{
	{"signature", "transparency log", func(pb *protobundle.Bundle) bool {
		return flipByte(pb.GetMessageSignature().GetSignature(), 20)
	}},
	{"message digest", "", func(pb *protobundle.Bundle) bool {
		return flipByte(pb.GetMessageSignature().GetMessageDigest().GetDigest(), 0)
	}},
	{"certificate serial", "transparency log", func(pb *protobundle.Bundle) bool {
		// Byte 15 is inside the serial number: the certificate still
		// parses but is no longer the one logged (nor the one Fulcio
		// signed).
		return flipByte(leafDER(pb), 15)
	}},
	{"certificate signature", "transparency log", func(pb *protobundle.Bundle) bool {
		der := leafDER(pb)
		return flipByte(der, len(der)-5)
	}},
	{"SET", "transparency log", func(pb *protobundle.Bundle) bool {
		return flipByte(pb.GetVerificationMaterial().GetTlogEntries()[0].GetInclusionPromise().GetSignedEntryTimestamp(), 30)
	}},
	{"tlog body", "", func(pb *protobundle.Bundle) bool {
		body := pb.GetVerificationMaterial().GetTlogEntries()[0].GetCanonicalizedBody()
		// Change one hex digit of the logged digest: still valid JSON.
		i := bytes.Index(body, []byte(`"value":"`))
		if i < 0 {
			return false
		}
		i += len(`"value":"`) + 3
		if body[i] == '0' {
			body[i] = '1'
		} else {
			body[i] = '0'
		}
		return true
	}},
	{"integrated time", "transparency log", func(pb *protobundle.Bundle) bool {
		pb.GetVerificationMaterial().GetTlogEntries()[0].IntegratedTime++
		return true
	}},
	{"log index", "transparency log", func(pb *protobundle.Bundle) bool {
		pb.GetVerificationMaterial().GetTlogEntries()[0].LogIndex++
		return true
	}},
	{"log ID", "", func(pb *protobundle.Bundle) bool {
		return flipByte(pb.GetVerificationMaterial().GetTlogEntries()[0].GetLogId().GetKeyId(), 3)
	}},
	{"inclusion proof hash", "transparency log", func(pb *protobundle.Bundle) bool {
		p := pb.GetVerificationMaterial().GetTlogEntries()[0].GetInclusionProof()
		if p == nil || len(p.Hashes) == 0 || p.GetCheckpoint().GetEnvelope() == "" {
			return false
		}
		return flipByte(p.Hashes[0], 7)
	}},
	{"inclusion proof root", "transparency log", func(pb *protobundle.Bundle) bool {
		p := pb.GetVerificationMaterial().GetTlogEntries()[0].GetInclusionProof()
		if p == nil || p.GetCheckpoint().GetEnvelope() == "" {
			return false
		}
		return flipByte(p.RootHash, 1)
	}},
	{"checkpoint", "transparency log", func(pb *protobundle.Bundle) bool {
		p := pb.GetVerificationMaterial().GetTlogEntries()[0].GetInclusionProof()
		if p.GetCheckpoint().GetEnvelope() == "" {
			return false
		}
		env := []byte(p.Checkpoint.Envelope)
		// A digit of the tree size, on the checkpoint's second line.
		i := bytes.IndexByte(env, '\n') + 2
		if env[i] == '1' {
			env[i] = '2'
		} else {
			env[i] = '1'
		}
		p.Checkpoint.Envelope = string(env)
		return true
	}},
	{"no tlog entry", "transparency log", func(pb *protobundle.Bundle) bool {
		// v0.1 bundles must have a SET; removing the entries leaves none.
		pb.VerificationMaterial.TlogEntries = nil
		return true
	}},
}

func leafDER(pb *protobundle.Bundle) []byte {
	vm := pb.GetVerificationMaterial()
	if c := vm.GetCertificate(); c != nil {
		return c.RawBytes
	}
	if certs := vm.GetX509CertificateChain().GetCertificates(); len(certs) > 0 {
		return certs[0].RawBytes
	}
	return nil
}

func TestSigstoreTamperedBundles(t *testing.T) {
	c := publicGoodChecker(t)
	files := []string{
		"Python-3.12.0rc2.tgz",      // v0.1, P-384
		"Python-3.11.0.tgz",         // v0.2
		"Python-3.7.14.tgz",         // v0.1, GitHub issuer
		"Python-3.12.13.tgz",        // v0.3
		"Python-3.14.0a2.tar.xz",    // v0.3
		"Python-3.14.0.tar.xz",      // v0.3
		"python-3.13.0-macos11.pkg", // v0.3
	}
	cases := []realBundle{}
	for _, f := range files {
		cases = append(cases, findRealBundle(t, f))
	}
	cases = append(cases, findRealBundle(t, "Python-3.12.5.tgz")) // no checkpoint
	for _, rb := range cases {
		for _, tm := range bundleTampers {
			pb := new(protobundle.Bundle)
			if err := protojson.Unmarshal(rb.json, pb); err != nil {
				t.Fatal(err)
			}
			if !tm.apply(pb) {
				continue
			}
			data, err := protojson.Marshal(pb)
			if err != nil {
				t.Fatal(err)
			}
			signer, err := c.check(data, rb.sha256, rb.identity, rb.issue)
			switch {
			case err == nil:
				t.Errorf("%s: %s: tampered bundle verified", rb.file, tm.name)
			case signer != "":
				t.Errorf("%s: %s: signer %q reported for a bad bundle", rb.file, tm.name, signer)
			case tm.stage != "" && !isSigstoreStage(err, tm.stage):
				t.Errorf("%s: %s: err = %v, want a %s failure", rb.file, tm.name, err, tm.stage)
			case strings.Contains(err.Error(), "malformed JSON"):
				t.Errorf("%s: %s: err = %v, want a verification failure", rb.file, tm.name, err)
			}
		}
	}
}

// TestSigstoreRawByteFlips changes single bytes of the JSON text inside
// base64 values; whatever happens, the bundle must not verify.
func TestSigstoreRawByteFlips(t *testing.T) {
	c := publicGoodChecker(t)
	for _, file := range []string{"Python-3.12.0rc2.tgz", "Python-3.14.0a2.tgz", "Python-3.12.5.tgz"} {
		rb := findRealBundle(t, file)
		for _, key := range []string{"signature", "rawBytes", "signedEntryTimestamp", "canonicalizedBody"} {
			i := jsonValueStart(t, rb.json, key)
			for _, off := range []int{10, 40, 90} {
				data := bytes.Clone(rb.json)
				j := i + off
				if data[j] == 'A' {
					data[j] = 'B'
				} else {
					data[j] = 'A'
				}
				if _, err := c.check(data, rb.sha256, rb.identity, rb.issue); err == nil {
					t.Errorf("%s: %s+%d changed, still verified", file, key, off)
				}
			}
		}
	}
}

func TestSigstoreNoCheckpoint(t *testing.T) {
	rb := findRealBundle(t, "Python-3.12.5.tgz")
	// sigstore-go alone refuses it.
	var b bundle.Bundle
	if err := b.UnmarshalJSON(rb.json); err == nil || !strings.Contains(err.Error(), "checkpoint") {
		t.Fatalf("sigstore-go UnmarshalJSON: err = %v, want a checkpoint error", err)
	}
	c := publicGoodChecker(t)
	signer, err := c.check(rb.json, rb.sha256, rb.identity, rb.issue)
	if err != nil || signer != "thomas@python.org (https://accounts.google.com)" {
		t.Fatalf("check = %q, %v", signer, err)
	}
	// The leniency is for v0.1 only: the same bundle under the v0.2 and
	// v0.3 media types is refused.
	for _, mt := range []string{sigstoreMediaTypeV02, sigstoreMediaTypeV03b} {
		data := bytes.Replace(rb.json, []byte(sigstoreMediaTypeV01), []byte(mt), 1)
		if _, err := c.check(data, rb.sha256, rb.identity, rb.issue); !isSigstoreStage(err, "bundle") ||
			!strings.Contains(err.Error(), "checkpoint") {
			t.Errorf("%s: err = %v, want a bundle checkpoint error", mt, err)
		}
	}
	// Without its SET, nothing is left to verify the entry.
	pb := new(protobundle.Bundle)
	if err := protojson.Unmarshal(rb.json, pb); err != nil {
		t.Fatal(err)
	}
	pb.VerificationMaterial.TlogEntries[0].InclusionPromise = nil
	data, _ := protojson.Marshal(pb)
	if _, err := c.check(data, rb.sha256, rb.identity, rb.issue); !isSigstoreStage(err, "bundle") {
		t.Errorf("no SET: err = %v, want a bundle error", err)
	}
}

// captureStderr runs f with os.Stderr redirected to a pipe and returns what
// was written to it.
func captureStderr(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	done := make(chan []byte)
	go func() {
		b, _ := io.ReadAll(r)
		done <- b
	}()
	defer func() {
		os.Stderr = saved
	}()
	f()
	os.Stderr = saved
	w.Close()
	out := <-done
	r.Close()
	return string(out)
}

func TestSigstoreP384WritesNothingToStderr(t *testing.T) {
	c := publicGoodChecker(t)
	rb := findRealBundle(t, "Python-3.12.0rc2.tgz")
	if bundleLeafCurve(t, rb.json) != elliptic.P384() {
		t.Fatal("want a P-384 bundle")
	}
	var signer string
	var err error
	out := captureStderr(t, func() {
		signer, err = c.check(rb.json, rb.sha256, rb.identity, rb.issue)
	})
	if err != nil || signer != rb.signer() {
		t.Fatalf("check = %q, %v", signer, err)
	}
	if out != "" {
		t.Errorf("check wrote to stderr: %q", out)
	}
	// The test can fail: sigstore-go's own Verify prints for this bundle.
	b, err := parseSigstoreBundle(rb.json)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := sgverify.NewShortCertificateIdentity(rb.issue, "", rb.identity, "")
	out = captureStderr(t, func() {
		_, err = c.v.Verify(b, sgverify.NewPolicy(sgverify.WithArtifactDigest("sha256", rb.sha256), sgverify.WithCertificateIdentity(id)))
	})
	if err != nil {
		t.Fatalf("sigstore-go Verify: %v", err)
	}
	if !strings.Contains(out, "compatibility verifier") {
		t.Errorf("sigstore-go Verify wrote %q to stderr; the test no longer shows the problem", out)
	}
}

// TestSigstoreCompatAgreesWithLibrary runs every P-384/P-521 bundle, intact
// and tampered, through both verifyCompat and sigstore-go's Verify: they
// must agree on the outcome (and on the stage that fails).
func TestSigstoreCompatAgreesWithLibrary(t *testing.T) {
	c := publicGoodChecker(t)
	type variant struct {
		name   string
		data   []byte
		digest []byte
		id, is string
	}
	var variants []variant
	for _, rb := range realBundles(t) {
		if !sigstoreCompatKey(curveKey(bundleLeafCurve(t, rb.json))) {
			continue
		}
		variants = append(variants, variant{rb.file, rb.json, rb.sha256, rb.identity, rb.issue})
		d := bytes.Clone(rb.sha256)
		d[5] ^= 4
		variants = append(variants, variant{rb.file + " other digest", rb.json, d, rb.identity, rb.issue})
		variants = append(variants, variant{rb.file + " other signer", rb.json, rb.sha256, "hugo@python.org", rb.issue})
		for _, tm := range bundleTampers {
			if tm.name == "message digest" || tm.name == "no tlog entry" {
				continue
			}
			pb := new(protobundle.Bundle)
			if err := protojson.Unmarshal(rb.json, pb); err != nil {
				t.Fatal(err)
			}
			if tm.apply(pb) {
				data, _ := protojson.Marshal(pb)
				variants = append(variants, variant{rb.file + " " + tm.name, data, rb.sha256, rb.identity, rb.issue})
			}
		}
	}
	if len(variants) == 0 {
		t.Fatal("no P-384 bundles")
	}
	for _, v := range variants {
		b, err := parseSigstoreBundle(v.data)
		if err != nil {
			continue // refused before either path runs
		}
		sc, _ := b.SignatureContent()
		id, _ := sgverify.NewShortCertificateIdentity(v.is, "", v.id, "")
		_, ours := c.verifyCompat(b, sc.MessageSignatureContent(), v.digest, id)
		var theirs error
		captureStderr(t, func() {
			_, theirs = c.v.Verify(b, sgverify.NewPolicy(sgverify.WithArtifactDigest("sha256", v.digest), sgverify.WithCertificateIdentity(id)))
		})
		theirs = mapSigstoreError(theirs)
		if (ours == nil) != (theirs == nil) {
			t.Errorf("%s: verifyCompat: %v; sigstore-go: %v", v.name, ours, theirs)
			continue
		}
		var a, b2 *sigstoreStageError
		if errors.As(ours, &a) != errors.As(theirs, &b2) || (a != nil && a.Stage != b2.Stage) {
			t.Errorf("%s: verifyCompat: %v; sigstore-go: %v", v.name, ours, theirs)
		}
	}
}

func TestSigstoreMalformed(t *testing.T) {
	c := publicGoodChecker(t)
	rb := findRealBundle(t, "Python-3.14.0a2.tgz")
	pk := new(protobundle.Bundle)
	if err := protojson.Unmarshal(rb.json, pk); err != nil {
		t.Fatal(err)
	}
	pk.VerificationMaterial.Content = &protobundle.VerificationMaterial_PublicKey{PublicKey: &protocommon.PublicKeyIdentifier{Hint: "x"}}
	pkJSON, _ := protojson.Marshal(pk)
	dsse := []byte(`{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json","verificationMaterial":` +
		`{"certificate":{"rawBytes":"` + jsonField(t, rb.json, "rawBytes") + `"}},` +
		`"dsseEnvelope":{"payload":"e30=","payloadType":"application/vnd.in-toto+json","signatures":[{"sig":"AAAA"}]}}`)
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "", "sigstore: the .sigstore file is not a Sigstore bundle (the file is empty)"},
		{"blank", " \n", "sigstore: the .sigstore file is not a Sigstore bundle (the file is empty)"},
		{"not JSON", "<html>", "sigstore: the .sigstore file is not a Sigstore bundle (not a JSON object)"},
		{"array", "[]", "sigstore: the .sigstore file is not a Sigstore bundle (not a JSON object)"},
		{"broken JSON", "{", "sigstore: bundle: malformed JSON: "},
		{"unknown field", `{"mediaType":"` + sigstoreMediaTypeV03b + `","x":1}`, "sigstore: bundle: malformed JSON"},
		{"no media type", `{}`, "sigstore: the .sigstore file is not a Sigstore bundle (no mediaType)"},
		{"wrong media type", `{"mediaType":"application/json"}`, `sigstore: bundle: unsupported media type "application/json"`},
		{"v0.4", `{"mediaType":"application/vnd.dev.sigstore.bundle.v0.4+json"}`, `sigstore: bundle: unsupported media type`},
		{"control chars", `{"mediaType":"a\u001b[31mb"}`, `sigstore: bundle: unsupported media type "a\x1b[31mb"`},
		{"no content", `{"mediaType":"` + sigstoreMediaTypeV03b + `"}`, "sigstore: bundle: "},
		{"too large", `{"mediaType":"` + strings.Repeat(" ", maxSigstoreBundleSize) + `"}`, "sigstore: bundle: too large"},
		{"public key", string(pkJSON), "sigstore: bundle: no signing certificate"},
		{"dsse", string(dsse), "sigstore: bundle: not a message signature"},
	} {
		signer, err := c.check([]byte(tc.data), rb.sha256, rb.identity, rb.issue)
		if err == nil || signer != "" || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: check = %q, %v; want error starting %q", tc.name, signer, err, tc.want)
		}
	}
	for _, data := range []string{"", "[]", "{}", "<html>"} {
		var nb *NotBundleError
		if err := CheckBundleFormat([]byte(data)); !errors.As(err, &nb) {
			t.Errorf("CheckBundleFormat(%q) = %v, want a *NotBundleError", data, err)
		}
	}
	if err := CheckBundleFormat(rb.json); err != nil {
		t.Errorf("CheckBundleFormat(real bundle) = %v", err)
	}
	if _, err := c.check(rb.json, rb.sha256[:31], rb.identity, rb.issue); err == nil {
		t.Error("short digest accepted")
	}
	if _, err := c.check(rb.json, rb.sha256, "", rb.issue); err == nil {
		t.Error("empty identity accepted")
	}
	if _, err := c.check(rb.json, rb.sha256, rb.identity, ""); err == nil {
		t.Error("empty issuer accepted")
	}
}

// jsonValueStart returns the index of the first character of the string
// value of the first "key" in data, whatever the whitespace.
func jsonValueStart(t *testing.T, data []byte, key string) int {
	t.Helper()
	i := bytes.Index(data, []byte(`"`+key+`"`))
	if i < 0 {
		t.Fatalf("no %s", key)
	}
	i += len(key) + 2
	for i < len(data) && (data[i] == ' ' || data[i] == ':') {
		i++
	}
	if i >= len(data) || data[i] != '"' {
		t.Fatalf("%s is not a string", key)
	}
	return i + 1
}

func jsonField(t *testing.T, data []byte, key string) string {
	t.Helper()
	rest := data[jsonValueStart(t, data, key):]
	return string(rest[:bytes.IndexByte(rest, '"')])
}

func TestSigstoreWrongTrustedRoot(t *testing.T) {
	vs, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	c := newVirtualChecker(t, vs)
	rb := findRealBundle(t, "Python-3.14.0a2.tgz")
	if _, err := c.check(rb.json, rb.sha256, rb.identity, rb.issue); !isSigstoreStage(err, "transparency log") {
		t.Errorf("real bundle, virtual root: err = %v, want a transparency log failure", err)
	}
	// And the other way round.
	d := sha256.Sum256([]byte("x"))
	vb, err := virtualSigstoreBundle(vs, testIdentity, testIssuer, d[:], virtualBundleOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := publicGoodChecker(t).check(vb, d[:], testIdentity, testIssuer); !isSigstoreStage(err, "transparency log") {
		t.Errorf("virtual bundle, real root: err = %v, want a transparency log failure", err)
	}
}

func TestSigstoreVirtualP384(t *testing.T) {
	//nolint:staticcheck // the algorithm old clients used
	vs, err := ca.NewVirtualSigstoreWithSigningAlg(protocommon.PublicKeyDetails_PKIX_ECDSA_P384_SHA_256)
	if err != nil {
		t.Fatal(err)
	}
	c := newVirtualChecker(t, vs)
	digest := sha256.Sum256([]byte("artifact"))
	good, err := virtualSigstoreBundle(vs, testIdentity, testIssuer, digest[:],
		virtualBundleOptions{MediaType: sigstoreMediaTypeV01, NoInclusionProof: true})
	if err != nil {
		t.Fatal(err)
	}
	if bundleLeafCurve(t, good) != elliptic.P384() {
		t.Fatal("want a P-384 leaf")
	}
	var signer string
	out := captureStderr(t, func() { signer, err = c.check(good, digest[:], testIdentity, testIssuer) })
	if err != nil || out != "" {
		t.Fatalf("check = %q, %v; stderr %q", signer, err, out)
	}
	// A logged signature over another digest: only the signature check
	// can catch it.
	other := sha256.Sum256([]byte("something else"))
	bad, err := virtualSigstoreBundle(vs, testIdentity, testIssuer, digest[:],
		virtualBundleOptions{MediaType: sigstoreMediaTypeV02, SignDigest: other[:]})
	if err != nil {
		t.Fatal(err)
	}
	// Parsing the log entry body already verifies its signature, so such a
	// bundle is refused as malformed; Rekor would never have logged it.
	out = captureStderr(t, func() { _, err = c.check(bad, digest[:], testIdentity, testIssuer) })
	if !isSigstoreStage(err, "bundle") || !strings.Contains(err.Error(), "invalid signature") || out != "" {
		t.Errorf("bad signature: err = %v, stderr %q; want a bundle failure on the signature", err, out)
	}
	// The P-256 (library) path catches the same.
	vs256, err := ca.NewVirtualSigstore()
	if err != nil {
		t.Fatal(err)
	}
	c256 := newVirtualChecker(t, vs256)
	bad, err = virtualSigstoreBundle(vs256, testIdentity, testIssuer, digest[:], virtualBundleOptions{SignDigest: other[:]})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c256.check(bad, digest[:], testIdentity, testIssuer); !isSigstoreStage(err, "bundle") ||
		!strings.Contains(err.Error(), "invalid signature") {
		t.Errorf("bad signature (P-256): err = %v, want a bundle failure on the signature", err)
	}
}

func TestLoadTrustedRoot(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(bundleDir, "trusted_root.json"))
	if err != nil {
		t.Fatal(err)
	}
	tm, err := LoadTrustedRoot(good)
	if err != nil {
		t.Fatal(err)
	}
	if len(tm.RekorLogs()) == 0 || len(tm.FulcioCertificateAuthorities()) == 0 || len(tm.CTLogs()) == 0 {
		t.Error("trusted root lacks logs or authorities")
	}
	for _, tc := range []struct{ name, data, want string }{
		{"empty", "", "sigstore: trusted root: empty"},
		{"not JSON", "nope", "sigstore: trusted root: "},
		{"wrong media type", `{"mediaType":"x"}`, "sigstore: trusted root: unsupported TrustedRoot media type"},
		{"no media type", `{}`, "sigstore: trusted root: no mediaType"},
		{"no authorities", `{"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"}`, "sigstore: trusted root: no certificate authorities"},
		{"too large", strings.Repeat(" ", maxTrustedRootSize+1), "sigstore: trusted root: too large"},
	} {
		if _, err := LoadTrustedRoot([]byte(tc.data)); err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want prefix %q", tc.name, err, tc.want)
		}
	}
	if _, err := newSigstoreChecker(nil, true); err == nil {
		t.Error("newSigstoreChecker(nil) succeeded")
	}
}

func TestCleanSigstoreText(t *testing.T) {
	for in, want := range map[string]string{
		"plain":             "plain",
		"a\x1b[0mb":         `a\x1b[0mb`,
		"line\nbreak":       `line\nbreak`,
		"bad\xffutf8":       `bad\xffutf8`,
		"ünïcode":           "ünïcode",
		"\u202eright-to-lf": `\u202eright-to-lf`,
	} {
		if got := cleanSigstoreText(in); got != want {
			t.Errorf("cleanSigstoreText(%q) = %q, want %q", in, got, want)
		}
	}
	if got := cleanSigstoreText(strings.Repeat("x", 1000)); len(got) > 310 {
		t.Errorf("long text not cut: %d bytes", len(got))
	}
}

func BenchmarkSigstoreCheck(b *testing.B) {
	c := publicGoodChecker(b)
	for _, file := range []string{"Python-3.12.0rc2.tgz", "Python-3.11.0.tgz", "Python-3.14.0a2.tgz", "Python-3.12.5.tgz"} {
		rb := findRealBundle(b, file)
		b.Run(rb.version+"/"+file, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.check(rb.json, rb.sha256, rb.identity, rb.issue); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
