package verify

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	openpgp "github.com/ProtonMail/go-crypto/openpgp/v2"
)

var updateKeyring = flag.Bool("update-keyring", false, "rewrite trust/keyring.asc from trust/keysrc")

// keyringSources reads trust/keysrc in the generator's fixed order: the
// key files python.org serves (their names give the keys to embed), its
// old pubkeys.txt, then the keys Debian ships in its source packages.
func keyringSources(t testing.TB) (want []string, sources []keySource) {
	t.Helper()
	fprName := regexp.MustCompile(`^([0-9A-F]{40})(\.[a-z0-9-]+)?\.asc$`)
	var files []string
	for _, pattern := range []string{"python.org/*.asc", "python.org/*.txt", "debian/*.asc"} {
		m, err := filepath.Glob(filepath.Join("trust", "keysrc", filepath.FromSlash(pattern)))
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(m)
		files = append(files, m...)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(filepath.Join("trust", "keysrc"), f)
		sources = append(sources, keySource{name: filepath.ToSlash(rel), data: data})
		if m := fprName.FindStringSubmatch(filepath.Base(f)); m != nil && filepath.Base(filepath.Dir(f)) == "python.org" && !slices.Contains(want, m[1]) {
			want = append(want, m[1])
		}
	}
	if len(want) == 0 {
		t.Fatal("no key files in trust/keysrc/python.org")
	}
	return want, sources
}

// TestEmbeddedKeyringGenerated checks that trust/keyring.asc is exactly
// what the generator makes from trust/keysrc. Regenerate it with
// `go generate ./verify` (which runs this test with -update-keyring).
func TestEmbeddedKeyringGenerated(t *testing.T) {
	want, sources := keyringSources(t)
	got, err := mergeKeyHistory(want, sources)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("trust", "keyring.asc")
	if *updateKeyring {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(got, embeddedKeyring) {
		t.Fatalf("trust/keyring.asc is not the generator's output from trust/keysrc: run `go generate ./verify`")
	}
}

// selfSigDates lists, as go-crypto reads them, the self-signatures of e
// that verify: "uid <name> <type> <time>", "sub <keyid> …", "rev …".
func selfSigDates(e *openpgp.Entity) []string {
	var out []string
	pk := e.PrimaryKey
	for _, id := range e.Identities {
		for _, c := range append(slices.Clone(id.SelfCertifications), id.Revocations...) {
			if pk.VerifyUserIdSignature(id.Name, pk, c.Packet) == nil {
				out = append(out, fmt.Sprintf("uid %q %x %d", id.Name, c.Packet.SigType, c.Packet.CreationTime.Unix()))
			}
		}
	}
	for _, s := range e.Subkeys {
		for _, b := range s.Bindings {
			if pk.VerifyKeySignature(s.PublicKey, b.Packet) == nil {
				out = append(out, fmt.Sprintf("sub %X %d", s.PublicKey.KeyId, b.Packet.CreationTime.Unix()))
			}
		}
		for _, r := range s.Revocations {
			if pk.VerifySubkeyRevocationSignature(r.Packet, s.PublicKey) == nil {
				out = append(out, fmt.Sprintf("subrev %X %d", s.PublicKey.KeyId, r.Packet.CreationTime.Unix()))
			}
		}
	}
	for _, r := range e.Revocations {
		if pk.VerifyRevocationSignature(r.Packet) == nil {
			out = append(out, fmt.Sprintf("rev %d", r.Packet.CreationTime.Unix()))
		}
	}
	return out
}

// TestEmbeddedKeyringKeepsEverySelfSignature checks the merge against
// go-crypto's own reading of each source: every valid self-signature of an
// embedded key in any public copy is in the embedded key. In particular
// Thomas Wouters's key keeps the 2021 and 2022 self-signatures that only
// Debian's copy has, and Łukasz Langa's key both its 2015–2018 and its 2025
// self-signatures.
func TestEmbeddedKeyringKeepsEverySelfSignature(t *testing.T) {
	want, sources := keyringSources(t)
	embedded, err := DefaultKeyring().parse(func(*keyringEntry) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	have := map[string][]string{}
	for _, e := range embedded {
		have[fingerprintOf(e)] = selfSigDates(e)
	}
	for _, src := range sources {
		kr, err := ReadKeyring(bytes.NewReader(src.data))
		if err != nil {
			t.Fatal(err)
		}
		el, err := kr.parse(func(e *keyringEntry) bool { return slices.Contains(want, e.fpr) })
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range el {
			for _, s := range selfSigDates(e) {
				if !slices.Contains(have[fingerprintOf(e)], s) {
					t.Errorf("%s: key %s: self-signature %s missing from the embedded key", src.name, fingerprintOf(e), s)
				}
			}
		}
	}
	for fpr, d := range map[string]string{
		"7169605F62C751356D054A26A821E680E5FA6305": "2022-10-03",
		"E3FF2839C048B25C084DEBE9B26995E310250568": "2018-01-27",
	} {
		found := false
		for _, s := range have[fpr] {
			f := strings.Fields(s)
			var unix int64
			fmt.Sscan(f[len(f)-1], &unix)
			found = found || day(time.Unix(unix, 0)) == d
		}
		if !found {
			t.Errorf("key %s: no self-signature of %s", fpr, d)
		}
	}
}

// FuzzMergeKeyHistory feeds arbitrary key sources to the merge: it must not
// panic, and whatever it returns must read back as a keyring of the keys
// asked for.
func FuzzMergeKeyHistory(f *testing.F) {
	for _, name := range []string{"rm.pub.asc", "two.old.pub.asc", "two.new.pub.asc", "revoked.pub.asc", "subkey.pub.asc"} {
		f.Add(readFixture(f, name))
	}
	f.Add(dearmoredFixture(f, "dsa.pub.asc"))
	fp := fixtureFingerprints(f)
	want := []string{fp["rm"], fp["two"], fp["revoked"], fp["sub"], fp["dsa"]}
	f.Fuzz(func(t *testing.T, data []byte) {
		var present []string
		if kr, err := ReadKeyring(bytes.NewReader(data)); err == nil {
			for _, w := range want {
				if kr.Has(w) {
					present = append(present, w)
				}
			}
		}
		out, err := mergeKeyHistory(present, []keySource{{name: "fuzz", data: data}})
		if err != nil {
			return
		}
		kr, err := ReadKeyring(bytes.NewReader(out))
		if len(present) == 0 {
			return
		}
		if err != nil {
			t.Fatalf("merged keyring does not read back: %v", err)
		}
		if got := kr.Fingerprints(); !slices.Equal(got, slices.Sorted(slices.Values(present))) {
			t.Fatalf("merged keys %v, want %v", got, present)
		}
	})
}
