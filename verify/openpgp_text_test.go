package verify

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestGPGTextCanonicalization(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"a\nb\n", "a\r\nb\r\n"},
		{"a\r\nb", "a\r\nb"},
		{"a\r\r\nb", "a\r\nb"},
		{"a\rb\r", "a\rb"},
		{"\r\r\r\n\n", "\r\n\r\n"},
		{"a\x00\r\x00\nb\x00c\x00", "a\r\nb\x00c"},
	} {
		for split := range len(tt.in) + 1 {
			var g gpgText
			got := string(g.canon([]byte(tt.in[:split])))
			got += string(g.canon([]byte(tt.in[split:])))
			if got != tt.want {
				t.Errorf("canon(%q) split at %d = %q, want %q", tt.in, split, got, tt.want)
			}
		}
	}
}

// A text-mode detached signature (gpg --textmode) signs the text with
// canonical line endings, not the bytes: CRs and NULs before a line end can
// change and gpgv still says GOODSIG. Of a text file it passes, saying
// so in its detail and a warning; of a binary file (a tarball) it fails,
// even when genuine, since it does not prove the bytes. It is checked as
// GnuPG canonicalizes: go-crypto's canonicalization differs on a line
// ending in CR CR LF, which reported a genuine signature as tampering.
func TestOpenPGPTextModeSignature(t *testing.T) {
	home, run := liveGPG(t)
	run("--quick-gen-key", "Text Signer <text@example.org>", "ed25519", "sign", "never")
	pub := run("--export", "text@example.org")
	keys, err := ReadKeyring(bytes.NewReader(run("--armor", "--export", "text@example.org")))
	if err != nil {
		t.Fatal(err)
	}
	fpr := keys.Fingerprints()[0]
	req := testReq(false, Signer{Name: "Text", OpenPGP: keys.Fingerprints()})
	gpgvKeyring := filepath.Join(home, "pub.gpg")
	if err := os.WriteFile(gpgvKeyring, pub, 0o600); err != nil {
		t.Fatal(err)
	}
	// gpgvAccepts reports whether gpgv exits 0 for data and asc.
	gpgvAccepts := func(data, asc []byte) (bool, bool) {
		gpgv, err := exec.LookPath("gpgv")
		if err != nil {
			return false, false
		}
		d, a := filepath.Join(home, "gv.data"), filepath.Join(home, "gv.asc")
		os.WriteFile(d, data, 0o600)
		os.WriteFile(a, asc, 0o600)
		return exec.Command(gpgv, "--keyring", gpgvKeyring, a, d).Run() == nil, true
	}
	tarball, err := os.ReadFile(filepath.Join("..", "fixtures", "site", "ftp", "python", "3.6.15", "Python-3.6.15.tgz"))
	if err != nil {
		t.Fatal(err)
	}
	binary := []byte(strings.Repeat("tar\x00\r\r\nbin\x00\nary\rdata\xff\x00", 500) + "end\r\x00")
	text := []byte(`{"versions": [` + "\n" + `{"sort-version": "3.13.9"}` + "\n]}\n")
	// crlf changes one LF to CRLF, or adds a CR where a CR ends a line.
	crlf := func(data []byte) []byte {
		i := bytes.IndexByte(data, '\n')
		return append(append(append([]byte{}, data[:i]...), '\r'), data[i:]...)
	}
	for _, tc := range []struct {
		test, name string
		data       []byte
	}{
		{"tarball", "Python-3.6.15.tgz", tarball},
		{"binary", "python-3.6.15-amd64.exe", binary},
		{"text", "windows-3.13.9.json", text},
	} {
		t.Run(tc.test, func(t *testing.T) {
			file := filepath.Join(home, "artifact")
			if err := os.WriteFile(file, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			asc := run("--armor", "--textmode", "--detach-sign", "-o", "-", file)
			changed := crlf(tc.data)
			for _, data := range [][]byte{tc.data, changed} {
				if ok, ran := gpgvAccepts(data, asc); ran && !ok {
					t.Errorf("gpgv rejects a text-mode signature of the text")
				}
				res, warnings := runOpenPGPNamed(t, tc.name, keys, req, data, asc)
				if textFileName(tc.name) {
					if res.Status != StatusPass || !strings.HasSuffix(res.Detail, "; "+textSignatureNote) ||
						!slices.Equal(warnings, []string{tc.name + ": openpgp: " + textSignatureNote}) {
						t.Errorf("text file: %s %q %q", res.Status, res.Detail, warnings)
					}
					continue
				}
				made := time.Now().UTC().Format(time.DateOnly)
				want := "a text-mode signature (gpg --textmode) of a binary file, made " + made + " by " + fpr +
					": it covers the file's text with line endings canonicalized, not its bytes, so bytes other than the signed ones pass it; a binary file needs a binary signature (gpg --detach-sign)"
				if res.Status != StatusFail || res.Detail != want {
					t.Errorf("binary file: %s %q\nwant %q", res.Status, res.Detail, want)
				}
			}
			// Bytes whose text differs: BAD, and the detail says it was
			// checked as text.
			bad := append([]byte{}, tc.data...)
			bad[1] ^= 1
			if ok, ran := gpgvAccepts(bad, asc); ran && ok {
				t.Errorf("gpgv accepts other text")
			}
			res, _ := runOpenPGPNamed(t, tc.name, keys, req, bad, asc)
			if res.Status != StatusFail || !strings.HasPrefix(res.Detail, "BAD signature") || !strings.HasSuffix(res.Detail, "(a text-mode signature, gpg --textmode: checked over the file's text with CRLF line endings)") {
				t.Errorf("tampered: %s %q", res.Status, res.Detail)
			}
		})
	}
}
