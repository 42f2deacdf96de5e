package pipeline

import (
	"context"
	"errors"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/internal/download"
	"github.com/pyverify/pyverify/internal/fixtureserver"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// An oversized .sigstore from the server used to abort the artifact with
// ErrTooLarge, every check "not-read" as if the artifact could not be read:
// it is bad signature input, so the Sigstore check fails naming the
// sidecar and the cap, and the artifact's own checks are decided.
func TestOversizedSigstoreFailsItsCheckNotTheArtifactRead(t *testing.T) {
	s := fixtureserver.New(filepath.Join("..", "..", "fixtures", "site"))
	hs := httptest.NewServer(s)
	t.Cleanup(func() { s.Close(); hs.Close() })
	const path = "/ftp/python/3.14.1/Python-3.14.1.tgz"
	s.SetFault(path+".sigstore", fixtureserver.Fault{ExtraBytes: 2 << 20})
	base, _ := url.Parse(hs.URL)
	art := manifest.Artifact{Name: "Python-3.14.1.tgz", Class: manifest.ClassSource,
		URL: "https://www.python.org" + path, SigstoreURL: "https://www.python.org" + path + ".sigstore"}
	dest := t.TempDir()
	opt := Options{Client: &download.Client{Mirror: base, Retries: -1}, Verifier: fixtureVerifier(t),
		Version: manifest.MustParseVersion("3.14.1"), CacheDir: t.TempDir(), Dest: dest, Jobs: 1}
	res := Run(context.Background(), []manifest.Artifact{art}, opt)[0]

	var ve *verify.VerificationError
	if !errors.As(res.Err, &ve) || errors.Is(res.Err, download.ErrTooLarge) {
		t.Fatalf("err %v, want a verification failure (not a failed read)", res.Err)
	}
	want := "Python-3.14.1.tgz.sigstore: larger than the 1048576 bytes a Sigstore bundle may have (not read)"
	var sawSigstore bool
	for _, c := range res.Report.Checks {
		if c.Reason == verify.ReasonNotRead {
			t.Errorf("%s check claimed unread: %s", c.Kind, c.Detail)
		}
		if c.Kind == verify.KindSigstore {
			sawSigstore = true
			if c.Status != verify.StatusFail || c.Detail != want || c.Reason != verify.ReasonBadSignature {
				t.Errorf("sigstore check %+v, want a bad-signature failure %q", c, want)
			}
		}
	}
	if !sawSigstore || res.Report.SHA256 == "" {
		t.Errorf("report %+v: want a sigstore check and the artifact's SHA-256", res.Report)
	}
	if !strings.Contains(res.Err.Error(), want) {
		t.Errorf("error %q does not name the sidecar and the cap", res.Err)
	}
	if _, err := os.Stat(filepath.Join(dest, art.Name)); err == nil {
		t.Error("the artifact was placed although its signature failed")
	}
}
