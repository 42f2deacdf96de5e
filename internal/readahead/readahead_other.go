//go:build !linux

package readahead

import "os"

func sequential(*os.File) {}
