package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/fixtures"
	"github.com/pyverify/pyverify/verify"
)

// fixtureTrust is the fixtures' trust material, with which the fixture
// mirror (fixtures/site/ftp/python) verifies.
type fixtureTrust struct {
	v      *verify.Verifier
	policy *verify.Policy
	digest string
}

func loadFixtureTrust(t testing.TB) fixtureTrust { return newFixtureTrust(t, nil) }

// newFixtureTrust loads the fixture trust, with edit applied to the policy
// file's bytes.
func newFixtureTrust(t testing.TB, edit func([]byte) []byte) fixtureTrust {
	t.Helper()
	dir := filepath.Join("..", "fixtures", "trust")
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	pj, kj, rj := read("policy.json"), read("keyring.asc"), read("trusted_root.json")
	if edit != nil {
		pj = edit(pj)
	}
	p, err := verify.ParsePolicy(pj)
	if err != nil {
		t.Fatal(err)
	}
	keys, err := verify.ReadKeyring(bytes.NewReader(kj))
	if err != nil {
		t.Fatal(err)
	}
	tm, err := verify.LoadTrustedRoot(rj)
	if err != nil {
		t.Fatal(err)
	}
	v, err := verify.NewVerifier(p, keys, tm)
	if err != nil {
		t.Fatal(err)
	}
	return fixtureTrust{v: v, policy: p, digest: v.Fingerprint()}
}

// copyMirror copies the fixture mirror into a new directory.
func copyMirror(t testing.TB) string {
	t.Helper()
	src := filepath.Join("..", "fixtures", "site", "ftp", "python")
	dst := t.TempDir()
	err := fixtures.CopyTree(dst, src)
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// withPolicy returns the fixture trust with old replaced by new in the
// policy file.
func (ft fixtureTrust) withPolicy(t testing.TB, old, new string) fixtureTrust {
	t.Helper()
	return newFixtureTrust(t, func(pj []byte) []byte { return bytes.ReplaceAll(pj, []byte(old), []byte(new)) })
}

// mustRunFull audits without a state.
func mustRunFull(t testing.TB, opt Options) *Report {
	t.Helper()
	rep, _ := mustRun(t, opt)
	return rep
}

func (ft fixtureTrust) options(root string) Options {
	return Options{Source: Dir(root), Root: "mirror", Verifier: ft.v, Jobs: 2}
}

func mustRun(t testing.TB, opt Options) (*Report, Stats) {
	t.Helper()
	rep, st, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep, st
}

// problems lists a report's problems as "kind path", sorted.
func problems(rep *Report) []string {
	var out []string
	for _, e := range rep.Entries {
		for _, p := range e.Problems {
			out = append(out, string(p.Kind)+" "+p.Path)
		}
	}
	slices.Sort(out)
	return out
}

func reportJSON(t testing.TB, rep *Report) string {
	t.Helper()
	data, err := json.MarshalIndent(rep, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func flipByte(t testing.TB, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data[len(data)/2] ^= 1
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func wantProblems(t testing.TB, rep *Report, want ...string) {
	t.Helper()
	slices.Sort(want)
	if got := problems(rep); !slices.Equal(got, want) {
		t.Errorf("problems:\n  got  %s\n  want %s", strings.Join(got, "\n       "), strings.Join(want, "\n       "))
	}
}

// otherTrust is the fixture trust with a signer added that signs nothing:
// the verdicts are the same, the trust material is not.
func (ft fixtureTrust) otherTrust(t testing.TB) fixtureTrust {
	t.Helper()
	return newFixtureTrust(t, func(pj []byte) []byte {
		return bytes.Replace(pj, []byte(`"signers": {`), []byte(`"signers": {
    "unused": {"name": "Unused", "email": "unused@fixtures.test", "sigstore_identity": "unused@fixtures.test", "sigstore_issuer": "https://issuer.fixtures.test"},`), 1)
	})
}
