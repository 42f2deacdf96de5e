package lifecycle

import (
	"fmt"

	"github.com/pyverify/pyverify/names"
)

// ReportSchema is the value of Report.Schema ('pyverify lifecycle --json').
const ReportSchema = "pyverify.lifecycle/v1"

// A Report is what 'pyverify lifecycle --json' prints. Its JSON form is a
// stable contract (see the README).
type Report struct {
	Schema string `json:"schema"`
	// Data is "embedded" or the file the data was read from; DataDate
	// (YYYY-MM-DD) says how old it is and DataDateKind what the date is:
	// "copied" or "modified".
	Data         string `json:"data"`
	DataDate     string `json:"data_date,omitempty"`
	DataDateKind string `json:"data_date_kind,omitempty"`
	// Today is the day the statuses are for.
	Today string `json:"today"`
	// Release is set when a release (not a series) was asked about.
	Release *ReleaseReport `json:"release,omitempty"`
	// Series lists the series asked about, or all, newest first.
	Series []SeriesReport `json:"series"`
}

// A ReleaseReport says what the data tells about one release.
type ReleaseReport struct {
	Version    string `json:"version"`
	Prerelease bool   `json:"prerelease"`
	// Phase is "final", "alpha", "beta" or "rc"; PhaseName says it in
	// words: "a final release", "release candidate 2".
	Phase     string `json:"phase"`
	PhaseName string `json:"phase_name"`
	// NewestRelease is always null: release-cycle.json lists series, not
	// releases, so it cannot name the newest release of a series.
	// NewestReleaseNote says so.
	NewestRelease     *string `json:"newest_release"`
	NewestReleaseNote string  `json:"newest_release_note"`
	// For a pre-release of a feature release (3.X.0aN, bN, rcN):
	// FinalRelease is the release it leads to and FinalReleaseDue the
	// series' first release date; Superseded reports that the date has
	// passed, so the final release has replaced the pre-release.
	FinalRelease    string `json:"final_release,omitempty"`
	FinalReleaseDue string `json:"final_release_due,omitempty"`
	Superseded      bool   `json:"superseded"`
}

// A SeriesReport is one series on one day.
type SeriesReport struct {
	Series string `json:"series"`
	// Status is the status on the day; DataStatus the one the data gives.
	// They differ when the dates say the data is behind: Note says why.
	Status     Status `json:"status"`
	DataStatus Status `json:"data_status"`
	Note       string `json:"note,omitempty"`
	// Summary says where the series stands in a few words.
	Summary string `json:"summary"`
	// FirstRelease, EndOfBugfix and EndOfLife are YYYY-MM-DD or YYYY-MM;
	// EndOfBugfix is "" before 3.9 (PEP 602 does not cover those series).
	FirstRelease string `json:"first_release"`
	EndOfBugfix  string `json:"end_of_bugfix"`
	BugfixMonths int    `json:"bugfix_months"`
	EndOfLife    string `json:"end_of_life"`
	// EndOfLifeFrom is "data" or "pep-602" (five years after the first
	// release, when the data gives no date).
	EndOfLifeFrom  string `json:"end_of_life_from"`
	Branch         string `json:"branch,omitempty"`
	PEP            int    `json:"pep,omitempty"`
	ReleaseManager string `json:"release_manager,omitempty"`
}

// NewReport describes the phases on the data's behalf. v, if not zero, is
// the release asked about; its series must be phases[0].
func NewReport(d *Data, today Date, phases []Phase, v names.Version) *Report {
	r := &Report{Schema: ReportSchema, Data: d.Origin, DataDate: d.Date.String(), Today: today.String(),
		Series: []SeriesReport{}}
	if !d.Date.IsZero() {
		r.DataDateKind = d.DateKind
	}
	for _, p := range phases {
		r.Series = append(r.Series, SeriesReport{
			Series: p.Series.Name, Status: p.Status, DataStatus: p.Series.Status, Note: p.Note, Summary: p.Summary(),
			FirstRelease: p.Series.FirstRelease.String(), EndOfBugfix: p.EndOfBugfix.String(), BugfixMonths: p.BugfixMonths,
			EndOfLife: p.EndOfLife.String(), EndOfLifeFrom: p.EndOfLifeFrom,
			Branch: p.Series.Branch, PEP: p.Series.PEP, ReleaseManager: p.Series.ReleaseManager,
		})
	}
	if !v.IsZero() && len(phases) > 0 {
		r.Release = releaseReport(v, phases[0])
	}
	return r
}

func releaseReport(v names.Version, p Phase) *ReleaseReport {
	rr := &ReleaseReport{Version: v.String(), Prerelease: v.IsPrerelease(), Phase: "final", PhaseName: PhaseName(v),
		NewestReleaseNote: "release-cycle.json lists series, not releases"}
	switch v.Pre {
	case "a":
		rr.Phase = "alpha"
	case "b":
		rr.Phase = "beta"
	case "rc":
		rr.Phase = "rc"
	}
	if v.IsPrerelease() && v.Patch == 0 {
		rr.FinalRelease = fmt.Sprintf("%d.%d.0", v.Major, v.Minor)
		rr.FinalReleaseDue = p.Series.FirstRelease.String()
		rr.Superseded = !p.Today.Before(p.Series.FirstRelease)
	}
	return rr
}
