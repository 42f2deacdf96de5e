package verify

import (
	"flag"
	"os"
	"testing"
)

// testChunkSize is the Hasher's chunk size in tests. The tests cross chunk
// boundaries (a byte short of a chunk, a chunk, a byte over, several
// chunks, a full queue) with inputs sized in chunks: with the real 1 MiB
// chunks they hashed hundreds of megabytes, byte by byte in places, which
// took minutes under the race detector. The boundaries are the same at
// 16 KiB. Benchmarks keep the real size.
const testChunkSize = 16 << 10

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		hashChunkSize = testChunkSize
	}
	os.Exit(m.Run())
}
