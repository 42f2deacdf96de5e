package verify

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"

	pgperrors "github.com/ProtonMail/go-crypto/openpgp/errors"
	"github.com/ProtonMail/go-crypto/openpgp/packet"
)

// OpenPGP packet tags (RFC 9580, section 5) that a key block's index cares
// about.
const (
	tagSecretKey    = 5
	tagPublicKey    = 6
	tagSecretSubkey = 7
	tagPublicSubkey = 14
)

var errShortHeader = errors.New("truncated packet header")

// packetSpan returns the tag of the OpenPGP packet at the start of b and
// its whole length, header included, reading only its header. Partial body
// lengths, which only data packets may use, are refused.
func packetSpan(b []byte) (tag byte, n int, err error) {
	if len(b) == 0 {
		return 0, 0, errors.New("empty packet")
	}
	h := b[0]
	if h&0x80 == 0 {
		return 0, 0, fmt.Errorf("byte 0x%02x is not a packet header", h)
	}
	var hdr int
	var body uint64
	if h&0x40 == 0 { // old format: the length type is in the tag byte
		tag = (h & 0x3f) >> 2
		switch h & 3 {
		case 0:
			if len(b) < 2 {
				return 0, 0, errShortHeader
			}
			hdr, body = 2, uint64(b[1])
		case 1:
			if len(b) < 3 {
				return 0, 0, errShortHeader
			}
			hdr, body = 3, uint64(binary.BigEndian.Uint16(b[1:3]))
		case 2:
			if len(b) < 5 {
				return 0, 0, errShortHeader
			}
			hdr, body = 5, uint64(binary.BigEndian.Uint32(b[1:5]))
		default: // indeterminate: to the end of the data
			hdr, body = 1, uint64(len(b)-1)
		}
	} else {
		tag = h & 0x3f
		if len(b) < 2 {
			return 0, 0, errShortHeader
		}
		switch o := b[1]; {
		case o < 192:
			hdr, body = 2, uint64(o)
		case o < 224:
			if len(b) < 3 {
				return 0, 0, errShortHeader
			}
			hdr, body = 3, (uint64(o)-192)<<8+uint64(b[2])+192
		case o == 255:
			if len(b) < 6 {
				return 0, 0, errShortHeader
			}
			hdr, body = 6, uint64(binary.BigEndian.Uint32(b[2:6]))
		default:
			return 0, 0, fmt.Errorf("packet of type %d has a partial body length", tag)
		}
	}
	if body > uint64(len(b)-hdr) {
		return 0, 0, fmt.Errorf("packet of type %d is truncated", tag)
	}
	return tag, hdr + int(body), nil
}

// readKeyPacket parses one public key or subkey packet.
func readKeyPacket(b []byte) (pk *packet.PublicKey, err error) {
	defer func() {
		if r := recover(); r != nil {
			pk, err = nil, fmt.Errorf("malformed key packet (%v)", r)
		}
	}()
	p, err := packet.Read(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("malformed key packet: %w", err)
	}
	pk, ok := p.(*packet.PublicKey)
	if !ok {
		return nil, fmt.Errorf("a key packet read as %T", p)
	}
	return pk, nil
}

// indexKeyBlock splits a binary key block into its transferable public
// keys, each from its primary key packet up to the next one, and indexes
// them by fingerprint and key IDs. Only the key packets are parsed: the
// user IDs and signatures, most of a release manager's key, are left for
// when the key is used. Secret keys are refused.
func indexKeyBlock(body []byte) ([]*keyringEntry, error) {
	var keys []*keyringEntry
	var cur *keyringEntry
	start := 0
	for off := 0; off < len(body); {
		tag, n, err := packetSpan(body[off:])
		if err != nil {
			return nil, fmt.Errorf("at byte %d: %v", off, err)
		}
		pkt := body[off : off+n]
		switch tag {
		case tagPublicKey, tagPublicSubkey:
			if tag == tagPublicSubkey && cur == nil {
				return nil, errors.New("a subkey before any primary key")
			}
			pk, err := readKeyPacket(pkt)
			var unsupported pgperrors.UnsupportedError
			if errors.As(err, &unsupported) {
				// go-crypto skips a key (or subkey) of an algorithm
				// or form it does not support; so does the index.
				pk = nil
			} else if err != nil {
				return nil, fmt.Errorf("at byte %d: %v", off, err)
			}
			if tag == tagPublicSubkey {
				if pk != nil {
					cur.ids = append(cur.ids, pk.KeyId)
				}
				break
			}
			if cur != nil {
				cur.data = body[start:off:off]
			}
			cur = &keyringEntry{}
			if pk != nil {
				cur.fpr, cur.ids = fingerprintHex(pk), []uint64{pk.KeyId}
				keys = append(keys, cur)
			}
			start = off
		case tagSecretKey, tagSecretSubkey:
			return nil, errors.New("a secret key; a keyring holds public keys only")
		default:
			if cur == nil {
				return nil, fmt.Errorf("a packet of type %d before any primary key", tag)
			}
		}
		off += n
	}
	if cur == nil {
		return nil, errors.New("no public key")
	}
	cur.data = body[start:len(body):len(body)]
	if len(keys) == 0 {
		return nil, errors.New("no supported public key")
	}
	return keys, nil
}

// armorBody returns, in a new buffer, the base64 text of an armored block:
// text is what follows "-----BEGIN …-----" up to the END line. It skips the
// rest of the BEGIN line and the headers, up to the first empty line, then
// joins the lines, without their surrounding white space, up to the
// checksum line ("=XXXX").
func armorBody(text []byte) []byte {
	line := func(b []byte) (first, rest []byte) {
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			return b[:i], b[i+1:]
		}
		return b, nil
	}
	_, body := line(text) // the rest of the BEGIN line
	for len(body) > 0 {
		var l []byte
		l, body = line(body)
		if len(bytes.TrimSpace(l)) == 0 {
			break
		}
	}
	out := make([]byte, 0, len(body))
	for len(body) > 0 {
		var l []byte
		l, body = line(body)
		l = bytes.TrimSpace(l)
		if len(l) > 0 && l[0] == '=' {
			break
		}
		out = append(out, l...)
	}
	return out
}

// indexArmoredKeyring indexes the keys of a file of armored public key
// blocks without reading them, and without go-crypto's armor reader, which
// is slow (about 6 ms for the 800 KB built-in keyring). It is meant for the
// trust material built into pyverify only: TestEmbeddedKeyring checks that
// ReadKeyring, which validates every key, finds exactly the same keys in
// it. A key is still parsed in full, and fails closed, when a check uses it.
func indexArmoredKeyring(data []byte) ([]*keyringEntry, error) {
	const (
		begin = "-----BEGIN PGP PUBLIC KEY BLOCK-----"
		end   = "-----END PGP PUBLIC KEY BLOCK-----"
	)
	var keys []*keyringEntry
	rest := data
	for n := 1; ; n++ {
		i := bytes.Index(rest, []byte(begin))
		if i < 0 {
			break
		}
		rest = rest[i+len(begin):]
		j := bytes.Index(rest, []byte(end))
		if j < 0 {
			return nil, fmt.Errorf("block %d: no end line", n)
		}
		text := rest[:j]
		rest = rest[j+len(end):]
		b64 := armorBody(text)
		body := make([]byte, base64.StdEncoding.DecodedLen(len(b64)))
		m, err := base64.StdEncoding.Decode(body, b64)
		if err != nil {
			return nil, fmt.Errorf("block %d: %v", n, err)
		}
		ks, err := indexKeyBlock(body[:m])
		if err != nil {
			return nil, fmt.Errorf("block %d: %v", n, err)
		}
		keys = append(keys, ks...)
	}
	if len(keys) == 0 {
		return nil, errors.New("no armored public key block found")
	}
	return keys, nil
}
