package verify

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
)

// trust/keyring.asc is generated from the public copies of the keys in
// trust/keysrc (see trust/README.md); TestEmbeddedKeyringGenerated checks it.
//go:generate go test -run ^TestEmbeddedKeyringGenerated$ -update-keyring

// The trust material built into pyverify. See trust/README.md for where each
// file comes from and how to update it.
var (
	//go:embed trust/policy.json
	embeddedPolicy []byte
	//go:embed trust/keyring.asc
	embeddedKeyring []byte
	//go:embed trust/trusted_root.json
	embeddedTrustedRoot []byte
)

var (
	defaultPolicy = sync.OnceValue(func() *Policy {
		p, err := ParsePolicy(embeddedPolicy)
		if err != nil {
			// The embedded file is tested; reaching this is a build defect.
			panic(fmt.Sprintf("verify: embedded trust/policy.json: %v", err))
		}
		return p
	})
	// The built-in keyring is indexed, not parsed: a check parses only the
	// keys its series pins (see Keyring). TestEmbeddedKeyring checks that
	// ReadKeyring, which parses every key, reads the same keys.
	defaultKeyring = sync.OnceValue(func() Keyring {
		keys, err := indexArmoredKeyring(embeddedKeyring)
		if err != nil {
			panic(fmt.Sprintf("verify: embedded trust/keyring.asc: %v", err))
		}
		return Keyring{keys: keys}
	})
)

// DefaultPolicy returns the policy built into pyverify (trust/policy.json).
// The Policy is shared and must not be modified; it has no mutating methods.
func DefaultPolicy() *Policy { return defaultPolicy() }

// defaultPolicyJSON returns the bytes of the built-in policy file.
func defaultPolicyJSON() []byte { return bytes.Clone(embeddedPolicy) }

// DefaultKeyring returns the release managers' OpenPGP public keys built
// into pyverify (trust/keyring.asc). Which of them may sign what is decided
// by the policy alone. The keys are indexed by fingerprint and key ID, not
// parsed: a check parses only the key its signature names.
func DefaultKeyring() Keyring { return defaultKeyring() }

// DefaultTrustedRoot returns the Sigstore public-good trusted root built into
// pyverify (trust/trusted_root.json), for LoadTrustedRoot.
func DefaultTrustedRoot() []byte { return bytes.Clone(embeddedTrustedRoot) }
