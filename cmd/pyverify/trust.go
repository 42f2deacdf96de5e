package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/pyverify/pyverify/internal/safefs"
	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/verify"
)

// trustFlags are the flags that replace the embedded trust material.
type trustFlags struct {
	policy, keyring, trustedRoot string
	require                      listFlag
}

func (t *trustFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.policy, "policy", "", "")
	fs.StringVar(&t.keyring, "keyring", "", "")
	fs.StringVar(&t.trustedRoot, "trusted-root", "", "")
	fs.Var(&t.require, "require", "")
}

// maxTrustFile caps the size of a policy, keyring or trusted root file.
const maxTrustFile = 16 << 20

func readTrustFile(flagName, path string) ([]byte, error) {
	data, err := readCapped(path, maxTrustFile)
	if err != nil {
		return nil, inputError(withHint(err, "%s", trustHints[flagName]))
	}
	return data, nil
}

// trustHints says what each trust flag wants.
var trustHints = map[string]string{
	"policy":       "--policy wants a pyverify.policy/v1 JSON file; 'pyverify policy --json' prints the built-in one",
	"keyring":      "--keyring wants the release managers' OpenPGP public keys, armored (gpg --export --armor)",
	"trusted-root": "--trusted-root wants a Sigstore trusted_root.json, as Sigstore's TUF repository publishes it",
}

// badTrustFile reports trust material that does not parse (exit 2), with
// the file first and what the flag wants as the hint.
func badTrustFile(flagName, path string, err error) error {
	return inputError(withHint(fmt.Errorf("%s: %w", sanitize(path), err), "%s", trustHints[flagName]))
}

// readCapped reads a whole local file of at most limit bytes. Its errors
// are *fileError: "cannot read PATH: no such file".
func readCapped(path string, limit int64) ([]byte, error) {
	f, err := safefs.Open(path) // a named pipe or a device is refused at once
	if err != nil {
		return nil, &fileError{"read", path, err}
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, &fileError{"read", path, err}
	}
	if int64(len(data)) > limit {
		return nil, &fileError{"read", path, &errTooBig{limit}}
	}
	return data, nil
}

// loadPolicy returns the policy named by --policy, or the embedded one.
func (t *trustFlags) loadPolicy() (*verify.Policy, error) {
	if t.policy == "" {
		return verify.DefaultPolicy(), nil
	}
	data, err := readTrustFile("policy", t.policy)
	if err != nil {
		return nil, err
	}
	p, err := verify.ParsePolicy(data)
	if err != nil {
		return nil, badTrustFile("policy", t.policy, err)
	}
	return p, nil
}

// verifier builds the verifier from the embedded trust material and the
// flags that replace parts of it. Bad trust material is an input error.
func (t *trustFlags) verifier(cmd string) (*verify.Verifier, error) {
	p, err := t.loadPolicy()
	if err != nil {
		return nil, err
	}
	keys := verify.DefaultKeyring()
	if t.keyring != "" {
		data, err := readTrustFile("keyring", t.keyring)
		if err != nil {
			return nil, err
		}
		if keys, err = verify.ReadKeyring(bytes.NewReader(data)); err != nil {
			return nil, badTrustFile("keyring", t.keyring, err)
		}
	}
	rootJSON := verify.DefaultTrustedRoot()
	if t.trustedRoot != "" {
		if rootJSON, err = readTrustFile("trusted-root", t.trustedRoot); err != nil {
			return nil, err
		}
	}
	tm, err := verify.LoadTrustedRoot(rootJSON)
	if err != nil {
		if t.trustedRoot == "" {
			return nil, fmt.Errorf("embedded trusted root: %w", err)
		}
		return nil, badTrustFile("trusted-root", t.trustedRoot, err)
	}
	var opts []verify.Option
	if len(t.require) > 0 {
		var kinds []verify.Kind
		for _, k := range t.require {
			switch verify.Kind(k) {
			case verify.KindOpenPGP, verify.KindSigstore:
				kinds = append(kinds, verify.Kind(k))
			default:
				return nil, usagef(cmd, "--require: unknown signature kind %s (want openpgp or sigstore)", safetext.Quote(k))
			}
		}
		opts = append(opts, verify.WithRequire(kinds...))
	}
	v, err := verify.NewVerifier(p, keys, tm, opts...)
	if err != nil {
		// The policy and the keys do not fit: name the file the user gave.
		var cause error = err
		if te := (*verify.TrustError)(nil); errors.As(err, &te) {
			cause = te.Err
		}
		switch {
		case t.keyring != "":
			return nil, badTrustFile("keyring", t.keyring, cause)
		case t.policy != "":
			return nil, badTrustFile("policy", t.policy, cause)
		}
		return nil, inputError(err)
	}
	return v, nil
}
