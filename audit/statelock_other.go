//go:build !unix && !windows

package audit

import (
	"errors"
	"os"
	"runtime"
)

// lockFile fails: without file locks, two audits could share a state file
// unnoticed, so --state is refused.
func lockFile(*os.File) error {
	return errors.New("state files need file locks, which pyverify does not support on " + runtime.GOOS)
}
