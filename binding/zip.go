package binding

import (
	"encoding/binary"
	"errors"
	"fmt"
	"strings"
)

// maxZipEntries caps the local headers a zipWalker reads.
const maxZipEntries = 1 << 16

// A zipWalker reads the local file headers of a zip stream as it goes by,
// skipping the members' data without decompressing it, and collects the
// series the names of CPython's DLL, standard library zip and ._pth file
// give (python312.dll → 3.12).
type zipWalker struct {
	hdr     []byte // the local header being read
	need    int    // bytes of hdr still wanted (30, then name and extra)
	skip    uint64 // member data still to pass over
	entries int
	stopped bool
	err     error
	// series maps a series to the first name that gave it; order keeps
	// the order they were seen in.
	series map[string]string
	order  []string
}

func (z *zipWalker) feed(p []byte) {
	for len(p) > 0 && !z.stopped {
		if z.skip > 0 {
			n := uint64(len(p))
			if n > z.skip {
				n = z.skip
			}
			z.skip -= n
			p = p[n:]
			continue
		}
		if z.need == 0 {
			z.need, z.hdr = 30, z.hdr[:0]
		}
		n := min(z.need, len(p))
		z.hdr = append(z.hdr, p[:n]...)
		z.need -= n
		p = p[n:]
		if z.need == 0 {
			z.header()
		}
	}
}

// header handles a complete fixed part, or a complete fixed part with its
// name and extra field.
func (z *zipWalker) header() {
	h := z.hdr
	if binary.LittleEndian.Uint32(h[:4]) != 0x04034b50 {
		// The central directory (or anything else) ends the members.
		if z.entries == 0 {
			z.err = errors.New("not a zip archive")
		}
		z.stopped = true
		return
	}
	nameLen := int(binary.LittleEndian.Uint16(h[26:28]))
	extraLen := int(binary.LittleEndian.Uint16(h[28:30]))
	if len(h) == 30 && nameLen+extraLen > 0 {
		z.need = nameLen + extraLen
		return
	}
	z.entries++
	name := string(h[30 : 30+nameLen])
	z.note(name)
	flags := binary.LittleEndian.Uint16(h[6:8])
	csize := uint64(binary.LittleEndian.Uint32(h[18:22]))
	if flags&0x08 != 0 || csize == 0xffffffff || z.entries >= maxZipEntries {
		// Sizes in a data descriptor after the data (or in a zip64
		// extra field): the stream cannot be walked further cheaply.
		z.stopped = true
		return
	}
	z.skip = csize
}

// note records the series a member name gives, if any.
func (z *zipWalker) note(name string) {
	s := seriesOfMember(name)
	if s == "" {
		return
	}
	if _, ok := z.series[s]; !ok {
		z.series[s] = cut(name)
		z.order = append(z.order, s)
	}
}

// seriesOfMember returns the series a CPython embeddable package member
// name gives: "python312.dll", "python312.zip" and "python312._pth" give
// "3.12"; anything else "".
func seriesOfMember(name string) string {
	n := strings.ToLower(name)
	var stem string
	for _, suf := range []string{".dll", ".zip", "._pth"} {
		if s, ok := strings.CutSuffix(n, suf); ok {
			stem = s
			break
		}
	}
	digits, ok := strings.CutPrefix(stem, "python")
	digits = strings.TrimSuffix(digits, "t") // free-threaded: python313t.dll
	if !ok || len(digits) < 2 || len(digits) > 4 {
		return ""
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return ""
		}
	}
	if digits[1] == '0' && len(digits) > 2 {
		return "" // python3 + "0…": no such series
	}
	return digits[:1] + "." + digits[1:]
}

// zipTailLimit caps the end of a zip stream a Head keeps to read its
// central directory: the end record (with a comment of up to 64 KiB) and
// a central directory of thousands of members. An embeddable package's is
// a few kilobytes.
const zipTailLimit = 1 << 20

// A zipTail keeps the last zipTailLimit bytes of a stream.
type zipTail struct {
	buf   []byte // a ring once full
	pos   int    // where the next byte goes once full
	total int64
}

func (t *zipTail) write(p []byte) {
	t.total += int64(len(p))
	if len(p) >= zipTailLimit {
		t.buf = append(t.buf[:0], p[len(p)-zipTailLimit:]...)
		t.pos = 0
		return
	}
	if room := zipTailLimit - len(t.buf); room > 0 {
		n := min(room, len(p))
		t.buf = append(t.buf, p[:n]...)
		p = p[n:]
	}
	for len(p) > 0 {
		n := copy(t.buf[t.pos:], p)
		p = p[n:]
		t.pos = (t.pos + n) % zipTailLimit
	}
}

// bytes returns the kept tail in order.
func (t *zipTail) bytes() []byte {
	if len(t.buf) < zipTailLimit || t.pos == 0 {
		return t.buf
	}
	out := make([]byte, 0, len(t.buf))
	return append(append(out, t.buf[t.pos:]...), t.buf[:t.pos]...)
}

// centralNames returns the member names the central directory at the end
// of a zip stream lists: what an extractor (Windows, Python's zipfile,
// 7-Zip) unpacks, whatever the local headers say. tail is the stream's
// last bytes, total its length.
func centralNames(tail []byte, total int64) ([]string, error) {
	const eocdLen = 22
	eocd := -1
	for i := len(tail) - eocdLen; i >= 0 && i >= len(tail)-eocdLen-0xffff; i-- {
		if binary.LittleEndian.Uint32(tail[i:]) == 0x06054b50 &&
			i+eocdLen+int(binary.LittleEndian.Uint16(tail[i+20:])) == len(tail) {
			eocd = i
			break
		}
	}
	if eocd < 0 {
		return nil, errors.New("not a zip archive: no end of central directory record")
	}
	e := tail[eocd:]
	if binary.LittleEndian.Uint16(e[4:]) != 0 || binary.LittleEndian.Uint16(e[6:]) != 0 {
		return nil, errors.New("a multi-disk zip archive")
	}
	count := uint64(binary.LittleEndian.Uint16(e[10:]))
	size := uint64(binary.LittleEndian.Uint32(e[12:]))
	off := uint64(binary.LittleEndian.Uint32(e[16:]))
	end := eocd // where the central directory must end
	if count == 0xffff || size == 0xffffffff || off == 0xffffffff {
		// Zip64: a locator just before the end record points to the
		// zip64 end record, which holds the real values.
		if eocd < 20 || binary.LittleEndian.Uint32(tail[eocd-20:]) != 0x07064b50 {
			return nil, errors.New("malformed zip64 end of central directory")
		}
		at := int64(binary.LittleEndian.Uint64(tail[eocd-12:])) - (total - int64(len(tail)))
		if at < 0 || at > int64(eocd-20-56) || binary.LittleEndian.Uint32(tail[at:]) != 0x06064b50 {
			return nil, errors.New("malformed zip64 end of central directory")
		}
		z := tail[at:]
		count, size, off = binary.LittleEndian.Uint64(z[32:]), binary.LittleEndian.Uint64(z[40:]), binary.LittleEndian.Uint64(z[48:])
		end = int(at)
	}
	endAbs := total - int64(len(tail)) + int64(end)
	if size > uint64(endAbs) || off != uint64(endAbs)-size {
		return nil, errors.New("malformed zip archive: the central directory is not where the end record says")
	}
	if size > uint64(end) {
		return nil, fmt.Errorf("its central directory is larger than %d bytes", zipTailLimit)
	}
	if count > maxZipEntries {
		return nil, fmt.Errorf("more than %d members", maxZipEntries)
	}
	cd := tail[end-int(size) : end]
	var names []string
	for range count {
		if len(cd) < 46 || binary.LittleEndian.Uint32(cd) != 0x02014b50 {
			return nil, errors.New("malformed zip central directory")
		}
		n := int(binary.LittleEndian.Uint16(cd[28:]))
		rest := 46 + n + int(binary.LittleEndian.Uint16(cd[30:])) + int(binary.LittleEndian.Uint16(cd[32:]))
		if len(cd) < rest {
			return nil, errors.New("malformed zip central directory")
		}
		names = append(names, string(cd[46:46+n]))
		cd = cd[rest:]
	}
	if len(cd) != 0 {
		return nil, errors.New("malformed zip central directory: it holds more than its entry count")
	}
	return names, nil
}
