package verify

import (
	"fmt"
	"path/filepath"
)

// MaxSidecarSize is the most bytes a signature file (.asc, .sigstore) may
// have; python.org's are a few kilobytes. A larger one is not read: its
// Sidecar has TooLarge set, and its check fails.
const MaxSidecarSize = 1 << 20

// sidecarTooLarge is the Detail of a signature check whose file s (the
// artifact name's suffix file, or s.Path) is larger than MaxSidecarSize;
// what names the kind of signature.
func sidecarTooLarge(name, suffix, what string, s Sidecar) string {
	file := name + suffix
	if s.Path != "" {
		file = filepath.Base(s.Path)
	}
	return fmt.Sprintf("%s: larger than the %d bytes %s may have (not read)", escape(file), MaxSidecarSize, what)
}
