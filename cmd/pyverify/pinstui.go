package main

// The terminal output of 'pyverify check --pins FILE' (no FILE arguments).
// It follows tui.go's rules, except that the table goes to standard
// error: standard output is kept for --json and --jsonl. Every value from
// a pin file or a bundle is escaped.

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pyverify/pyverify/pinproof"
	"github.com/pyverify/pyverify/pins"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// printPinsTable writes one row per pin on standard error: the outcome,
// where the pin is, the file it pins, and who signed or why not. A WRONG
// pin's row names both digests.
func (u *ui) printPinsTable(results []pinproof.Result) {
	tw := tabwriter.NewWriter(u.stderr, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "RESULT\tPIN\tFILE\tSIGNED BY / WHY")
	for _, r := range results {
		why := r.Signer
		if r.Outcome != pinproof.Signed {
			why = r.Detail
			if r.Outcome == pinproof.Wrong && r.Signer != "" {
				why += ", by " + r.Signer
			}
		}
		if r.Outcome == pinproof.Signed && r.By != "" {
			why = fmt.Sprintf("%s (%s)", r.Signer, r.By)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Outcome, sanitize(r.Entry.Where()), sanitize(r.Entry.Name), sanitize(why))
	}
	tw.Flush()
}

// printPinsSummary says how many pins ended how, on standard error.
func (u *ui) printPinsSummary(results []pinproof.Result) {
	order := []pinproof.Outcome{pinproof.Signed, pinproof.Wrong, pinproof.Failed, pinproof.Unsigned,
		pinproof.Unproven, pinproof.Error, pinproof.PolicyGap}
	counts := map[pinproof.Outcome]int{}
	for _, r := range results {
		counts[r.Outcome]++
	}
	ours := len(results) - counts[pinproof.NotOurs]
	var parts []string
	for _, o := range order {
		if counts[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
		}
	}
	line := fmt.Sprintf("pyverify: %s of python.org files: %s", pinCount(ours), strings.Join(parts, ", "))
	if n := counts[pinproof.NotOurs]; n > 0 {
		line += fmt.Sprintf("; %s of other software not checked", pinCount(n))
	}
	fmt.Fprintln(u.stderr, line)
}

// pinsProgress counts pins done on standard error, only on a terminal.
type pinsProgress struct {
	bar *progressbar.ProgressBar
}

func newPinsProgress(u *ui, es []pins.Entry) *pinsProgress {
	f, ok := u.stderr.(*os.File)
	if u.quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &pinsProgress{}
	}
	bar := progressbar.NewOptions(len(es),
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetVisibility(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetDescription(fmt.Sprintf("pyverify: %d pins", len(es))),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return &pinsProgress{bar: bar}
}

// add counts one more pin done; safe for concurrent use.
func (p *pinsProgress) add() {
	if p.bar != nil {
		p.bar.Add(1)
	}
}

func (p *pinsProgress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Exit()
	}
}

// pinCount says "1 pin" or "N pins".
func pinCount(n int) string {
	if n == 1 {
		return "1 pin"
	}
	return fmt.Sprintf("%d pins", n)
}
