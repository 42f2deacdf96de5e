//go:build !unix && !windows

package filelock

import (
	"errors"
	"os"
	"runtime"
)

// tryLock fails: without file locks, two processes could share a file
// unnoticed, so what needs a lock is refused.
func tryLock(*os.File) error {
	return errors.New("file locks are not supported on " + runtime.GOOS)
}
