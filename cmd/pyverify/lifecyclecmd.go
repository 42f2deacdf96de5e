package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/pyverify/pyverify/audit"
	"github.com/pyverify/pyverify/lifecycle"
	"github.com/pyverify/pyverify/manifest"
	"github.com/pyverify/pyverify/verify"
)

// releaseCycleHint is the next step when the lifecycle data does not know a series.
const releaseCycleHint = "give newer data with --release-cycle FILE (https://peps.python.org/api/release-cycle.json)"

// lifecycleFlags are the flags that choose the lifecycle data and the day,
// and the gates of the commands that verify.
type lifecycleFlags struct {
	releaseCycle, today string
	gates               lifecycle.Gates
}

// registerData registers --release-cycle and --today.
func (l *lifecycleFlags) registerData(fs *flag.FlagSet) {
	fs.StringVar(&l.releaseCycle, "release-cycle", "", "")
	fs.StringVar(&l.today, "today", "", "")
}

// registerGates registers the data flags and --deny-eol,
// --deny-prerelease and --deny-security-only.
func (l *lifecycleFlags) registerGates(fs *flag.FlagSet) {
	l.registerData(fs)
	fs.BoolVar(&l.gates.DenyEOL, "deny-eol", false, "")
	fs.BoolVar(&l.gates.DenyPrerelease, "deny-prerelease", false, "")
	fs.BoolVar(&l.gates.DenySecurityOnly, "deny-security-only", false, "")
}

// day returns --today, or today's date in UTC.
func (l *lifecycleFlags) day(cmd string) (lifecycle.Date, error) {
	if l.today == "" {
		return lifecycle.DayOf(time.Now()), nil
	}
	d, err := lifecycle.ParseDay(l.today)
	if err != nil {
		return d, usagef(cmd, "--today: %v", err)
	}
	return d, nil
}

// data returns the data of --release-cycle, or the embedded data.
func (l *lifecycleFlags) data() (*lifecycle.Data, error) {
	if l.releaseCycle == "" {
		return lifecycle.Embedded(), nil
	}
	b, err := readCapped(l.releaseCycle, lifecycle.MaxDataSize)
	if err != nil {
		return nil, inputError(fmt.Errorf("--release-cycle: %w", err))
	}
	d, err := lifecycle.Parse(b)
	if err != nil {
		return nil, withHint(inputError(fmt.Errorf("--release-cycle %s: %w", l.releaseCycle, err)),
			"--release-cycle wants python.org's release-cycle.json (https://peps.python.org/api/release-cycle.json)")
	}
	d.Origin = l.releaseCycle
	if st, err := os.Stat(l.releaseCycle); err == nil {
		d.Date, d.DateKind = lifecycle.DayOf(st.ModTime()), "modified"
	}
	return d, nil
}

// gate returns the gate the flags ask for, or nil when none is. The data
// flags are checked even then, so that a mistake in them is never silent.
func (l *lifecycleFlags) gate(cmd string) (*lifecycle.Gate, error) {
	today, err := l.day(cmd)
	if err != nil {
		return nil, err
	}
	data, err := l.data()
	if err != nil {
		return nil, err
	}
	if !l.gates.Any() {
		return nil, nil
	}
	g, err := lifecycle.NewGate(l.gates, data, today)
	if err != nil {
		return nil, inputError(err)
	}
	return g, nil
}

// applyGate evaluates the lifecycle gate (if any) for each artifact after
// its verification, so the report says both whether the bytes are genuine
// and whether the release is acceptable. Reports the gate already saw
// (verified files, before they were placed) are left alone.
func applyGate(g *lifecycle.Gate, reports []verify.ArtifactReport, versions []manifest.Version, errs []error) {
	if g == nil {
		return
	}
	for i := range reports {
		if !slices.ContainsFunc(reports[i].Checks, func(c verify.CheckResult) bool { return c.Kind == verify.KindLifecycle }) {
			errs[i] = g.Apply(&reports[i], versions[i], errs[i])
		}
	}
}

// auditGate makes the lifecycle gate one of an audit's checks: its check
// joins each artifact's, a refusal is a lifecycle problem, and a series the
// data does not know a policy gap (fail closed).
func auditGate(g *lifecycle.Gate) audit.ExtraCheck {
	return func(_ context.Context, a *audit.Artifact) []audit.Problem {
		res, _ := g.Check(a.Target.Version)
		a.Report.Checks = append(a.Report.Checks, res)
		switch res.Status {
		case verify.StatusFail:
			return []audit.Problem{{Kind: audit.Lifecycle, Path: a.Path, Detail: res.Detail}}
		case verify.StatusMissing:
			return []audit.Problem{{Kind: audit.PolicyGap, Path: a.Path, Detail: res.Detail}}
		}
		return nil
	}
}

// refusedByGate reports whether the lifecycle gates are the only reason
// the artifact failed: every other required check passed.
func refusedByGate(rep verify.ArtifactReport) bool {
	refused := false
	for _, c := range rep.Checks {
		switch {
		case c.Kind == verify.KindLifecycle && c.Status == verify.StatusFail:
			refused = true
		case c.FailsArtifact():
			return false
		}
	}
	return refused && rep.Error == ""
}

func cmdLifecycle(_ context.Context, u *ui, args []string) error {
	const cmd = "lifecycle"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var (
		lf     lifecycleFlags
		asJSON bool
	)
	lf.registerData(fs)
	fs.BoolVar(&asJSON, "json", false, "")
	pos, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 1 {
		return usagef(cmd, "want at most one VERSION or SERIES, such as 3.12.4 or 3.12")
	}
	today, err := lf.day(cmd)
	if err != nil {
		return err
	}
	data, err := lf.data()
	if err != nil {
		return err
	}
	var release manifest.Version
	var phases []lifecycle.Phase
	if len(pos) == 0 {
		for _, s := range data.Series() {
			phases = append(phases, s.At(today))
		}
	} else {
		v, err := manifest.ParseVersion(pos[0])
		if err != nil {
			return usagef(cmd, "%v", err)
		}
		s, err := data.Lookup(v)
		if errors.Is(err, lifecycle.ErrUnknownSeries) {
			return withHint(&codedError{exitPolicyGap, fmt.Errorf("%w (%s): its lifecycle is unknown", err, data.Describe())},
				"%s", releaseCycleHint)
		}
		if v.HasPatch || v.Pre != "" {
			release = v
		}
		phases = []lifecycle.Phase{s.At(today)}
	}
	rep := lifecycle.NewReport(data, today, phases, release)
	if asJSON {
		return u.printJSON(rep)
	}
	u.printLifecycle(rep)
	return nil
}
