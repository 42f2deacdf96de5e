package verify

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
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

// A genuine text-mode detached signature (gpg --textmode) of a binary file
// verifies; it was reported as tampering because go-crypto canonicalizes
// a line ending in CR CR LF otherwise than GnuPG.
func TestOpenPGPTextModeSignatureOfBinaryFile(t *testing.T) {
	gpg, err := exec.LookPath("gpg")
	if err != nil || testing.Short() {
		t.Skip("gpg not installed or -short")
	}
	home := t.TempDir()
	run := func(args ...string) []byte {
		t.Helper()
		cmd := exec.Command(gpg, append([]string{"--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback",
			"--passphrase", "", "--no-tty", "-q"}, args...)...)
		cmd.Env = append(os.Environ(), "GNUPGHOME="+home)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("gpg %v: %v\n%s", args, err, stderr.String())
		}
		return out
	}
	t.Cleanup(func() { exec.Command("gpgconf", "--homedir", home, "--kill", "all").Run() })
	run("--quick-gen-key", "Text Signer <text@example.org>", "ed25519", "sign", "never")
	keys, err := ReadKeyring(bytes.NewReader(run("--armor", "--export", "text@example.org")))
	if err != nil {
		t.Fatal(err)
	}
	req := testReq(false, Signer{Name: "Text", OpenPGP: keys.Fingerprints()})
	tarball, err := os.ReadFile(filepath.Join("..", "fixtures", "site", "ftp", "python", "3.6.15", "Python-3.6.15.tgz"))
	if err != nil {
		t.Fatal(err)
	}
	for _, data := range [][]byte{tarball, []byte(strings.Repeat("tar\x00\r\r\nbin\x00\nary\rdata\xff\x00", 500) + "end\r\x00")} {
		file := filepath.Join(home, "artifact")
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		asc := run("--armor", "--textmode", "--detach-sign", "-o", "-", file)
		if res, _ := runOpenPGP(t, keys, req, data, asc); res.Status != StatusPass {
			t.Errorf("a genuine text-mode signature: %s %q", res.Status, res.Detail)
		}
		data[1] ^= 1
		res, _ := runOpenPGP(t, keys, req, data, asc)
		if res.Status != StatusFail || !strings.HasPrefix(res.Detail, "BAD signature") || !strings.HasSuffix(res.Detail, "(a text-mode signature, gpg --textmode: checked over the file's text with CRLF line endings)") {
			t.Errorf("tampered: %s %q", res.Status, res.Detail)
		}
	}
}
