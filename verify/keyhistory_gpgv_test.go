package verify

import (
	"bytes"
	"crypto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// gpgvAgreement says how gpgv's verdict must relate to pyverify's.
type gpgvAgreement int

const (
	gpgvAgrees   gpgvAgreement = iota // same verdict
	gpgvStricter                      // pyverify fails what gpgv accepts, as trust/README.md lists
	gpgvNA                            // gpgv cannot read the key (v6 keys in GnuPG 2.2)
)

func reason(r packet.ReasonForRevocation) *packet.ReasonForRevocation { return &r }

// TestKeyHistoryDifferentialGPGV is the table of key histories of issue 14.
// Each case builds a key with a history, signs bytes, and asserts
// pyverify's verdict; then gpgv (when installed) checks the same bytes with
// the same key, and the two must agree, except where trust/README.md says
// pyverify is deliberately stricter (revocations, SHA-1 outside legacy
// series).
func TestKeyHistoryDifferentialGPGV(t *testing.T) {
	data := []byte(strings.Repeat("pretend this is Python-3.13.5.tar.xz\n", 500))
	tests := []struct {
		name string
		key  func(t testing.TB) *histKey
		// fixture rows use gpg-made files of testdata/openpgp instead
		keyFile, sigFile string
		legacy           bool
		sigAt            string
		hash             crypto.Hash
		bySubkey         bool
		tamper           bool
		status           Status
		detail           string // substring
		gpgv             gpgvAgreement
	}{
		{name: "never expires", sigAt: "2021-06-01", status: StatusPass, detail: "good signature made 2021-06-01 by ",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Plain", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true)
			}},
		{name: "tampered", sigAt: "2021-06-01", tamper: true, status: StatusFail, detail: "BAD signature: the file does not match",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Plain", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true)
			}},
		{name: "SHA-512 signature", sigAt: "2021-06-01", hash: crypto.SHA512, status: StatusPass, detail: "good signature made 2021-06-01",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Plain", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true)
			}},
		{name: "refreshed expiry, old self-signatures dropped", sigAt: "2021-06-01",
			status: StatusPass, detail: "; key binding renewed 2023-01-01, after the signature",
			key: func(t testing.TB) *histKey {
				// Like 7169605F…: the copy published today carries only
				// the self-signature of the refresh.
				return newHistKey(t, "Refreshed", day0("2020-01-01"), false).certify(day0("2023-01-01"), day0("2035-01-01"), true)
			}},
		{name: "refreshed, tampered", sigAt: "2021-06-01", tamper: true, status: StatusFail, detail: "BAD signature",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Refreshed", day0("2020-01-01"), false).certify(day0("2023-01-01"), day0("2035-01-01"), true)
			}},
		{name: "refreshed with history kept", sigAt: "2021-06-01", status: StatusPass, detail: "good signature made 2021-06-01 by ",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Kept", day0("2020-01-01"), false).
					certify(day0("2020-01-01"), day0("2022-01-01"), true).certify(day0("2021-12-01"), day0("2035-01-01"), true)
			}},
		{name: "expired now, valid then", sigAt: "2021-06-01", status: StatusPass, detail: "good signature made 2021-06-01 by ",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Expired Now", day0("2020-01-01"), false).certify(day0("2020-01-01"), day0("2022-01-01"), true)
			}},
		{name: "expired at signature time, never renewed", sigAt: "2021-06-01", status: StatusFail,
			detail: "had expired when the signature was made (2021-06-01)", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Lapsed", day0("2020-01-01"), false).certify(day0("2020-01-01"), day0("2021-01-01"), true)
			}},
		{name: "expired at signature time, lifted later", sigAt: "2021-06-01", status: StatusPass,
			detail: "; key binding expired 2021-01-01 by the self-signature in force then, lifted 2022-06-01",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Lifted", day0("2020-01-01"), false).
					certify(day0("2020-01-01"), day0("2021-01-01"), true).certify(day0("2022-06-01"), day0("2035-01-01"), true)
			}},
		{name: "refreshed later, but not to cover the signature", sigAt: "2021-06-01", status: StatusFail,
			detail: "had expired when the signature was made", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Short", day0("2020-01-01"), false).certify(day0("2022-06-01"), day0("2021-01-01"), true)
			}},
		{name: "signature before key creation", sigAt: "2019-06-01", status: StatusFail,
			detail: "signature made 2019-06-01 predates key",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Young", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true)
			}},
		{name: "primary may not sign", sigAt: "2021-06-01", status: StatusFail, detail: "could not be verified: ",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Certify Only", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, false)
			}},
		{name: "no key flags, legacy series", sigAt: "2021-06-01", legacy: true, status: StatusPass, detail: "good signature made 2021-06-01 by ",
			key: func(t testing.TB) *histKey {
				k := newHistKey(t, "Old Style", day0("2020-01-01"), false)
				k.noFlags = true
				return k.certify(day0("2020-01-01"), zero, true)
			}},
		{name: "no key flags outside legacy series", sigAt: "2021-06-01", status: StatusFail,
			detail: "the primary key's self-signature does not allow signing", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				k := newHistKey(t, "Old Style", day0("2020-01-01"), false)
				k.noFlags = true
				return k.certify(day0("2020-01-01"), zero, true)
			}},
		{name: "signing subkey", sigAt: "2021-06-01", bySubkey: true, status: StatusPass, detail: " (subkey ",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Sub", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, false).
					addSigningSubkey(day0("2020-01-01")).bind(day0("2020-01-01"), zero)
			}},
		{name: "signing subkey with refreshed binding", sigAt: "2021-06-01", bySubkey: true, status: StatusPass,
			detail: "; subkey binding renewed 2023-01-01, after the signature",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Sub Refreshed", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, false).
					addSigningSubkey(day0("2020-01-01")).bind(day0("2023-01-01"), day0("2035-01-01"))
			}},
		{name: "signing subkey expired at signature time", sigAt: "2021-06-01", bySubkey: true, status: StatusFail,
			detail: "had expired when the signature was made", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Sub Lapsed", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, false).
					addSigningSubkey(day0("2020-01-01")).bind(day0("2020-01-01"), day0("2021-01-01"))
			}},
		{name: "signature before subkey creation", sigAt: "2020-06-01", bySubkey: true, status: StatusFail,
			detail: "signature made 2020-06-01 predates key",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Sub Young", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, false).
					addSigningSubkey(day0("2021-01-01")).bind(day0("2021-01-01"), zero)
			}},
		{name: "revoked, compromised, after the signature", sigAt: "2021-06-01", status: StatusFail,
			detail: "has been revoked", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Compromised", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true).
					revoke(day0("2022-01-01"), reason(packet.KeyCompromised), false)
			}},
		{name: "revoked, no reason", sigAt: "2021-06-01", status: StatusFail, detail: "has been revoked", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "No Reason", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true).
					revoke(day0("2022-01-01"), nil, false)
			}},
		{name: "superseded after the signature", sigAt: "2021-06-01", status: StatusPass,
			detail: "; key superseded 2022-01-01, after the signature",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Superseded", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true).
					revoke(day0("2022-01-01"), reason(packet.KeySuperseded), false)
			}},
		{name: "retired before the signature", sigAt: "2021-06-01", status: StatusFail, detail: "has been revoked", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Retired", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, true).
					revoke(day0("2021-01-01"), reason(packet.KeyRetired), false)
			}},
		{name: "subkey revoked, compromised", sigAt: "2021-06-01", bySubkey: true, status: StatusFail, detail: "has been revoked", gpgv: gpgvStricter,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Sub Compromised", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, false).
					addSigningSubkey(day0("2020-01-01")).bind(day0("2020-01-01"), zero).
					revoke(day0("2022-01-01"), reason(packet.KeyCompromised), true)
			}},
		{name: "subkey retired after the signature", sigAt: "2021-06-01", bySubkey: true, status: StatusPass,
			detail: "; subkey retired 2022-01-01, after the signature",
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Sub Retired", day0("2020-01-01"), false).certify(day0("2020-01-01"), zero, false).
					addSigningSubkey(day0("2020-01-01")).bind(day0("2020-01-01"), zero).
					revoke(day0("2022-01-01"), reason(packet.KeyRetired), true)
			}},
		{name: "SHA-1 by DSA-1024 in a legacy series", keyFile: "dsa.pub.asc", sigFile: "artifact.bin.dsa-sha1.asc", legacy: true,
			status: StatusPass, detail: "good signature made "},
		{name: "SHA-1 by DSA-1024 outside legacy series", keyFile: "dsa.pub.asc", sigFile: "artifact.bin.dsa-sha1.asc",
			status: StatusFail, detail: "legacy algorithms (SHA-1 signature, DSA-1024 key)", gpgv: gpgvStricter},
		{name: "v6 key refreshed", sigAt: "2021-06-01", status: StatusPass,
			detail: "; key binding renewed 2023-01-01, after the signature", gpgv: gpgvNA,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Six", day0("2020-01-01"), true).certify(day0("2023-01-01"), day0("2035-01-01"), true)
			}},
		{name: "v6 key expired at signature time", sigAt: "2021-06-01", status: StatusFail,
			detail: "had expired when the signature was made", gpgv: gpgvNA,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Six Lapsed", day0("2020-01-01"), true).certify(day0("2020-01-01"), day0("2021-01-01"), true)
			}},
		{name: "v6 key, tampered", sigAt: "2021-06-01", tamper: true, status: StatusFail, detail: "BAD signature", gpgv: gpgvNA,
			key: func(t testing.TB) *histKey {
				return newHistKey(t, "Six", day0("2020-01-01"), true).certify(day0("2020-01-01"), zero, true)
			}},
	}
	gpgv, _ := exec.LookPath("gpgv")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asc, signed, pub []byte
			var fpr string
			if tt.key != nil {
				k := tt.key(t)
				h := tt.hash
				if h == 0 {
					h = crypto.SHA256
				}
				asc = k.sign(data, day0(tt.sigAt).Add(12*time.Hour), h, tt.bySubkey)
				signed, pub, fpr = data, k.public(), k.fingerprint()
			} else {
				asc, signed, pub = readFixture(t, tt.sigFile), readFixture(t, "artifact.bin"), dearmoredFixture(t, tt.keyFile)
			}
			if tt.tamper {
				signed = bytes.Clone(signed)
				signed[100] ^= 1
			}
			keys, err := ReadKeyring(bytes.NewReader(pub))
			if err != nil {
				t.Fatal(err)
			}
			if fpr == "" {
				fpr = keys.Fingerprints()[0]
			}
			req := testReq(tt.legacy, Signer{ID: "rm", Name: "RM", OpenPGP: []string{fpr}})
			res, _ := runOpenPGP(t, keys, req, signed, asc)
			if res.Status != tt.status || !strings.Contains(res.Detail, tt.detail) {
				t.Errorf("pyverify: %s %q, want %s …%q…", res.Status, res.Detail, tt.status, tt.detail)
			}
			if gpgv == "" || tt.gpgv == gpgvNA {
				return
			}
			good, out := runGPGV(t, gpgv, pub, asc, signed)
			t.Logf("gpgv: %s; pyverify: %s %q", gpgvStatus(out), res.Status, res.Detail)
			switch tt.gpgv {
			case gpgvAgrees:
				if good != (res.Status == StatusPass) {
					t.Errorf("gpgv good = %v, pyverify %s: they disagree\n%s", good, res.Status, out)
				}
			case gpgvStricter:
				if !good || res.Status != StatusFail {
					t.Errorf("listed as stricter than gpgv, but gpgv good = %v, pyverify %s\n%s", good, res.Status, out)
				}
			}
		})
	}
}

var zero time.Time

// gpgvStatus returns gpgv's verdict keyword (GOODSIG, EXPKEYSIG, REVKEYSIG,
// BADSIG, ERRSIG…) from its --status-fd output.
func gpgvStatus(out string) string {
	for _, l := range strings.Split(out, "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 && f[0] == "[GNUPG:]" && strings.HasSuffix(f[1], "SIG") && f[1] != "NEWSIG" {
			return f[1]
		}
	}
	return "no verdict"
}

// runGPGV runs gpgv with a keyring of key on asc and data, and reports
// whether it accepted the signature (exit status 0), with its output.
func runGPGV(t *testing.T, gpgv string, key, asc, data []byte) (bool, string) {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]byte{"key.gpg": key, "data.asc": asc, "data": data}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(gpgv, "--homedir", dir, "--status-fd", "1", "--keyring", filepath.Join(dir, "key.gpg"),
		filepath.Join(dir, "data.asc"), filepath.Join(dir, "data"))
	out, err := cmd.CombinedOutput()
	return err == nil, string(out)
}
