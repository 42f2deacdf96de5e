package audit

import (
	"io/fs"
	"syscall"
)

// ctime returns the file's change time in nanoseconds, 0 if unknown.
func ctime(st fs.FileInfo) int64 {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ctim.Nano()
	}
	return 0
}
