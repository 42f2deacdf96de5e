package verify

import (
	"errors"
	"fmt"
	"testing"

	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
)

// pgpText says what go-crypto says, less its "openpgp: ".
func TestPGPText(t *testing.T) {
	for _, err := range []error{
		pgperrors.SignatureError("RSA verification failure"), pgperrors.WeakAlgorithmError("SHA-1"),
		pgperrors.StructuralError("x"), pgperrors.UnsupportedError("hash function 1"),
		pgperrors.InvalidArgumentError("x"), pgperrors.KeyInvalidError("x"),
		pgperrors.UnknownPacketTypeError(99), pgperrors.CriticalUnknownPacketTypeError(98),
		pgperrors.ErrSignatureExpired, pgperrors.ErrSignatureOlderThanKey, pgperrors.ErrKeyExpired,
		pgperrors.ErrKeyIncorrect, pgperrors.ErrUnknownIssuer, pgperrors.ErrKeyRevoked,
	} {
		if got := "openpgp: " + pgpText(err); got != err.Error() {
			t.Errorf("pgpText(%#v) = %q, want %q less its prefix", err, pgpText(err), err.Error())
		}
	}
	wrapped := fmt.Errorf("key 0x1234: %w", pgperrors.ErrKeyExpired)
	if got := pgpText(wrapped); got != wrapped.Error() {
		t.Errorf("a wrapped error: %q", got)
	}
	if got := pgpText(errors.New("other")); got != "other" {
		t.Errorf("another error: %q", got)
	}
}
