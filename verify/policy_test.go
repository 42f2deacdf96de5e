package verify

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/pyverify/pyverify/names"
	"github.com/sigstore/sigstore-go/pkg/root"
)

// reqString describes a lookup's outcome, pointers dereferenced.
func reqString(r Requirement, err error) string {
	s := fmt.Sprintf("%s %v %v %v %v %v ", r.Series, r.SigstoreSince, r.SigstoreExpected, r.OpenPGP, r.OpenPGPLegacy, r.SigstoreOnly)
	if r.Sigstore != nil {
		s += fmt.Sprintf("%+v", *r.Sigstore)
	}
	return s + fmt.Sprint(err)
}

func TestEmbeddedPolicyCoversEverySeries(t *testing.T) {
	p := DefaultPolicy()
	var want []string
	want = append(want, "2.7")
	for m := 2; m <= 17; m++ {
		want = append(want, fmt.Sprintf("3.%d", m))
	}
	if got := p.Series(); !slices.Equal(got, want) {
		t.Fatalf("series = %v, want %v", got, want)
	}
	if !p.SigstoreRequireSCT() {
		t.Error("embedded policy does not require SCTs")
	}
}

func TestEmbeddedPolicySigstoreIdentities(t *testing.T) {
	// python-org.md §4.
	want := map[string][2]string{
		"3.7":  {"nad@python.org", "https://github.com/login/oauth"},
		"3.8":  {"lukasz@langa.pl", "https://github.com/login/oauth"},
		"3.9":  {"lukasz@langa.pl", "https://github.com/login/oauth"},
		"3.10": {"pablogsal@python.org", "https://accounts.google.com"},
		"3.11": {"pablogsal@python.org", "https://accounts.google.com"},
		"3.12": {"thomas@python.org", "https://accounts.google.com"},
		"3.13": {"thomas@python.org", "https://accounts.google.com"},
		"3.14": {"hugo@python.org", "https://github.com/login/oauth"},
		"3.15": {"hugo@python.org", "https://github.com/login/oauth"},
		"3.16": {"savannah@python.org", "https://github.com/login/oauth"},
		"3.17": {"savannah@python.org", "https://github.com/login/oauth"},
	}
	since := map[string]string{"3.7": "3.7.14", "3.8": "3.8.14", "3.9": "3.9.14", "3.10": "3.10.7", "3.11": "3.11.0"}
	p := DefaultPolicy()
	for series, id := range want {
		v := names.MustParseVersion(series + ".0a1")
		if s, ok := since[series]; ok {
			v = names.MustParseVersion(s)
		}
		r, err := p.Lookup(v, names.ClassSource)
		if err != nil {
			t.Fatalf("%s: %v", v, err)
		}
		if r.Sigstore == nil || r.Sigstore.SigstoreIdentity != id[0] || r.Sigstore.SigstoreIssuer != id[1] || !r.SigstoreExpected {
			t.Errorf("%s: sigstore = %+v (expected %v), want %v, expected", v, r.Sigstore, r.SigstoreExpected, id)
		}
	}
	for series := range since {
		// Before the first signed release a bundle is not expected, but
		// one by the series' identity is still accepted.
		first := names.MustParseVersion(since[series])
		var prev names.Version
		if first.Patch > 0 {
			prev = names.MustParseVersion(fmt.Sprintf("%s.%d", series, first.Patch-1))
		} else {
			prev = names.MustParseVersion(series + ".0rc3")
		}
		r, err := p.Lookup(prev, names.ClassSource)
		if err != nil {
			t.Fatalf("%s: %v", prev, err)
		}
		if r.SigstoreExpected || r.Sigstore == nil || r.Sigstore.SigstoreIdentity != want[series][0] {
			t.Errorf("%s: sigstore = %+v, expected %v; want %s accepted, not expected before %s", prev, r.Sigstore, r.SigstoreExpected, want[series][0], first)
		}
	}
}

func TestPolicyLookup(t *testing.T) {
	p := DefaultPolicy()
	type want struct {
		sigstore string   // identity, "" for none
		expected bool     // a bundle is expected
		openpgp  []string // signer IDs
		only     bool
		legacy   bool
		gap      bool
	}
	tests := []struct {
		version string
		class   names.Class
		want    want
	}{
		{"3.14.0", names.ClassSource, want{sigstore: "hugo@python.org", expected: true, only: true}},
		{"3.14.0", names.ClassWindows, want{sigstore: "hugo@python.org", expected: true, only: true}},
		{"3.14.0", names.ClassAndroid, want{sigstore: "hugo@python.org", expected: true, only: true}},
		{"3.14.0a2", names.ClassWindowsManifest, want{sigstore: "hugo@python.org", expected: true, only: true}},
		{"3.16.0a1", names.ClassSource, want{sigstore: "savannah@python.org", expected: true, only: true}},
		{"3.11.0", names.ClassSource, want{sigstore: "pablogsal@python.org", expected: true, openpgp: []string{"pablo"}}},
		{"3.11.0rc2", names.ClassSource, want{sigstore: "pablogsal@python.org", openpgp: []string{"pablo"}}},
		{"3.10.6", names.ClassSource, want{sigstore: "pablogsal@python.org", openpgp: []string{"pablo"}}},
		{"3.10.7", names.ClassWindows, want{sigstore: "pablogsal@python.org", expected: true, openpgp: []string{"steve"}}},
		{"3.7.14", names.ClassSource, want{sigstore: "nad@python.org", expected: true, openpgp: []string{"ned"}}},
		{"3.7.13", names.ClassMacOS, want{sigstore: "nad@python.org", openpgp: []string{"ned"}}},
		{"3.12.0rc2", names.ClassMacOS, want{sigstore: "thomas@python.org", expected: true, openpgp: []string{"ned"}}},
		{"3.13.1", names.ClassSource, want{sigstore: "thomas@python.org", expected: true, openpgp: []string{"thomas"}}},
		{"3.12.0", names.ClassAndroid, want{sigstore: "thomas@python.org", expected: true}},
		{"2.7.18", names.ClassSource, want{openpgp: []string{"benjamin"}, legacy: true}},
		{"2.7.18", names.ClassWindows, want{openpgp: []string{"martin", "steve"}, legacy: true}},
		{"3.3", names.ClassSource, want{openpgp: []string{"georg"}, legacy: true}},
		{"3.6.15", names.ClassDocs, want{openpgp: []string{"steve"}}},
		{"3.99.0", names.ClassSource, want{gap: true}},
		{"3.1.5", names.ClassSource, want{gap: true}},
		{"3.10.6", names.ClassAndroid, want{sigstore: "pablogsal@python.org"}},
		{"3.6.0", names.ClassOther, want{gap: true}},
	}
	for _, tt := range tests {
		t.Run(tt.version+"/"+string(tt.class), func(t *testing.T) {
			r, err := p.Lookup(names.MustParseVersion(tt.version), tt.class)
			if tt.want.gap {
				if !errors.Is(err, ErrPolicyGap) {
					t.Fatalf("err = %v, want ErrPolicyGap", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			gotID := ""
			if r.Sigstore != nil {
				gotID = r.Sigstore.SigstoreIdentity
			}
			if gotID != tt.want.sigstore || r.SigstoreExpected != tt.want.expected {
				t.Errorf("sigstore = %q (expected %v), want %q (expected %v)", gotID, r.SigstoreExpected, tt.want.sigstore, tt.want.expected)
			}
			var ids []string
			for _, s := range r.OpenPGP {
				ids = append(ids, s.ID)
			}
			if !slices.Equal(ids, tt.want.openpgp) {
				t.Errorf("openpgp = %v, want %v", ids, tt.want.openpgp)
			}
			if r.SigstoreOnly != tt.want.only || r.OpenPGPLegacy != tt.want.legacy {
				t.Errorf("only, legacy = %v, %v; want %v, %v", r.SigstoreOnly, r.OpenPGPLegacy, tt.want.only, tt.want.legacy)
			}
		})
	}
}

func TestPolicyLookupGapMessages(t *testing.T) {
	p := DefaultPolicy()
	_, err := p.Lookup(names.MustParseVersion("3.99.0"), names.ClassSource)
	if got, want := err.Error(), "policy gap: series 3.99 is not in the policy"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	// Nothing expected for it: a gap unless a bundle by the series'
	// identity comes with the artifact (the verifier decides).
	r, err := p.Lookup(names.MustParseVersion("3.10.6"), names.ClassAndroid)
	if err != nil || r.noneExpected == nil {
		t.Fatalf("err = %v, noneExpected = %v", err, r.noneExpected)
	}
	if got, want := r.noneExpected.Error(), "policy gap: no OpenPGP signer is pinned for android files of 3.10, and 3.10.6 predates Sigstore signing (first: 3.10.7)"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if _, err := p.Lookup(names.Version{}, names.ClassSource); err == nil || errors.Is(err, ErrPolicyGap) {
		t.Errorf("zero version: err = %v, want a plain error", err)
	}
}

// minimalPolicy is a valid policy that the parse-error tests break.
const minimalPolicy = `{
  "schema": "pyverify.policy/v1",
  "signers": {
    "thomas": {"name": "Thomas Wouters", "email": "thomas@python.org",
               "openpgp": ["7169605f62c751356d054a26a821e680e5fa6305"],
               "sigstore_identity": "thomas@python.org", "sigstore_issuer": "https://accounts.google.com"}
  },
  "series": {
    "3.12": {"sigstore": "thomas", "openpgp": {"source": "thomas"}}
  }
}`

func TestParsePolicyMinimal(t *testing.T) {
	p, err := ParsePolicy([]byte(minimalPolicy))
	if err != nil {
		t.Fatal(err)
	}
	r, err := p.Lookup(names.MustParseVersion("3.12.0a1"), names.ClassSource)
	if err != nil {
		t.Fatal(err)
	}
	if r.Sigstore == nil || r.Sigstore.ID != "thomas" {
		t.Errorf("sigstore = %+v (absent sigstore_since means the whole series)", r.Sigstore)
	}
	if got := r.OpenPGPFingerprints(); !slices.Equal(got, []string{"7169605F62C751356D054A26A821E680E5FA6305"}) {
		t.Errorf("fingerprints = %v, want upper-case", got)
	}
	if !p.SigstoreRequireSCT() {
		t.Error("absent sigstore_require_sct must mean true")
	}
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown field", `"schema"`, `"extra": 1, "schema"`, `policy: unknown field "extra"`},
		{"unknown nested field", `"name": "Thomas Wouters"`, `"nme": "x", "name": "Thomas Wouters"`, `policy: unknown field "nme"`},
		{"bad schema", `pyverify.policy/v1`, `pyverify.policy/v2`, `policy: schema: want "pyverify.policy/v1", got "pyverify.policy/v2"`},
		{"short fingerprint", `7169605f62c751356d054a26a821e680e5fa6305`, `E5FA6305`,
			`policy: signers["thomas"].openpgp[0]: "E5FA6305" is not a full fingerprint (40 hex digits)`},
		{"non-hex fingerprint", `7169605f62c751356d054a26a821e680e5fa6305`, `7169605f62c751356d054a26a821e680e5fa630Z`,
			`policy: signers["thomas"].openpgp[0]: "7169605f62c751356d054a26a821e680e5fa630Z" is not a full fingerprint (40 hex digits)`},
		{"dangling sigstore signer", `"sigstore": "thomas"`, `"sigstore": "tomas"`, `policy: series["3.12"].sigstore: unknown signer "tomas"`},
		{"dangling openpgp signer", `{"source": "thomas"}`, `{"source": ["thomas", "steve"]}`, `policy: series["3.12"].openpgp["source"]: unknown signer "steve"`},
		{"unknown class", `{"source": "thomas"}`, `{"sauce": "thomas"}`, `policy: series["3.12"].openpgp["sauce"]: unknown artifact class`},
		{"sigstore_only with openpgp", `"openpgp": {"source": "thomas"}`, `"openpgp": {"source": "thomas"}, "sigstore_only": true`,
			`policy: series["3.12"].openpgp: a sigstore_only series must not list OpenPGP signers`},
		{"bad series key", `"3.12": {`, `"3.12.1": {`, `policy: series["3.12.1"]: series keys are MAJOR.MINOR, such as "3.12"`},
		{"bad since", `"sigstore": "thomas"`, `"sigstore": "thomas", "sigstore_since": "3.11.0"`,
			`policy: series["3.12"].sigstore_since: "3.11.0" is not a release of series 3.12`},
		{"issuer without identity", `"sigstore_identity": "thomas@python.org", `, ``,
			`policy: signers["thomas"]: sigstore_identity and sigstore_issuer must be set together`},
		{"http issuer", `https://accounts.google.com`, `http://accounts.google.com`,
			`policy: signers["thomas"].sigstore_issuer: "http://accounts.google.com" is not an https URL`},
		{"wrong type", `"openpgp": ["7169605f62c751356d054a26a821e680e5fa6305"]`, `"openpgp": "7169605f62c751356d054a26a821e680e5fa6305"`,
			`policy: signers.openpgp: cannot use a JSON string here`},
		{"trailing data", `}
}`, `}
}{}`, `policy: unexpected data after the JSON object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(minimalPolicy, tt.old, tt.new, 1)
			if in == minimalPolicy {
				t.Fatalf("replacement %q not found", tt.old)
			}
			_, err := ParsePolicy([]byte(in))
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tt.want {
				t.Errorf("err = %q\nwant  %q", err, tt.want)
			}
		})
	}
}

func TestParsePolicySigstoreSignerNeedsIdentity(t *testing.T) {
	in := `{"schema": "pyverify.policy/v1",
	  "signers": {"steve": {"name": "Steve Dower", "openpgp": ["7ED10B6531D7C8E1BC296021FC624643487034E5"]}},
	  "series": {"3.12": {"sigstore": "steve"}}}`
	_, err := ParsePolicy([]byte(in))
	if want := `policy: series["3.12"].sigstore: signer "steve" has no sigstore_identity and sigstore_issuer`; err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %q", err, want)
	}
}

func TestPolicyRoundTrip(t *testing.T) {
	p := DefaultPolicy()
	var b bytes.Buffer
	if _, err := p.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	q, err := ParsePolicy(b.Bytes())
	if err != nil {
		t.Fatalf("reparse: %v\n%s", err, b.String())
	}
	if !slices.Equal(p.Series(), q.Series()) {
		t.Errorf("series differ: %v vs %v", p.Series(), q.Series())
	}
	for _, s := range p.Series() {
		for _, c := range names.Classes {
			v := names.MustParseVersion(s + ".5")
			r1, e1 := p.Lookup(v, c)
			r2, e2 := q.Lookup(v, c)
			if reqString(r1, e1) != reqString(r2, e2) {
				t.Errorf("%s %s: %v %v vs %v %v", v, c, r1, e1, r2, e2)
			}
		}
	}
	// Series are written in version order.
	out := b.String()
	if i, j := strings.Index(out, `"3.9"`), strings.Index(out, `"3.10"`); i < 0 || j < 0 || i > j {
		t.Errorf("series not in version order:\n%s", out)
	}
}

func TestEmbeddedKeyringHoldsPinnedKeysAndNoDecoy(t *testing.T) {
	k := DefaultKeyring()
	for _, s := range DefaultPolicy().Signers() {
		for _, f := range s.OpenPGP {
			if !k.Has(f) {
				t.Errorf("keyring lacks %s (%s)", f, s.Name)
			}
		}
	}
	decoys := []string{
		"BA749AC731BE5A28A65446C02056FF2E487034E5", "7F54F95AC61EE1465CFE7A1FC2E8D739F73C700D",
		"FD01BA54AE5D9B9C468E65E3FABF4E7B6F5E1540", "41A239476ABD6CBA8FC8FCA90E93AA73AA65421D",
		"9EB49DC166F6400EF5DA53F579B457E4E6DF025C", "801BD5AE93D392E22DDC6C7AFEA3DC6DEA5BBD71",
		"2C7E264D238159CB07A3C350192720F7EA5BBD71", "B43A1F9EDE867FE48AD1D718236A434AA74B06BF",
		"764D27EE469504A35CA1069DFE59F813A74B06BF", "63F85C4A069F36E9ED412C82338DEDE5A4135B38",
	}
	for _, f := range decoys {
		if k.Has(f) {
			t.Errorf("keyring holds decoy %s", f)
		}
	}
	// Each key once: the copies python.org and Debian published are merged
	// (TestEmbeddedKeyringKeepsEverySelfSignature).
	seen := map[string]bool{}
	for _, e := range k.keys {
		if seen[e.fpr] {
			t.Errorf("key %s is in the keyring twice", e.fpr)
		}
		seen[e.fpr] = true
	}
	if _, err := NewVerifier(DefaultPolicy(), k, mustDefaultRoot(t)); err != nil {
		t.Errorf("NewVerifier with embedded material: %v", err)
	}
}

func mustDefaultRoot(t testing.TB) root.TrustedMaterial {
	t.Helper()
	tm, err := LoadTrustedRoot(DefaultTrustedRoot())
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(minimalPolicy))
	f.Add(defaultPolicyJSON())
	f.Add([]byte(`{"schema": "pyverify.policy/v1", "series": {"3.14": {"sigstore": "x", "sigstore_only": true}}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			return
		}
		// A policy that parses prints and reparses to the same lookups.
		raw, err := p.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		q, err := ParsePolicy(raw)
		if err != nil {
			t.Fatalf("reparse: %v\n%s", err, raw)
		}
		for _, s := range p.Series() {
			v := names.MustParseVersion(s + ".0")
			r1, e1 := p.Lookup(v, names.ClassSource)
			r2, e2 := q.Lookup(v, names.ClassSource)
			if reqString(r1, e1) != reqString(r2, e2) {
				t.Fatalf("lookup differs after reparse")
			}
		}
	})
}
