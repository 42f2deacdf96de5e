package main

// The terminal output of 'pyverify audit'. It follows tui.go's rules (this
// file is part of the one place that owns output): the report (problem
// lines, --json, --jsonl) goes to standard output, the summary table, the
// work counts and the progress bar to standard error, and every path and
// detail, which come from the mirror, is sanitized.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/pyverify/pyverify/audit"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// printJSONLine writes v as one line of JSON on standard output (--jsonl).
func (u *ui) printJSONLine(v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = u.stdout.Write(append(data, '\n'))
	return err
}

// printAuditProblems writes one line per problem: kind, path, detail, and,
// unless --quiet, a line saying there were none (so that a quiet cron job
// prints nothing when all is well). The entries come from sp, in order of
// path, or from rep when sp is nil (a merged report). The columns are
// aligned as text/tabwriter aligns them (two spaces after the widest
// cell), in two passes over the entries instead of holding every line.
func (u *ui) printAuditProblems(rep *audit.Report, sp *audit.Spool) error {
	each := func(fn func(e *audit.Entry) error) error {
		if sp != nil {
			return sp.Entries(fn)
		}
		for i := range rep.Entries {
			if err := fn(&rep.Entries[i]); err != nil {
				return err
			}
		}
		return nil
	}
	wk, wp, n := 0, 0, 0
	err := each(func(e *audit.Entry) error {
		for _, p := range e.Problems {
			wk = max(wk, utf8.RuneCountInString(string(p.Kind)))
			wp = max(wp, utf8.RuneCountInString(sanitize(p.Path)))
			n++
		}
		return nil
	})
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(u.stdout, 64<<10)
	cell := func(s string, width int) {
		w.WriteString(s)
		for range width + 2 - utf8.RuneCountInString(s) {
			w.WriteByte(' ')
		}
	}
	err = each(func(e *audit.Entry) error {
		for _, p := range e.Problems {
			cell(string(p.Kind), wk)
			cell(sanitize(p.Path), wp)
			w.WriteString(sanitize(p.Detail))
			w.WriteByte('\n')
		}
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 && !u.quiet {
		fmt.Fprintf(w, "no problems: %d artifacts verified\n", rep.Summary.Artifacts)
	}
	return w.Flush()
}

// problemsText lists problem counts as "digest=1 unsigned=2", in the order
// of audit.ProblemKinds.
func problemsText(m map[audit.ProblemKind]int) string {
	var parts []string
	for _, k := range audit.ProblemKinds {
		if n := m[k]; n > 0 {
			parts = append(parts, fmt.Sprintf("%s=%d", k, n))
		}
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// printAuditSummary writes the per-release table and the totals on
// standard error, unless --quiet; stats, if known, say how much was read.
func (u *ui) printAuditSummary(rep *audit.Report, stats *audit.Stats) {
	if u.quiet {
		return
	}
	tw := tabwriter.NewWriter(u.stderr, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RELEASE\tFILES\tARTIFACTS\tOK\tPROBLEMS\t")
	for _, r := range rep.Releases {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t\n", sanitize(r.Dir), r.Files, r.Artifacts, r.OK, problemsText(r.Problems))
	}
	s := rep.Summary
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%s\t\n", s.Files, s.Artifacts, s.OK, problemsText(s.Problems))
	tw.Flush()
	for _, sk := range rep.Skipped {
		u.infof("skipped %s: %s", sanitize(sk.Path), sanitize(sk.Reason))
	}
	if stats != nil {
		u.infof("read %s (%d bytes), re-checked %d from recorded digests, reused %d recorded outcomes",
			countOf(stats.Hashed, "artifact"), stats.HashedBytes, stats.Rechecked, stats.Reused)
	}
}

// countOf is "1 artifact" or "N artifacts".
func countOf(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// auditProgress shows artifacts done of those found, and bytes read, on a
// terminal only.
type auditProgress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	total int64
	bytes atomic.Int64
}

// newAuditProgress returns nil unless standard error is a terminal.
func newAuditProgress(u *ui) *auditProgress {
	f, ok := u.stderr.(*os.File)
	if u.quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	bar := progressbar.NewOptions64(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetVisibility(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetDescription("pyverify: audit"),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return &auditProgress{bar: bar}
}

func (p *auditProgress) Found(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total += int64(n)
	p.bar.ChangeMax64(p.total)
}

func (p *auditProgress) Done(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bar.Describe(fmt.Sprintf("pyverify: audit, %s read", humanBytes(p.bytes.Load())))
	p.bar.Add(n)
}

func (p *auditProgress) Read(n int64) { p.bytes.Add(n) }

func (p *auditProgress) finish() {
	if p == nil {
		return
	}
	p.bar.Finish()
	p.bar.Exit()
}

// humanBytes formats n bytes in binary units.
func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
