package safefs

import (
	"os"

	"golang.org/x/sys/unix"
)

// Clone makes dst, an empty file, share src's blocks (a reflink, FICLONE)
// where the file system offers it: dst is then a copy of its own that costs
// no space until either is changed. It fails where the file system cannot.
func Clone(dst, src *os.File) error {
	return unix.IoctlFileClone(int(dst.Fd()), int(src.Fd()))
}
