package main

import (
	"os"
	"runtime/debug"
)

// checkHeapLimit is the memory the Go runtime may use in `pyverify check`
// before its garbage collector runs (see shortRunGC).
const checkHeapLimit = 48 << 20

// shortRunGC turns the garbage collector off for a command that checks a
// few files, until the process's memory reaches checkHeapLimit: its heap
// is small (the files are streamed), so collecting it costs more than it
// saves (a collection cycle is most of the runtime's work in a check of
// one bundle by digest; see BENCHMARKS.md), and beyond the limit the
// collector runs as usual. GOGC or GOMEMLIMIT in the environment leave the
// runtime's settings alone.
func shortRunGC() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(checkHeapLimit)
	debug.SetGCPercent(-1)
}
