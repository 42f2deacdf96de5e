package binding

import (
	"encoding/binary"
	"errors"
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
