//go:build !linux

package safefs

import (
	"errors"
	"os"
)

// Clone makes dst a reflink of src where the file system offers it; here it
// never does.
func Clone(dst, src *os.File) error { return errors.ErrUnsupported }
