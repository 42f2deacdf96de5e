package binding

import (
	"archive/tar"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/ulikunitz/xz/lzma"
)

// Limits on what a Head keeps of a stream. A real CPython tarball's first
// tar header comes out of its first few kilobytes; bzip2 needs its whole
// first block (at most 900 kB of input, a little more when incompressible).
const (
	tarGzipLimit  = 1 << 20
	tarXZLimit    = 1 << 20
	tarBzip2Limit = 2 << 20
	// indexLimit caps an install manager index: python.org's are a few kB.
	indexLimit = 4 << 20
	// tarOutLimit caps the decompressed bytes read to find the first
	// header (pax and GNU long-name records included).
	tarOutLimit = 1 << 20
	// xzDictCap is the LZMA2 dictionary the head decoder allocates: the
	// first header is in the first bytes of output, so no match can reach
	// further back, whatever dictionary size the stream declares.
	xzDictCap = 1 << 20
	// firstTry is the buffered size at which decoding is first tried;
	// each later try waits for twice as much.
	firstTry = 8 << 10
)

// errNeedMore means the head decoded so far is cut short.
var errNeedMore = errors.New("need more input")

// A Head reads the marker of one artifact from the head of its byte
// stream. Write the artifact's bytes to it in order (it never fails and
// consumes everything given), then call Marker. It keeps at most a
// format-dependent limit of bytes (1 MiB for a gzip or xz tarball) and
// stops decoding once it has the marker. A Head is not safe for concurrent
// use.
type Head struct {
	format Format
	limit  int
	buf    []byte
	next   int
	done   bool
	ended  bool
	m      Marker
	zip    zipWalker
	tail   zipTail // a zip's end, where its central directory is
}

// NewHead returns a Head reading the marker of format f. A Head of format
// None consumes the bytes and finds nothing.
func NewHead(f Format) *Head {
	h := &Head{format: f, next: firstTry}
	switch f {
	case TarGzip:
		h.limit = tarGzipLimit
	case TarXZ:
		h.limit = tarXZLimit
	case TarBzip2:
		h.limit = tarBzip2Limit
	case WindowsIndex:
		h.limit = indexLimit
	case Zip:
		h.zip.series = map[string]string{}
	default:
		h.done = true
	}
	h.m.Format = f
	return h
}

// Write feeds the next bytes of the artifact. It always returns len(p),
// nil.
func (h *Head) Write(p []byte) (int, error) {
	n := len(p)
	if h.done {
		return n, nil
	}
	if h.format == Zip {
		if !h.zip.stopped {
			h.zip.feed(p)
		}
		if h.zip.err != nil {
			h.finishZip() // not a zip: nothing more to learn
			return n, nil
		}
		h.tail.write(p)
		return n, nil
	}
	room := min(h.limit-len(h.buf), len(p))
	h.buf = append(h.buf, p[:room]...)
	full := len(h.buf) >= h.limit
	if h.format != WindowsIndex && (len(h.buf) >= h.next || full) {
		h.try(full)
		h.next *= 2
	}
	if !h.done && full && h.format == WindowsIndex {
		h.m.Err = fmt.Errorf("larger than %d bytes: not an install manager index", indexLimit)
		h.finish()
	}
	return n, nil
}

// Done reports whether the Head has decided and ignores further bytes.
func (h *Head) Done() bool { return h.done }

// Marker ends the stream and returns what the content says. After the
// first call, it returns the same Marker.
func (h *Head) Marker() Marker {
	if h.ended {
		return h.m
	}
	h.ended = true
	if h.done {
		return h.m
	}
	switch h.format {
	case Zip:
		h.finishZip()
	case WindowsIndex:
		h.m = readIndex(h.buf)
		h.finish()
	default:
		h.try(true)
	}
	return h.m
}

func (h *Head) finish() {
	h.done = true
	h.buf = nil
}

// try decodes the buffered head. final means no more bytes will come
// (the stream ended or the limit was reached).
func (h *Head) try(final bool) {
	m, err := decodeTar(h.format, h.buf)
	if errors.Is(err, errNeedMore) && !final {
		return
	}
	if errors.Is(err, errNeedMore) {
		if len(h.buf) >= h.limit {
			err = fmt.Errorf("no tar header in the first %d bytes", h.limit)
		} else {
			err = errors.New("the archive ends before its first tar header")
		}
	}
	m.Err = err
	h.m = m
	h.finish()
}

// decodeTar reads the top folder of a compressed tar archive from its
// head. It returns errNeedMore when head is cut short.
func decodeTar(f Format, head []byte) (Marker, error) {
	m := Marker{Format: f}
	var r io.Reader
	var err error
	switch f {
	case TarGzip:
		var zr *gzip.Reader
		zr, err = gzip.NewReader(bytes.NewReader(head))
		if errors.Is(err, gzip.ErrHeader) || errors.Is(err, gzip.ErrChecksum) {
			return m, err // "gzip: invalid header": it names the format
		}
		if err != nil {
			return m, classify("gzip", err)
		}
		r = zr
	case TarBzip2:
		if !bytes.HasPrefix(head, []byte("BZh")) && len(head) >= 3 {
			return m, errors.New("bzip2: not a bzip2 stream")
		}
		r = bzip2.NewReader(bytes.NewReader(head))
	case TarXZ:
		r, err = xzHead(head)
		if err != nil {
			return m, classify("xz", err)
		}
	default:
		return m, fmt.Errorf("%s: not a tar format", f)
	}
	top, err := tarTop(io.LimitReader(r, tarOutLimit))
	if err != nil {
		return m, classify(string(f), err)
	}
	m.Found = top + "/"
	m.Version = SourceFolderVersion(top)
	return m, nil
}

// classify maps a decoder's error: a stream cut short is errNeedMore.
func classify(what string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, errNeedMore) {
		return errNeedMore
	}
	return fmt.Errorf("%s: %w", what, err)
}

// tarTop returns the top folder of the first entry of the tar stream r:
// "Python-3.13.5" for "Python-3.13.5/" or "./Python-3.13.5/README.rst".
// Global pax headers and a leading "./" entry are passed over.
func tarTop(r io.Reader) (string, error) {
	tr := tar.NewReader(r)
	for range 4 {
		hdr, err := tr.Next()
		if err != nil {
			return "", err
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		name := strings.TrimLeft(hdr.Name, "/")
		for strings.HasPrefix(name, "./") {
			name = strings.TrimLeft(name[2:], "/")
		}
		if name == "" || name == "." {
			continue
		}
		top, _, _ := strings.Cut(path.Clean(name), "/")
		if len(top) > 255 {
			top = top[:255]
		}
		return top, nil
	}
	return "", errors.New("tar: no named entry among the first headers")
}

// xzHead returns a reader of the LZMA2 data of the first block of the xz
// stream whose head is head. Only the single-filter LZMA2 blocks xz(1)
// writes by default are read; the dictionary is capped at xzDictCap.
func xzHead(head []byte) (io.Reader, error) {
	if len(head) < 12 {
		if !bytes.HasPrefix([]byte("\xfd7zXZ\x00"), head[:min(len(head), 6)]) {
			return nil, errors.New("not an xz stream")
		}
		return nil, errNeedMore
	}
	if !bytes.Equal(head[:6], []byte("\xfd7zXZ\x00")) {
		return nil, errors.New("not an xz stream")
	}
	if head[6] != 0 || head[7] > 0x0f || binary.LittleEndian.Uint32(head[8:12]) != crc32.ChecksumIEEE(head[6:8]) {
		return nil, errors.New("bad stream header")
	}
	rest := head[12:]
	if len(rest) < 1 {
		return nil, errNeedMore
	}
	if rest[0] == 0 {
		return nil, errors.New("the stream has no block")
	}
	hsize := (int(rest[0]) + 1) * 4
	if len(rest) < hsize {
		return nil, errNeedMore
	}
	bh := rest[:hsize]
	if binary.LittleEndian.Uint32(bh[hsize-4:]) != crc32.ChecksumIEEE(bh[:hsize-4]) {
		return nil, errors.New("bad block header")
	}
	flags := bh[1]
	if flags&0x3c != 0 {
		return nil, errors.New("bad block header flags")
	}
	if flags&0x03 != 0 {
		return nil, errors.New("the first block has more than one filter (only plain LZMA2 is read)")
	}
	p := bh[2 : hsize-4]
	for _, present := range []bool{flags&0x40 != 0, flags&0x80 != 0} {
		if present {
			_, n := binary.Uvarint(p)
			if n <= 0 {
				return nil, errors.New("bad block header sizes")
			}
			p = p[n:]
		}
	}
	id, n := binary.Uvarint(p)
	if n <= 0 {
		return nil, errors.New("bad filter flags")
	}
	p = p[n:]
	if id != 0x21 {
		return nil, fmt.Errorf("filter %#x is not LZMA2", id)
	}
	psize, n := binary.Uvarint(p)
	if n <= 0 || psize != 1 || len(p) < n+1 {
		return nil, errors.New("bad LZMA2 filter properties")
	}
	if p[n] > 40 {
		return nil, errors.New("bad LZMA2 dictionary size")
	}
	return lzma.Reader2Config{DictCap: xzDictCap}.NewReader2(bytes.NewReader(rest[hsize:]))
}

// readIndex reads an install manager index: every package it lists must
// have the same "sort-version", which is the release it names.
func readIndex(data []byte) Marker {
	m := Marker{Format: WindowsIndex}
	var doc struct {
		Versions []struct {
			SortVersion string `json:"sort-version"`
		} `json:"versions"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			// JSON of another shape than the index pyverify knows: it
			// says nothing either way.
			return m
		}
		m.Err = fmt.Errorf("not an install manager index: %v", jsonError(err))
		return m
	}
	var seen []string
	for _, e := range doc.Versions {
		if e.SortVersion != "" && !slices.Contains(seen, e.SortVersion) {
			seen = append(seen, e.SortVersion)
		}
	}
	switch len(seen) {
	case 0:
		return m
	case 1:
		m.Found = "sort-version " + seen[0]
		if plausibleVersion(seen[0]) {
			m.Version = seen[0]
		} else {
			m.Err = fmt.Errorf("its sort-version %q is not a release version", cut(seen[0]))
		}
	default:
		for i := range seen {
			seen[i] = cut(seen[i])
		}
		m.Found = "sort-versions " + strings.Join(seen[:min(len(seen), 4)], ", ")
		m.Err = fmt.Errorf("it lists packages of %d releases (%s)", len(seen), strings.Join(seen[:min(len(seen), 4)], ", "))
	}
	return m
}

// jsonError shortens a JSON syntax error.
func jsonError(err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	}
	return "unexpected JSON structure"
}

// cut limits untrusted text kept in a Marker.
func cut(s string) string {
	if len(s) > 64 {
		return s[:64]
	}
	return s
}

// finishZip turns what the zip walker saw into the Marker.
func (h *Head) finishZip() {
	z := &h.zip
	m := Marker{Format: Zip}
	if z.err == nil {
		// The central directory is what extractors unpack: its names
		// count, with those the local headers gave (a member's sizes in a
		// data descriptor, as streaming writers put them, stop the walk
		// of the local headers).
		names, err := centralNames(h.tail.bytes(), h.tail.total)
		if err != nil {
			z.err = err
		}
		for _, n := range names {
			z.note(n)
		}
	}
	h.tail = zipTail{}
	switch {
	case z.err != nil:
		m.Err = z.err
	case len(z.order) == 1:
		m.Version, m.Series, m.Found = z.order[0], true, z.series[z.order[0]]
	case len(z.order) > 1:
		var names []string
		for _, s := range z.order {
			names = append(names, z.series[s])
		}
		m.Found = strings.Join(names, ", ")
		m.Err = fmt.Errorf("it holds the DLLs of %d series (%s)", len(z.order), m.Found)
	}
	h.m = m
	h.finish()
}
