package main

// This file owns all of pyverify's terminal output. The rules are:
//
//   - Reports (tables, JSON) go to standard output, and nothing else does:
//     with --json, standard output holds exactly one JSON document.
//   - Everything else goes to standard error with a "pyverify:" prefix,
//     lower-case, no period at the end: errors ("pyverify: error: …"),
//     hints, warnings and progress.
//   - Text that came from the network or from input files is never written
//     raw: internal/safetext escapes control characters and invalid UTF-8,
//     so a hostile page cannot drive the terminal.

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/lifecycle"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"
)

// ui writes pyverify's terminal output.
type ui struct {
	stdout, stderr io.Writer
	quiet          bool
	// pinsProof is set once a check run is known to prove pins by
	// digest: a --json failure before its report is then written in that
	// report's schema.
	pinsProof bool
}

func (u *ui) errorf(format string, v ...any) {
	fmt.Fprintf(u.stderr, "pyverify: error: "+format+"\n", v...)
}

func (u *ui) hintf(format string, v ...any) {
	fmt.Fprintf(u.stderr, "pyverify: hint: "+format+"\n", v...)
}

// warnf prints a warning: a fact that weakens what the run shows without
// failing it. Warnings are printed even with --quiet.
func (u *ui) warnf(format string, v ...any) {
	fmt.Fprintf(u.stderr, "pyverify: warning: "+format+"\n", v...)
}

// infof prints progress information, unless --quiet.
func (u *ui) infof(format string, v ...any) {
	if u.quiet {
		return
	}
	fmt.Fprintf(u.stderr, "pyverify: "+format+"\n", v...)
}

// sanitize makes untrusted text safe to print on one terminal line
// (safetext.Line: non-printable runes escaped, long text cut).
func sanitize(s string) string { return safetext.Line(s) }

// oneLine sanitizes an error message for a single output line.
func oneLine(err error) string {
	return sanitize(strings.TrimSpace(err.Error()))
}

// printJSON writes v as indented JSON on standard output.
func (u *ui) printJSON(v any) error {
	enc := json.NewEncoder(u.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// printBytes writes output made elsewhere (pins) on standard output as is.
func (u *ui) printBytes(b []byte) error {
	_, err := u.stdout.Write(b)
	return err
}

// verdict is how a check's status shows in the report table. A signature
// that is missing but not required shows as "-" (nothing needed it), except
// when the other signature is there but failed, none verified, and the
// policy accepts a signature of the missing kind for the artifact
// (CheckResult.Accepted): then the artifact has no valid signature at all,
// and the absence shows as "missing" (a .sigstore that is no bundle, and no
// .asc, for a release that has both).
func verdict(rep verify.ArtifactReport, kind verify.Kind) string {
	c, ok := rep.Check(kind)
	if !ok {
		return "-"
	}
	switch c.Status {
	case verify.StatusPass:
		return "ok"
	case verify.StatusFail:
		return "FAIL"
	case verify.StatusMissing:
		if c.Required {
			return "MISSING"
		}
		if !rep.OK && signatureFailedOnly(rep) && c.Accepted {
			return "missing"
		}
		return "-"
	case verify.StatusSkipped:
		return "skip"
	}
	return string(c.Status)
}

// signatureFailedOnly reports whether a signature check of the artifact
// failed and none passed.
func signatureFailedOnly(rep verify.ArtifactReport) bool {
	failed := false
	for _, c := range rep.Checks {
		if c.Kind != verify.KindOpenPGP && c.Kind != verify.KindSigstore {
			continue
		}
		switch c.Status {
		case verify.StatusPass:
			return false
		case verify.StatusFail:
			failed = true
		}
	}
	return failed
}

var reportKinds = []verify.Kind{verify.KindSize, verify.KindMD5, verify.KindSHA256, verify.KindOpenPGP, verify.KindSigstore}

// printReport writes the human-readable report: one row per artifact with
// each check's verdict, the reasons for every failure, who signed what, and
// a summary line. An artifact marked in notPlaced verified, and was not
// placed in --dest: its result is NOT PLACED, and it counts as verified.
func (u *ui) printReport(rep *verify.Report, cached map[string]bool, notPlaced []bool) {
	kinds := reportKinds
	if hasCheck(rep, verify.KindSBOM) {
		// SBOMs were asked for (--sbom).
		kinds = append(slices.Clip(kinds), verify.KindSBOM)
	}
	if rep.Lifecycle != nil {
		kinds = append(slices.Clip(kinds), verify.KindLifecycle)
	}
	kinds = append(slices.Clip(kinds), verify.KindRelease)
	tw := tabwriter.NewWriter(u.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprint(tw, "RESULT\tFILE\t")
	for _, k := range kinds {
		fmt.Fprintf(tw, "%s\t", strings.ToUpper(string(k)))
	}
	fmt.Fprintln(tw)
	failed, unplaced := 0, 0
	for i, a := range rep.Artifacts {
		result := "OK"
		switch {
		case i < len(notPlaced) && notPlaced[i]:
			result = "NOT PLACED"
			unplaced++
		case !a.OK:
			result = "FAILED"
			failed++
		}
		name := sanitize(a.Name)
		if cached[a.Name] {
			name += " (cached)"
		}
		fmt.Fprintf(tw, "%s\t%s\t", result, name)
		for _, k := range kinds {
			fmt.Fprintf(tw, "%s\t", verdict(a, k))
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	for _, a := range rep.Artifacts {
		var lines []string
		for _, c := range a.Checks {
			switch {
			case c.Status == verify.StatusFail || c.Status == verify.StatusMissing && c.Required:
				lines = append(lines, fmt.Sprintf("%s: %s", c.Kind, sanitize(c.Detail)))
			case c.Status == verify.StatusPass && c.Signer != "":
				l := fmt.Sprintf("%s: signed by %s", c.Kind, sanitize(c.Signer))
				// The OpenPGP time rule's leniency follows "; " in the
				// detail ("key binding renewed …"): never silent.
				if _, note, ok := strings.Cut(c.Detail, "; "); ok && c.Kind == verify.KindOpenPGP {
					l += " (" + sanitize(note) + ")"
				}
				lines = append(lines, l)
			case c.Status == verify.StatusPass && c.Kind == verify.KindLifecycle:
				lines = append(lines, fmt.Sprintf("%s: %s", c.Kind, sanitize(c.Detail)))
			}
		}
		if a.Error != "" {
			lines = append(lines, sanitize(a.Error))
		}
		for _, w := range a.Warnings {
			lines = append(lines, "warning: "+sanitize(w))
		}
		if len(lines) == 0 {
			continue
		}
		fmt.Fprintf(u.stdout, "%s:\n", sanitize(a.Name))
		for _, l := range lines {
			fmt.Fprintf(u.stdout, "    %s\n", l)
		}
	}
	u.printSources(rep)
	u.reportLifecycle(rep.Lifecycle)
	n := len(rep.Artifacts)
	if n == 0 {
		fmt.Fprintln(u.stdout, "no artifacts checked")
		return
	}
	summary := fmt.Sprintf("%d of %d verified", n-failed, n)
	if failed > 0 {
		summary += fmt.Sprintf(", %d FAILED", failed)
	}
	if unplaced > 0 {
		summary += fmt.Sprintf(", %d not placed", unplaced)
	}
	fmt.Fprintln(u.stdout, summary)
}

// hasCheck reports whether any artifact of rep has a check of kind k.
func hasCheck(rep *verify.Report, k verify.Kind) bool {
	for _, a := range rep.Artifacts {
		if slices.ContainsFunc(a.Checks, func(c verify.CheckResult) bool { return c.Kind == k }) {
			return true
		}
	}
	return false
}

// printSources writes which release data was read, and its warnings.
func (u *ui) printSources(rep *verify.Report) {
	if len(rep.Sources) > 0 {
		var names []string
		for _, s := range rep.Sources {
			names = append(names, s.Name)
		}
		fmt.Fprintf(u.stdout, "sources: %s\n", strings.Join(names, ", "))
	}
	if rep.ListingFrom != "" {
		fmt.Fprintf(u.stdout, "listing from %s, files from %s\n", sanitize(rep.ListingFrom), sanitize(rep.FilesFrom))
	}
	for _, w := range rep.Warnings {
		fmt.Fprintf(u.stdout, "warning: %s\n", sanitize(w))
	}
}

// printManifest writes a readable table of a release's artifacts.
func (u *ui) printManifest(m *manifest.Manifest) {
	fmt.Fprintf(u.stdout, "Python %s: %d files (from %s)\n", sanitize(m.Version), len(m.Artifacts), sanitize(m.Source))
	tw := tabwriter.NewWriter(u.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FILE\tCLASS\tSIZE\tCHECKSUM\tSIGNATURES\t")
	for _, a := range m.Artifacts {
		size := a.SizeText
		if a.Size > 0 {
			size = strconv.FormatInt(a.Size, 10)
		}
		sum := "-"
		switch {
		case a.SHA256 != "":
			sum = "sha256:" + a.SHA256[:min(16, len(a.SHA256))] + "…"
		case a.MD5 != "":
			sum = "md5:" + a.MD5
		}
		var sigs []string
		if a.GPGURL != "" {
			sigs = append(sigs, "openpgp")
		}
		if a.SigstoreURL != "" {
			sigs = append(sigs, "sigstore")
		} else if a.SigstoreCertURL != "" {
			sigs = append(sigs, "sigstore-crt+sig")
		}
		if a.SBOMURL != "" {
			sigs = append(sigs, "sbom")
		}
		if len(sigs) == 0 {
			sigs = []string{"-"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", sanitize(a.Name), a.Class, sanitize(strings.ReplaceAll(size, "\u00a0", " ")), sanitize(sum), strings.Join(sigs, ","))
	}
	tw.Flush()
}

// progress shows one aggregate progress bar for a whole download set on
// standard error, only when standard error is a terminal and not --quiet.
type progress struct {
	bar *progressbar.ProgressBar
}

func newProgress(u *ui, arts []manifest.Artifact) *progress {
	f, ok := u.stderr.(*os.File)
	if u.quiet || !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	var total int64
	for _, a := range arts {
		if a.Size > 0 {
			total += a.Size
		} else if n, ok := manifest.SizeTextMax(a.SizeText); ok {
			total += n
		}
	}
	if total == 0 {
		total = -1 // unknown: a spinner
	}
	bar := progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetVisibility(true),
		progressbar.OptionShowBytes(true),
		progressbar.OptionShowCount(),
		progressbar.OptionSetDescription(fmt.Sprintf("pyverify: %d files", len(arts))),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionSetPredictTime(true),
	)
	return &progress{bar: bar}
}

// add counts n more bytes; safe for concurrent use.
func (p *progress) add(n int64) {
	if p.bar != nil {
		p.bar.Add64(n)
	}
}

func (p *progress) finish() {
	if p.bar != nil {
		p.bar.Finish()
		p.bar.Exit()
	}
}

// printPolicy writes the effective trust policy, one block per series. The
// two Sigstore rules are stated apart: whose bundle is accepted (for every
// release of the series) and from which release a bundle is expected.
func (u *ui) printPolicy(p *verify.Policy, keys verify.Keyring) {
	fmt.Fprintln(u.stdout, "Who must have signed what, per release series. MD5 is never trust.")
	fmt.Fprintln(u.stdout, "A Sigstore bundle by the series' identity is accepted for every release of the")
	fmt.Fprintln(u.stdout, "series; \"expected from\" says only from which release a missing bundle counts.")
	if !p.SigstoreRequireSCT() {
		fmt.Fprintln(u.stdout, "Sigstore certificates need no signed certificate timestamp (this policy's choice).")
	}
	for _, s := range p.Series() {
		r, ok := p.Rules(s)
		if !ok {
			continue
		}
		fmt.Fprintf(u.stdout, "\n%s\n", s)
		if r.Sigstore == nil {
			fmt.Fprintln(u.stdout, "  sigstore  none: a bundle is reported as skipped, never counted as trust")
		} else {
			only := ""
			if r.SigstoreOnly {
				only = "; Sigstore only, no OpenPGP (PEP 761)"
			}
			fmt.Fprintf(u.stdout, "  sigstore  every file: %s (%s), accepted for every release, expected from %s%s\n",
				sanitize(r.Sigstore.SigstoreIdentity), sanitize(r.Sigstore.SigstoreIssuer), r.SigstoreSince, only)
		}
		legacy := ""
		if r.OpenPGPLegacy {
			legacy = " (legacy algorithms accepted)"
		}
		for _, cs := range r.OpenPGP {
			for _, sg := range cs.Signers {
				fmt.Fprintf(u.stdout, "  openpgp   %s: %s %s%s\n", cs.Class, sanitize(sg.Name), strings.Join(sg.OpenPGP, " "), legacy)
			}
		}
		if r.Sigstore == nil && len(r.OpenPGP) == 0 {
			fmt.Fprintln(u.stdout, "  no signers")
		}
	}
	u.printKeyHistories(p, keys)
}

// printKeyHistories writes, for each OpenPGP key the policy pins, its
// creation, expiry and the periods its self-signatures cover: what the
// time rule judges a signature's date against.
func (u *ui) printKeyHistories(p *verify.Policy, keys verify.Keyring) {
	day := func(t time.Time) string {
		if t.IsZero() {
			return "never"
		}
		return t.Format(time.DateOnly)
	}
	fmt.Fprintln(u.stdout, "\nOpenPGP keys (built-in keyring): creation, expiry, and the periods their self-signatures cover.")
	fmt.Fprintln(u.stdout, "A signature verifies if a self-signature made before it, or a later one, covers its date.")
	for _, s := range p.Signers() {
		for _, fpr := range s.OpenPGP {
			fmt.Fprintf(u.stdout, "\n  %s  %s\n", fpr, sanitize(s.Name))
			h, err := keys.KeyHistory(fpr)
			if err != nil {
				fmt.Fprintf(u.stdout, "    %s\n", oneLine(err))
				continue
			}
			fmt.Fprintf(u.stdout, "    created %s, expires %s\n", day(h.Created), day(h.Expires))
			for i := 0; i < len(h.Bindings); {
				sub := h.Bindings[i].Subkey
				var spans []string
				for ; i < len(h.Bindings) && h.Bindings[i].Subkey == sub; i++ {
					b := h.Bindings[i]
					until := "no expiry"
					if !b.Until.IsZero() {
						until = "to " + day(b.Until)
					}
					if span := day(b.Made) + " " + until; !slices.Contains(spans, span) {
						spans = append(spans, span)
					}
				}
				what := "key"
				if sub != "" {
					what = "signing subkey " + sub
				}
				fmt.Fprintf(u.stdout, "    %s: %s\n", what, strings.Join(spans, ", "))
			}
			for _, r := range h.Revocations {
				what := "key"
				if r.Subkey != "" {
					what = "subkey " + r.Subkey
				}
				fmt.Fprintf(u.stdout, "    %s revoked %s (%s)\n", what, day(r.Made), r.Reason)
			}
		}
	}
}

// printVersion writes pyverify's version and how old its lifecycle data is.
func (u *ui) printVersion(v string, d *lifecycle.Data) {
	fmt.Fprintf(u.stdout, "pyverify %s\n", v)
	ss := d.Series()
	fmt.Fprintf(u.stdout, "lifecycle data: %s (series %s to %s)\n", d.Describe(), ss[len(ss)-1].Name, ss[0].Name)
}

// printLifecycle writes 'pyverify lifecycle': a table of every series, or
// the details of one series or release.
func (u *ui) printLifecycle(r *lifecycle.Report) {
	data := lifecycleDataName(r.Data)
	if r.DataDate != "" {
		data += ", " + r.DataDateKind + " " + r.DataDate
	}
	orDash := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	if r.Release == nil && len(r.Series) != 1 {
		fmt.Fprintf(u.stdout, "Python release series on %s (%s)\n", r.Today, data)
		tw := tabwriter.NewWriter(u.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SERIES\tSTATUS\tFIRST RELEASE\tEND OF BUGFIX\tEND OF LIFE\t")
		var notes []string
		for _, s := range r.Series {
			status := string(s.Status)
			if s.Note != "" {
				status += "*"
				notes = append(notes, fmt.Sprintf("* %s: %s", s.Series, sanitize(s.Note)))
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t\n", s.Series, status, s.FirstRelease, orDash(s.EndOfBugfix), orDash(s.EndOfLife))
		}
		tw.Flush()
		for _, n := range notes {
			fmt.Fprintln(u.stdout, n)
		}
		return
	}
	s := r.Series[0]
	fmt.Fprintf(u.stdout, "Python %s on %s (%s)\n", s.Series, r.Today, data)
	row := func(label, format string, v ...any) {
		fmt.Fprintf(u.stdout, "  %-16s %s\n", label, fmt.Sprintf(format, v...))
	}
	row("status", "%s: %s", s.Status, sanitize(s.Summary))
	if s.Note != "" {
		row("", "(%s)", sanitize(s.Note))
	}
	row("first release", "%s", s.FirstRelease)
	if s.EndOfBugfix == "" {
		row("end of bugfix", "- (before PEP 602: no rule)")
	} else {
		row("end of bugfix", "%s (PEP 602: %d months after the first release)", s.EndOfBugfix, s.BugfixMonths)
	}
	switch s.EndOfLifeFrom {
	case lifecycle.FromData:
		row("end of life", "%s (from the data)", s.EndOfLife)
	case lifecycle.FromPEP602:
		row("end of life", "%s (PEP 602: five years after the first release; the data gives none)", s.EndOfLife)
	default:
		row("end of life", "- (the data gives none, and PEP 602 does not cover %s)", s.Series)
	}
	if s.ReleaseManager != "" {
		row("release manager", "%s", sanitize(s.ReleaseManager))
	}
	if s.PEP != 0 {
		row("schedule", "PEP %d", s.PEP)
	}
	if rr := r.Release; rr != nil {
		kind := "no, a final release"
		if rr.Prerelease {
			kind = "yes, " + rr.PhaseName
		}
		fmt.Fprintf(u.stdout, "Python %s\n", rr.Version)
		row("pre-release", "%s", kind)
		switch {
		case rr.FinalRelease == "":
		case rr.Superseded:
			row("superseded", "yes: %s was due %s", rr.FinalRelease, rr.FinalReleaseDue)
		default:
			row("superseded", "not yet: %s is due %s", rr.FinalRelease, rr.FinalReleaseDue)
		}
		row("newest release", "not in the data (%s)", sanitize(rr.NewestReleaseNote))
	}
}

// reportLifecycle writes which data and day the lifecycle gates used.
func (u *ui) reportLifecycle(lc *verify.LifecycleContext) {
	if lc == nil {
		return
	}
	data := lifecycleDataName(lc.Data)
	if lc.DataDate != "" {
		data += " (" + lc.DataDateKind + " " + lc.DataDate + ")"
	}
	var gates []string
	for _, g := range lc.Gates {
		gates = append(gates, "--"+g)
	}
	fmt.Fprintf(u.stdout, "lifecycle gates %s evaluated for %s with the %s\n", strings.Join(gates, " "), lc.Today, data)
}

// lifecycleDataName names the lifecycle data d ("embedded", or a file or
// URL) for a report.
func lifecycleDataName(d string) string {
	if d == "embedded" {
		return "embedded release-cycle.json"
	}
	return "release-cycle data in " + sanitize(d)
}
