package releasedate

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"3.11.4": "3.11.4", "3.3": "3.3.0", "2.7": "2.7.0", "3.14.0a2": "3.14.0a2", "3.12.0rc2": "3.12.0rc2",
		"3.6.0b4": "3.6.0b4", "": "", "3": "", "3.x": "", "3.11.4rc": "", "3.11.4c1": "", "03.1": "", "3.1.2.3": "",
	} {
		got, ok := Key(in)
		if got != want || ok != (want != "") {
			t.Errorf("Key(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestEmbedded(t *testing.T) {
	tb := Embedded()
	if tb.Len() < 600 {
		t.Errorf("only %d releases", tb.Len())
	}
	for tag, want := range map[string]string{
		"3.11.2": "2023-02-07", // Misc/NEWS: a day before PEP 664's 2023-02-08
		"3.11.4": "2023-06-06", "3.13.5": "2025-06-11", "3.14.0a2": "2024-11-19", "3.12.0rc2": "2023-09-06",
		"3.3": "2012-09-29", "2.7.18": "2020-04-20", "3.10.1": "2021-12-06", "3.6.15": "2021-09-04",
		"3.12.4": "2024-06-06", "3.14.1": "2025-12-02",
		// Python-3.13.15's Misc/NEWS and PEP 745: the 2026 releases.
		"3.13.12": "2026-02-03", "3.13.13": "2026-04-07", "3.13.14": "2026-06-10", "3.13.15": "2026-08-05",
		"3.14.3": "2026-02-03", "3.14.4": "2026-04-07",
		// CPython's Misc/NEWS.d: the rest of 2026.
		"3.12.13": "2026-03-03", "3.12.14": "2026-08-12", "3.12.15": "2026-10-01", "3.10.22": "2026-10-01",
		"3.11.17": "2026-10-01", "3.13.16": "2026-09-30", "3.14.5rc1": "2026-05-04", "3.14.8": "2026-09-30",
		"3.15.0a6": "2026-02-11", "3.15.0rc3": "2026-10-02", "3.15.0": "2026-10-09",
	} {
		got, ok := tb.Released(tag)
		if !ok || !got.Equal(day(want)) {
			t.Errorf("Released(%s) = %v, %v; want %s", tag, got, ok, want)
		}
	}
	// Planned releases are not in the table: only what happened.
	for _, tag := range []string{"3.14.9", "3.15.1", "3.13.17", "3.12.16", "3.16.0a1", "9.9.9"} {
		if _, ok := tb.Released(tag); ok {
			t.Errorf("%s is in the table", tag)
		}
	}
	if tb.Latest != "2026-10-09" {
		t.Errorf("Latest = %q; README.md and releasedate/README.md state 2026-10-09: update them", tb.Latest)
	}
}

// TestCheckAfterTable: the real 3.12.13 bundle (logged 2026-03-03) claimed
// as a later 3.12 release the table knows fails; claimed as one after the
// table's last 3.12 release (3.12.15) it is bounded by 3.12.15 only.
func TestCheckAfterTable(t *testing.T) {
	tb := Embedded()
	for _, tag := range []string{"3.12.14", "3.12.15"} {
		if j := tb.Check(tag, day("2026-03-03")); j.Verdict != Before || !j.Exact {
			t.Errorf("%s: %+v", tag, j)
		}
	}
	j := tb.Check("3.12.20", day("2026-03-03"))
	if j.Verdict != Before || j.Exact || j.Previous != "3.12.15" || !j.Day.Equal(day("2026-10-01")) {
		t.Errorf("3.12.20: %+v", j)
	}
	// After the table's last date, a release is bounded by its series'
	// latest known one: bytes signed after it cannot be judged.
	j = tb.Check("3.12.20", day("2026-11-01"))
	if j.Verdict != After || j.Exact || j.Previous != "3.12.15" {
		t.Errorf("3.12.20 signed after 3.12.15: %+v", j)
	}
}

func TestCheck(t *testing.T) {
	tb := Embedded()
	for _, tc := range []struct {
		tag    string
		signed string
		want   Verdict
	}{
		{"3.11.4", "2023-02-08", Before},  // 3.11.2's bytes
		{"3.11.4", "2023-06-03", After},   // within the tolerance
		{"3.11.4", "2023-06-02", Before},  // beyond it
		{"3.10.1", "2023-04-10", After},   // retro-signed
		{"3.99.1", "2000-01-01", Unknown}, // not in the table
		{"3.12.16", "2024-06-06", Before}, // 3.12.4's bytes: 3.12.16 came after 3.12.15
		{"3.12.16", "2026-10-01", After},  // 3.12.15's day: cannot tell
		{"3.12.14", "2026-03-03", Before}, // 3.12.13's bundle
		{"3.12.13", "2026-03-03", After},  // the real 3.12.13 bundle, logged on its release day
		{"3.15.0a6", "2025-01-01", Before},
	} {
		got := tb.Check(tc.tag, day(tc.signed)).Verdict
		if got != tc.want {
			t.Errorf("Check(%s, %s) = %v, want %v", tc.tag, tc.signed, got, tc.want)
		}
	}
}

// TestRealBundles checks that no real python.org bundle was logged before
// its release's day: the table makes no false rejects on real data.
func TestRealBundles(t *testing.T) {
	dir := filepath.Join("..", "verify", "testdata", "bundles")
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.sigstore"))
	if err != nil || len(files) < 25 {
		t.Fatalf("%d bundles (%v)", len(files), err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var b struct {
			VerificationMaterial struct {
				TlogEntries []struct {
					IntegratedTime string `json:"integratedTime"`
				} `json:"tlogEntries"`
			} `json:"verificationMaterial"`
		}
		if err := json.Unmarshal(data, &b); err != nil || len(b.VerificationMaterial.TlogEntries) == 0 {
			t.Fatalf("%s: %v", f, err)
		}
		sec, err := strconv.ParseInt(b.VerificationMaterial.TlogEntries[0].IntegratedTime, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		logged := time.Unix(sec, 0).UTC()
		tag := filepath.Base(filepath.Dir(f))
		j := Embedded().Check(tag, logged)
		v, released := j.Verdict, j.Day
		if v == Unknown {
			t.Logf("%s: %s is not in the table: not judged", filepath.Base(f), tag)
			continue
		}
		if v != After {
			t.Errorf("%s: logged %s, release day %s: verdict %v", f, logged.Format(time.DateOnly), released.Format(time.DateOnly), v)
		}
		t.Logf("%s: logged %s, released %s", filepath.Base(f), logged.Format(time.DateOnly), released.Format(time.DateOnly))
	}
}

func TestCheckBound(t *testing.T) {
	j := Embedded().Check("3.12.16", day("2024-06-06"))
	if j.Verdict != Before || j.Exact || j.Previous != "3.12.15" || !j.Day.Equal(day("2026-10-01")) {
		t.Errorf("%+v", j)
	}
	j = Embedded().Check("3.11.4", day("2023-02-08"))
	if j.Verdict != Before || !j.Exact || j.Previous != "" || !j.Day.Equal(day("2023-06-06")) {
		t.Errorf("%+v", j)
	}
}
