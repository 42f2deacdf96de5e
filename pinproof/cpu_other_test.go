//go:build !unix

package pinproof

import "time"

func cpuTime() time.Duration { return 0 }
