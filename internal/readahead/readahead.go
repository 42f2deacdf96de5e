// Package readahead tells the operating system how a file will be read, so
// that it can read ahead of the reader.
package readahead

import "os"

// Sequential declares that f will be read once, from start to end, as
// checking a downloaded file does: on Linux the kernel then reads further
// ahead (posix_fadvise POSIX_FADV_SEQUENTIAL). It is advice only: it does
// nothing where the system has no such advice, and its failure is ignored.
func Sequential(f *os.File) { sequential(f) }
