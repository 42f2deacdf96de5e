package release_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"

	"github.com/pyverify/pyverify/internal/fixtureserver"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/manifest/release"
	"github.com/pyverify/pyverify/verify"
)

// A packager verifies the tarball it downloaded earlier, with its .asc
// signature, against what python.org lists for the release: the release
// page and the JSON API, cross-checked.
func Example() {
	mirror, verifier := fixtures() // python.org and the trust pyverify embeds, in real use
	dir := "../../fixtures/site/ftp/python/3.12.4"

	fetch := release.HTTPFetcher(nil, mirror)
	rel, err := release.Load(context.Background(), fetch, manifest.MustParseVersion("3.12.4"), release.Both)
	if err != nil {
		log.Fatal(err)
	}
	a, _ := rel.Artifact("Python-3.12.4.tgz")
	t := rel.Target(a)
	t.Signature.Data, _ = os.ReadFile(filepath.Join(dir, a.Name+".asc"))
	rep, err := verifier.VerifyFile(filepath.Join(dir, a.Name), t, nil)

	fmt.Println(rep.OK, err)
	for _, c := range rep.Checks {
		fmt.Println(c.Kind, c.Status)
	}
	// Output:
	// true <nil>
	// size pass
	// md5 pass
	// sha256 missing
	// crosscheck pass
	// openpgp pass
	// sigstore missing
	// release pass
}

// fixtures serves the fixture site on loopback in place of python.org, and
// returns a verifier with the fixtures' trust material, which signed it.
func fixtures() (mirror string, v *verify.Verifier) {
	hs := httptest.NewServer(fixtureserver.New("../../fixtures/site"))
	read := func(name string) []byte {
		data, err := os.ReadFile(filepath.Join("../../fixtures/trust", name))
		if err != nil {
			log.Fatal(err)
		}
		return data
	}
	p, err := verify.ParsePolicy(read("policy.json"))
	if err != nil {
		log.Fatal(err)
	}
	keys, err := verify.ReadKeyring(bytes.NewReader(read("keyring.asc")))
	if err != nil {
		log.Fatal(err)
	}
	tm, err := verify.LoadTrustedRoot(read("trusted_root.json"))
	if err != nil {
		log.Fatal(err)
	}
	if v, err = verify.NewVerifier(p, keys, tm); err != nil {
		log.Fatal(err)
	}
	return hs.URL, v
}
