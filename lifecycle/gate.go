package lifecycle

import (
	"errors"
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/names"
	"github.com/pyverify/pyverify/report"
)

// Gates says which releases verification must refuse by their lifecycle.
type Gates struct {
	// DenyEOL refuses a release whose series is end-of-life.
	DenyEOL bool
	// DenyPrerelease refuses an alpha, beta or release candidate.
	DenyPrerelease bool
	// DenySecurityOnly refuses a release whose series no longer gets
	// bugfix releases: security-only or end-of-life.
	DenySecurityOnly bool
}

// Any reports whether any gate is set.
func (g Gates) Any() bool { return g.DenyEOL || g.DenyPrerelease || g.DenySecurityOnly }

// Names lists the gates set, as named in reports: "deny-eol",
// "deny-prerelease", "deny-security-only".
func (g Gates) Names() []string {
	names := []string{}
	if g.DenyEOL {
		names = append(names, "deny-eol")
	}
	if g.DenyPrerelease {
		names = append(names, "deny-prerelease")
	}
	if g.DenySecurityOnly {
		names = append(names, "deny-security-only")
	}
	return names
}

// A Gate evaluates Gates with one data set on one day. It is safe for
// concurrent use.
type Gate struct {
	gates Gates
	data  *Data
	today Date
}

// NewGate returns a Gate for the gates g, the data and the day today (a
// full date: callers pass it, the package never reads the clock).
func NewGate(g Gates, data *Data, today Date) (*Gate, error) {
	if data == nil {
		return nil, errors.New("lifecycle: no release-cycle data")
	}
	if today.IsZero() || today.IsMonth() {
		return nil, fmt.Errorf("lifecycle: today must be a full date, not %q", today)
	}
	return &Gate{gates: g, data: data, today: today}, nil
}

// Key identifies what the gate's verdicts depend on: the gates, the day
// and the data's content. A caller that records verdicts (such as an audit
// state file) must not reuse them under another Key.
func (g *Gate) Key() string {
	return fmt.Sprintf("lifecycle:%s:%s:%x", strings.Join(g.gates.Names(), ","), g.today, g.data.sum[:8])
}

// Context describes the gate for a report.
func (g *Gate) Context() *report.LifecycleContext {
	c := &report.LifecycleContext{Data: g.data.Origin, DataDate: g.data.Date.String(),
		Today: g.today.String(), Gates: g.gates.Names()}
	if c.DataDate != "" {
		c.DataDateKind = g.data.DateKind
	}
	return c
}

// Check evaluates the gates for release v. The result is a check of kind
// report.KindLifecycle: StatusPass when no gate refuses v, StatusFail with
// every reason when one does, and StatusMissing when the data does not
// know v's series; then the gates cannot be evaluated and the error wraps
// both report.ErrPolicyGap and ErrUnknownSeries (fail closed). A check
// that fails carries report.ReasonRefused or report.ReasonLifecycleUnknown.
func (g *Gate) Check(v names.Version) (report.Check, error) {
	res := report.Check{Kind: report.KindLifecycle, Required: true}
	if v.IsZero() {
		res.Status, res.Reason, res.Detail = report.StatusMissing, report.ReasonLifecycleUnknown, "no release version: the lifecycle gates cannot be evaluated"
		return res, fmt.Errorf("lifecycle: no release version: %w", report.ErrPolicyGap)
	}
	s, err := g.data.Lookup(v)
	if err != nil {
		res.Status, res.Reason = report.StatusMissing, report.ReasonLifecycleUnknown
		res.Detail = fmt.Sprintf("series %s is not in the %s: the lifecycle gates cannot be evaluated", v.Series(), g.data.Describe())
		return res, fmt.Errorf("lifecycle: %w (%w)", err, report.ErrPolicyGap)
	}
	p := s.At(g.today)
	var reasons []string
	var eolBy []string
	if g.gates.DenyEOL && p.Status == StatusEndOfLife {
		eolBy = append(eolBy, "--deny-eol")
	}
	if g.gates.DenySecurityOnly && (p.Status == StatusSecurity || p.Status == StatusEndOfLife) {
		eolBy = append(eolBy, "--deny-security-only")
	}
	if len(eolBy) > 0 {
		reasons = append(reasons, fmt.Sprintf("Python %s: %s, refused by %s", s.Name, p.Summary(), strings.Join(eolBy, " and ")))
	}
	if g.gates.DenyPrerelease && v.IsPrerelease() {
		reasons = append(reasons, fmt.Sprintf("%s is a pre-release (%s), refused by --deny-prerelease", v, PhaseName(v)))
	}
	note := ""
	if p.Note != "" {
		note = " (" + p.Note + ")"
	}
	if len(reasons) > 0 {
		res.Status, res.Reason, res.Detail = report.StatusFail, report.ReasonRefused, strings.Join(reasons, "; ")+note
		return res, nil
	}
	res.Status = report.StatusPass
	res.Detail = fmt.Sprintf("Python %s: %s; %s is %s%s", s.Name, p.Summary(), v, PhaseName(v), note)
	return res, nil
}

// PhaseName says what kind of release v is: "a final release", "alpha 2",
// "beta 1", "release candidate 3".
func PhaseName(v names.Version) string {
	switch v.Pre {
	case "a":
		return fmt.Sprintf("alpha %d", v.PreNum)
	case "b":
		return fmt.Sprintf("beta %d", v.PreNum)
	case "rc":
		return fmt.Sprintf("release candidate %d", v.PreNum)
	}
	return "a final release"
}

// Apply evaluates the gates for the artifact of rep, release v, after its
// verification ended with err, and returns the combined outcome. The
// lifecycle check is appended to rep.Checks, so the report still says
// whether the bytes are genuine. A refusal makes the outcome a
// *report.VerificationError listing it (with any other failed check),
// whatever err was; an error that kept the artifact from being checked is
// kept in rep.Error. When the gates cannot be evaluated, a verification
// failure stays one and a success becomes a policy gap.
func (g *Gate) Apply(rep *report.Artifact, v names.Version, err error) error {
	res, gerr := g.Check(v)
	if res.Status == report.StatusPass {
		rep.Add(res)
		return err
	}
	if res.Status == report.StatusFail {
		var ve *report.VerificationError
		if err != nil && !errors.As(err, &ve) && rep.Error == "" && !errors.Is(err, report.ErrPolicyGap) {
			rep.SetError(err.Error())
		}
		return rep.AddAfter(err, res)
	}
	rep.Add(res)
	if err != nil {
		return err
	}
	return fmt.Errorf("%s: %w", rep.Name, gerr)
}
