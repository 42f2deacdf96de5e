package verify

// Failures that the libraries word in their own terms are worded here for
// the people who read the report (issue 17): a bundle from another Sigstore
// instance, a .asc that holds something other than signatures, a trusted
// root that is not JSON.

import (
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/ProtonMail/go-crypto/openpgp/packet"
	"github.com/sigstore/sigstore-go/pkg/bundle"
)

// errNoLogEntry words sigstore-go's "not enough verified log entries from
// transparency log: 0 < 1": when none of the bundle's log entries is from
// a log the trusted root holds, the bundle comes from another Sigstore
// instance (or the trusted root is not Sigstore's).
func (c *sigstoreChecker) errNoLogEntry(b *bundle.Bundle, err error) error {
	if err == nil || !strings.Contains(err.Error(), "not enough verified log entries") {
		return err
	}
	entries, eerr := b.TlogEntries()
	if eerr != nil || len(entries) == 0 {
		return sigstoreStage("transparency log", errors.New("the bundle holds no transparency log entry"))
	}
	logs := c.tm.RekorLogs()
	var unknown []string
	for _, e := range entries {
		id := hex.EncodeToString([]byte(e.LogKeyID()))
		if _, ok := logs[id]; !ok {
			unknown = append(unknown, id)
		}
	}
	if len(unknown) == len(entries) {
		return sigstoreStage("transparency log", fmt.Errorf(
			"the bundle was logged in a transparency log the trusted root does not hold (log ID %s): a bundle of another Sigstore instance, or a trusted root that is not the one python.org signs with",
			short(unknown[0])))
	}
	return sigstoreStage("transparency log", errors.New("no entry of the bundle verified against the trusted root's transparency log (its signed entry timestamp or inclusion proof is not valid)"))
}

func short(hexID string) string {
	if len(hexID) > 16 {
		return hexID[:16] + "…"
	}
	return hexID
}

// packetKind names an OpenPGP packet that has no place in a detached
// signature.
func packetKind(p packet.Packet) string {
	switch p.(type) {
	case *packet.Compressed:
		return "compressed data (a message)"
	case *packet.LiteralData:
		return "literal data (a message)"
	case *packet.OnePassSignature:
		return "a one-pass signature (a signed message)"
	case *packet.PublicKey, *packet.PrivateKey:
		return "a key"
	case *packet.UserId:
		return "a user ID (a key)"
	case *packet.EncryptedKey, *packet.SymmetricallyEncrypted, *packet.AEADEncrypted, *packet.SymmetricKeyEncrypted:
		return "encrypted data"
	}
	return "a packet that is not a signature"
}

// protoSyntaxRE matches protojson's syntax errors.
var protoSyntaxRE = regexp.MustCompile(`^proto: (?:\(line (\d+):(\d+)\): |syntax error \(line (\d+):(\d+)\): )(.*)$`)

// trustedRootText words what is wrong with trusted root data that
// sigstore-go could not read: "not JSON" for a file that is not even
// JSON, else protojson's message with its position in plain words.
func trustedRootText(data []byte, msg string) string {
	if t := strings.TrimSpace(string(data)); t == "" || t[0] != '{' {
		return "not JSON: a trusted_root.json is a JSON object"
	}
	if m := protoSyntaxRE.FindStringSubmatch(msg); m != nil {
		line, col := m[1]+m[3], m[2]+m[4]
		return fmt.Sprintf("invalid JSON at line %s, column %s: %s", line, col, m[5])
	}
	return msg
}
