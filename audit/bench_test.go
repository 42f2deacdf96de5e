package audit

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// benchMirror builds a mirror of releases 3.12.0 … 3.12.<n-1>, each with
// the fixture's two source tarballs of 3.12.4 under the release's names and
// their .asc and .sigstore (signatures cover the bytes, not the name, so
// every artifact verifies). Files are hard links where possible.
func benchMirror(b *testing.B, releases int) (string, int64) {
	b.Helper()
	src := filepath.Join("..", "fixtures", "site", "ftp", "python", "3.12.4")
	root := b.TempDir()
	var total int64
	for i := range releases {
		v := fmt.Sprintf("3.12.%d", i)
		dir := filepath.Join(root, v)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for _, art := range []string{"Python-%s.tgz", "Python-%s.tar.xz"} {
			for _, suffix := range []string{"", ".asc", ".sigstore"} {
				from := filepath.Join(src, fmt.Sprintf(art, "3.12.4")+suffix)
				to := filepath.Join(dir, fmt.Sprintf(art, v)+suffix)
				if err := os.Link(from, to); err != nil {
					data, err := os.ReadFile(from)
					if err != nil {
						b.Fatal(err)
					}
					if err := os.WriteFile(to, data, 0o644); err != nil {
						b.Fatal(err)
					}
				}
				if suffix == "" {
					st, _ := os.Stat(to)
					total += st.Size()
				}
			}
		}
	}
	return root, total
}

// BenchmarkAudit audits 300 small artifacts (150 releases), cold (every
// file read and verified) and incremental (a state file says nothing
// changed: nothing is read).
func BenchmarkAudit(b *testing.B) {
	ft := loadFixtureTrust(b)
	root, size := benchMirror(b, 150)
	b.Run("cold", func(b *testing.B) {
		b.SetBytes(size)
		for b.Loop() {
			rep, st, err := Run(context.Background(), ft.options(root))
			if err != nil || !rep.OK || st.Hashed != 300 {
				b.Fatalf("audit: %v, ok %v, %+v", err, rep.OK, st)
			}
		}
		b.ReportMetric(300, "artifacts/op")
	})
	b.Run("incremental", func(b *testing.B) {
		state := filepath.Join(b.TempDir(), "state")
		audit := func() Stats {
			s, err := OpenState(state)
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			opt := ft.options(root)
			opt.State = s
			rep, st, err := Run(context.Background(), opt)
			if err != nil || !rep.OK {
				b.Fatalf("audit: %v, ok %v", err, rep.OK)
			}
			if err := s.Commit(); err != nil {
				b.Fatal(err)
			}
			return st
		}
		audit() // the cold run that fills the state
		for b.Loop() {
			if st := audit(); st.Hashed != 0 || st.Reused != 300 {
				b.Fatalf("incremental audit read files: %+v", st)
			}
		}
		b.ReportMetric(300, "artifacts/op")
	})
}
