package audit

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// benchMirror builds a mirror of releases 3.12.0 … 3.12.<n-1>, each with
// the fixture's two source tarballs of 3.12.4 and their .asc and .sigstore,
// under their own names: every signature verifies, and the audit reports
// the files of 3.12.4 in the other release directories (it reads and
// checks every one all the same). Files are hard links where possible.
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
				to := filepath.Join(dir, fmt.Sprintf(art, "3.12.4")+suffix)
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
			if err != nil || st.Hashed != 300 || rep.Summary.Artifacts != 300 {
				b.Fatalf("audit: %v, %+v", err, st)
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
			if err != nil || rep.Summary.Artifacts != 300 {
				b.Fatalf("audit: %v, %+v", err, rep.Summary)
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

// rerunMirror builds a mirror of releases release directories 3.12.0 … 3.12.499, 3.13.0 …,
// each holding hard links to every file of the fixture's 3.12.4, under
// the same names (so every directory's artifacts have the same identity
// and context), and a state file that records all of them: the state of
// one cold run of 3.12.4, its records copied for every other directory.
// The records are those of a healthy mirror (no problem): a cold run of
// this one would find the files of 3.12.4 in the other directories, but a
// re-run reuses what the state says, which is what is measured.
func rerunMirror(b *testing.B, ft fixtureTrust, releases int) (root, state string) {
	b.Helper()
	src := filepath.Join("..", "fixtures", "site", "ftp", "python", "3.12.4")
	names, err := os.ReadDir(src)
	if err != nil {
		b.Fatal(err)
	}
	root = b.TempDir()
	for i := range releases {
		dir := filepath.Join(root, rerunDir(i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			b.Fatal(err)
		}
		for _, n := range names {
			if err := os.Link(filepath.Join(src, n.Name()), filepath.Join(dir, n.Name())); err != nil {
				b.Skipf("hard links: %v", err)
			}
		}
	}
	// One cold run of 3.12.4 alone, where its files belong: no problem.
	one := b.TempDir()
	if err := os.Mkdir(filepath.Join(one, "3.12.4"), 0o755); err != nil {
		b.Fatal(err)
	}
	for _, n := range names {
		if err := os.Link(filepath.Join(src, n.Name()), filepath.Join(one, "3.12.4", n.Name())); err != nil {
			b.Fatal(err)
		}
	}
	state = filepath.Join(b.TempDir(), "state")
	s, err := OpenState(state)
	if err != nil {
		b.Fatal(err)
	}
	opt := ft.options(one)
	opt.State = s
	if _, _, err := Run(context.Background(), opt); err != nil {
		b.Fatal(err)
	}
	if err := s.Commit(); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(state)
	if err != nil {
		b.Fatal(err)
	}
	hdr, recs, _ := bytes.Cut(data, []byte("\n"))
	var out bytes.Buffer
	out.Write(hdr)
	out.WriteByte('\n')
	for i := range releases {
		r := bytes.ReplaceAll(recs, []byte(`"3.12.4/`), []byte(`"`+rerunDir(i)+`/`))
		out.Write(bytes.ReplaceAll(r, []byte(`"release":"3.12.4"`), []byte(`"release":"`+rerunDir(i)+`"`)))
	}
	if err := os.WriteFile(state, out.Bytes(), 0o644); err != nil {
		b.Fatal(err)
	}
	return root, state
}

// rerunDir names rerunMirror's i-th release directory (patch levels stay
// under 500).
func rerunDir(i int) string { return fmt.Sprintf("3.%d.%d", 12+i/500, i%500) }

// BenchmarkAuditRerun re-audits a mirror whose state file says nothing
// changed, as `pyverify audit --state S --json` does (entries spooled,
// the report written): PYVERIFY_BENCH_AUDIT_RELEASES release directories
// (default 2,500) of 17 files and 5 artifacts each, so 12,500 artifacts in
// 42,500 files by default. Nothing is read but the state file.
func BenchmarkAuditRerun(b *testing.B) {
	releases := 2500
	if n, err := strconv.Atoi(os.Getenv("PYVERIFY_BENCH_AUDIT_RELEASES")); err == nil && n > 0 {
		releases = n
	}
	ft := loadFixtureTrust(b)
	root, state := rerunMirror(b, ft, releases)
	for b.Loop() {
		s, err := OpenState(state)
		if err != nil {
			b.Fatal(err)
		}
		sp := NewSpool(b.TempDir())
		opt := ft.options(root)
		opt.State = s
		opt.OnEntry = func(e Entry) {
			if err := sp.Add(e); err != nil {
				b.Fatal(err)
			}
		}
		opt.OnEntryJSON = func(path string, _ bool, raw []byte) {
			if err := sp.AddJSON(path, raw); err != nil {
				b.Fatal(err)
			}
		}
		rep, st, err := Run(context.Background(), opt)
		if err != nil || !rep.OK || st.Reused != 5*releases || st.Artifacts != 5*releases {
			b.Fatalf("re-run: %v, %+v", err, st)
		}
		if err := WriteJSON(io.Discard, rep, sp); err != nil {
			b.Fatal(err)
		}
		sp.Close()
		if err := s.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(5*releases), "artifacts/op")
}
