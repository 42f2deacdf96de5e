package audit

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
)

// A Shard selects a deterministic slice of a mirror's release directories:
// shard I of N takes the directories whose name hashes (FNV-1a) to I-1
// modulo N. The slice a directory falls in depends on its name alone, so
// shards stay stable as releases are added.
type Shard struct {
	I, N int
}

// ParseShard parses "i/n" (1 ≤ i ≤ n ≤ 1000). The empty string is the
// whole mirror, the Shard {1, 1}.
func ParseShard(s string) (Shard, error) {
	if s == "" {
		return Shard{1, 1}, nil
	}
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(a)
	n, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || n < 1 || n > 1000 || i < 1 || i > n {
		return Shard{}, fmt.Errorf("shard %q: want i/n with 1 ≤ i ≤ n ≤ 1000, such as 1/3", s)
	}
	return Shard{i, n}, nil
}

// String returns "i/n", or "" for the whole mirror.
func (s Shard) String() string {
	if s.N <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

// Contains reports whether the top-level entry name belongs to the shard.
func (s Shard) Contains(name string) bool {
	if s.N <= 1 {
		return true
	}
	h := fnv.New32a()
	h.Write([]byte(name))
	return int(h.Sum32()%uint32(s.N)) == s.I-1
}
