//go:build linux

package readahead

import (
	"os"

	"golang.org/x/sys/unix"
)

func sequential(f *os.File) {
	// Offset 0, length 0: the whole file.
	_ = unix.Fadvise(int(f.Fd()), 0, 0, unix.FADV_SEQUENTIAL)
}
