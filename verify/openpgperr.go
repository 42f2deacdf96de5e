package verify

import (
	"strconv"

	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
)

// pgpText words an error of go-crypto's for a report line whose check is
// already named "openpgp": what go-crypto says, read from its error types
// and sentinels, without the "openpgp: " its messages begin with. An error
// that wraps one (and so has its own subject) is worded as it is.
func pgpText(err error) string {
	switch e := err.(type) {
	case pgperrors.SignatureError:
		return "invalid signature: " + string(e)
	case pgperrors.WeakAlgorithmError:
		return "weak algorithms are rejected: " + string(e)
	case pgperrors.StructuralError:
		return "invalid data: " + string(e)
	case pgperrors.UnsupportedError:
		return "unsupported feature: " + string(e)
	case pgperrors.InvalidArgumentError:
		return "invalid argument: " + string(e)
	case pgperrors.KeyInvalidError:
		return "invalid key: " + string(e)
	case pgperrors.UnknownPacketTypeError:
		return "unknown packet type: " + strconv.Itoa(int(e))
	case pgperrors.CriticalUnknownPacketTypeError:
		return "unknown critical packet type: " + strconv.Itoa(int(e))
	}
	switch err {
	case pgperrors.ErrSignatureExpired:
		return "signature expired"
	case pgperrors.ErrSignatureOlderThanKey:
		return "signature is older than the key"
	case pgperrors.ErrKeyExpired:
		return "key expired"
	case pgperrors.ErrKeyIncorrect:
		return "incorrect key"
	case pgperrors.ErrUnknownIssuer:
		return "signature made by unknown entity"
	case pgperrors.ErrKeyRevoked:
		return "signature made by revoked key"
	}
	return err.Error()
}
