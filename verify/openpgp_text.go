package verify

// Text-mode signatures (gpg --textmode, signature type 0x01) sign a file's
// text with canonical line endings, not its bytes. GnuPG canonicalizes
// each line that ends with LF by removing the CRs at its end and ending it
// with CRLF, and removes the CRs at the end of a last line without LF. (It
// removes NUL bytes there too: its trimming looks the character up with
// strchr, which finds the string's own terminating NUL.)
// go-crypto's canonicalization differs from GnuPG's on a line that ends
// with more than one CR, which any binary file of some size holds, so a
// genuine text-mode signature of a tarball failed as "BAD signature". The
// check therefore hashes the bytes canonicalized as GnuPG does.
//
// Such a signature does not cover the bytes: every run of CRs and NULs
// before a line end (or at the end) can be added, removed or swapped (a
// NUL for a CR) without changing the canonical text. gpg and gpgv accept
// it all the same (GOODSIG). pyverify accepts a text-mode signature only
// of a text file (textFileName), noting that it covers the text and not
// these exact bytes; of a binary file (a tarball, an installer, a zip) it
// fails, naming the signer: the signature does not prove the bytes.

import (
	"fmt"
	"hash"
	"path"
	"strings"
	"time"
)

// textSignatureNote is the detail and warning of a good text-mode
// signature.
const textSignatureNote = "a text-mode signature (gpg --textmode): it covers the file's text with line endings canonicalized, not these exact bytes"

// textFileName reports whether name is a text file, whose text a
// text-mode signature may sign: JSON, plain text and markup. Every other
// file (source tarballs, installers, packages, zips, anything unknown) is
// binary.
func textFileName(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".json", ".txt", ".rst", ".md", ".html", ".htm", ".xml", ".csv":
		return true
	}
	return false
}

// A textOfBinaryError is a good text-mode signature of a binary file.
type textOfBinaryError struct {
	fpr  string
	made time.Time
}

func (e *textOfBinaryError) Error() string {
	return fmt.Sprintf("a text-mode signature (gpg --textmode) of a binary file, made %s by %s: it covers the file's text with line endings canonicalized, not its bytes, so bytes other than the signed ones pass it; a binary file needs a binary signature (gpg --detach-sign)",
		e.made.UTC().Format(time.DateOnly), e.fpr)
}

// gpgTextHash is a hash that reads the bytes written to it canonicalized
// as GnuPG's text mode does.
type gpgTextHash struct {
	hash.Hash
	g gpgText
}

func newGPGTextHash(h hash.Hash) hash.Hash { return &gpgTextHash{Hash: h} }

func (t *gpgTextHash) Write(p []byte) (int, error) {
	t.Hash.Write(t.g.canon(p))
	return len(p), nil
}

// gpgText canonicalizes a stream as GnuPG's text mode does.
type gpgText struct {
	held []byte // CRs and NULs held back: dropped before an LF and at the end
	buf  []byte
}

// canon returns p canonicalized, given what came before; the slice is
// valid until the next call.
func (g *gpgText) canon(p []byte) []byte {
	out := g.buf[:0]
	for _, b := range p {
		switch b {
		case '\r', 0:
			g.held = append(g.held, b)
		case '\n':
			g.held = g.held[:0]
			out = append(out, '\r', '\n')
		default:
			out = append(out, g.held...)
			g.held = g.held[:0]
			out = append(out, b)
		}
	}
	g.buf = out
	return out
}
