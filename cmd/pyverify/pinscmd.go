package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/pyverify/pyverify/internal/safetext"
	"github.com/pyverify/pyverify/pins"
	"github.com/pyverify/pyverify/verify"
)

// cmdPins verifies a release exactly as 'verify' does, then prints the
// digests of the artifacts that verified, in a pin format.
func cmdPins(ctx context.Context, u *ui, args []string) error {
	const cmd = "pins"
	var format string
	vf, err := parseVerifyFlags(cmd, u, args, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", string(pins.FormatSHA256SUMS), "")
	})
	if err != nil {
		return err
	}
	if vf.asJSON {
		return usagef(cmd, "--json: pins prints pins, not a report; for JSON pins, give --format json")
	}
	f, ok := pins.ParseFormat(format)
	if !ok {
		var names []string
		for _, f := range pins.Formats {
			names = append(names, string(f))
		}
		return usagef(cmd, "--format %s: want one of %s", safetext.Quote(format), strings.Join(names, ", "))
	}
	_, results, _, err := verifyRelease(ctx, u, cmd, vf)
	if err != nil {
		return err
	}
	reports, errs, _ := outcomes(results)

	var ps []pins.Pin
	for i, res := range results {
		rep := reports[i]
		if errs[i] != nil || !rep.OK || rep.SHA256 == "" {
			u.errorf("%s: not pinned: %s", sanitize(rep.Name), failureLine(rep, errs[i]))
			continue
		}
		ps = append(ps, pins.Pin{Name: rep.Name, SHA256: rep.SHA256, URL: res.Artifact.URL, Signers: signers(rep)})
	}
	code, failed := outcomeCode(reports, errs)
	if len(ps) > 0 {
		set, err := pins.New(reports[0].Version, ps)
		if err != nil {
			return err
		}
		out, err := set.Marshal(f)
		if err != nil {
			return err
		}
		if err := u.printBytes(out); err != nil {
			return ioError(err)
		}
	}
	if code == exitOK {
		u.infof("%d of %d files verified and pinned", len(ps), len(results))
		return nil
	}
	unplaced := 0
	for i := range reports {
		if verifiedNotPlaced(reports[i], errs[i]) {
			unplaced++
		}
	}
	if unplaced == failed {
		// They verified; the run failed them when they could not be placed.
		return &reportedError{code: code, msg: fmt.Sprintf("%d of %d artifacts verified but could not be placed in --dest: no pins for them", failed, len(results))}
	}
	return &reportedError{code: code, msg: fmt.Sprintf("%d of %d artifacts did not verify: no pins for them", failed, len(results))}
}

// signers lists who signed a verified artifact, as its report says.
func signers(rep verify.ArtifactReport) []string {
	var s []string
	for _, c := range rep.Checks {
		if c.Status == verify.StatusPass && c.Signer != "" {
			s = append(s, c.Signer)
		}
	}
	return s
}

// failureLine says in one line why an artifact failed.
func failureLine(rep verify.ArtifactReport, err error) string {
	if rep.Error != "" {
		return sanitize(rep.Error)
	}
	var parts []string
	for _, c := range rep.Checks {
		if c.FailsArtifact() {
			parts = append(parts, fmt.Sprintf("%s: %s", c.Kind, c.Detail))
		}
	}
	if len(parts) == 0 && err != nil {
		return oneLine(err)
	}
	if len(parts) == 0 {
		return "did not verify"
	}
	return sanitize(strings.Join(parts, "; "))
}
