package lifecycle

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Date
	}{
		{"2025-10-31", Date{2025, 10, 31}},
		{"2028-10", Date{2028, 10, 0}},
		{"2024-02-29", Date{2024, 2, 29}},
	} {
		got, err := ParseDate(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if got.String() != tc.in {
			t.Errorf("ParseDate(%q).String() = %q", tc.in, got.String())
		}
	}
	for _, in := range []string{"", "2028", "2028-1", "2028-13", "2023-02-29", "2028-10-1", "28-10-01",
		" 2028-10", "2028-10-01T00:00:00Z", "0000-01", "2028/10/01", "2028-10-01x"} {
		if _, err := ParseDate(in); !errors.Is(err, ErrInvalidDate) {
			t.Errorf("ParseDate(%q): err = %v, want ErrInvalidDate", in, err)
		}
	}
	if _, err := ParseDay("2028-10"); err == nil || err.Error() != `invalid date "2028-10": want YYYY-MM-DD` {
		t.Errorf("ParseDay(month) = %v", err)
	}
	long := strings.Repeat("2", 10000)
	if _, err := ParseDate(long); err == nil || len(err.Error()) > 400 {
		t.Errorf("long input: error %q is not cut", err)
	}
}

func TestDateOrder(t *testing.T) {
	month := Date{2026, 10, 0}
	for _, tc := range []struct {
		d, e          Date
		before, after bool
	}{
		{Date{2026, 9, 30}, month, true, false},
		{Date{2026, 10, 1}, month, false, false}, // a month begins on its first day
		{Date{2026, 10, 31}, month, false, true},
		{month, Date{2026, 10, 1}, false, false},
	} {
		if got := tc.d.Before(tc.e); got != tc.before {
			t.Errorf("%v.Before(%v) = %v", tc.d, tc.e, got)
		}
		if got := tc.d.After(tc.e); got != tc.after {
			t.Errorf("%v.After(%v) = %v", tc.d, tc.e, got)
		}
	}
}

func TestAddMonths(t *testing.T) {
	for _, tc := range []struct {
		d    Date
		n    int
		want Date
	}{
		{Date{2023, 10, 2}, 18, Date{2025, 4, 2}},
		{Date{2024, 10, 7}, 24, Date{2026, 10, 7}},
		{Date{2023, 8, 31}, 18, Date{2025, 2, 28}},
		{Date{2022, 8, 31}, 18, Date{2024, 2, 29}},
		{Date{2027, 10, 0}, 60, Date{2032, 10, 0}},
		{Date{2025, 12, 15}, 1, Date{2026, 1, 15}},
		{Date{}, 18, Date{}},
	} {
		if got := tc.d.AddMonths(tc.n); got != tc.want {
			t.Errorf("%v.AddMonths(%d) = %v, want %v", tc.d, tc.n, got, tc.want)
		}
	}
}

func TestDayOf(t *testing.T) {
	// A moment late on 31 December west of UTC is already 1 January in UTC.
	tz := time.FixedZone("UTC-5", -5*3600)
	if got := DayOf(time.Date(2025, 12, 31, 22, 0, 0, 0, tz)); got != (Date{2026, 1, 1}) {
		t.Errorf("DayOf = %v", got)
	}
}
