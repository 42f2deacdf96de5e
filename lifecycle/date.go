package lifecycle

import (
	"cmp"
	"errors"
	"fmt"
	"time"

	"github.com/pyverify/pyverify/internal/safetext"
)

// A Date is a calendar day, or a month when Day is 0. release-cycle.json
// writes both: "2025-10-31" and "2028-10".
type Date struct {
	Year, Month, Day int
}

// ErrInvalidDate is wrapped by every error ParseDate and ParseDay return.
var ErrInvalidDate = errors.New("invalid date")

// ParseDate parses YYYY-MM-DD or YYYY-MM.
func ParseDate(s string) (Date, error) {
	if len(s) == len("2006-01") {
		t, err := time.Parse("2006-01", s)
		if err == nil && t.Format("2006-01") == s && t.Year() >= 1 {
			return Date{Year: t.Year(), Month: int(t.Month())}, nil
		}
	} else if d, err := ParseDay(s); err == nil {
		return d, nil
	}
	return Date{}, fmt.Errorf("%w %s: want YYYY-MM-DD or YYYY-MM", ErrInvalidDate, quote(s))
}

// ParseDay parses a full date, YYYY-MM-DD, such as the value of --today.
func ParseDay(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s || t.Year() < 1 {
		return Date{}, fmt.Errorf("%w %s: want YYYY-MM-DD", ErrInvalidDate, quote(s))
	}
	return DayOf(t), nil
}

// quote quotes untrusted text for an error message, cut to a sane length.
func quote(s string) string { return safetext.Quote(s) }

// DayOf returns the calendar day of t in UTC.
func DayOf(t time.Time) Date {
	t = t.UTC()
	return Date{Year: t.Year(), Month: int(t.Month()), Day: t.Day()}
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == Date{} }

// IsMonth reports whether d names a month rather than a day.
func (d Date) IsMonth() bool { return !d.IsZero() && d.Day == 0 }

// String returns the date as release-cycle.json writes it: 2025-10-31 or
// 2028-10; the zero Date is "".
func (d Date) String() string {
	switch {
	case d.IsZero():
		return ""
	case d.Day == 0:
		return fmt.Sprintf("%04d-%02d", d.Year, d.Month)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Start returns the first day d covers: d itself, or the first of its month.
func (d Date) Start() Date {
	if d.Day == 0 && !d.IsZero() {
		d.Day = 1
	}
	return d
}

// Before reports whether d falls before the day e (both compared by Start).
func (d Date) Before(e Date) bool { return d.Start().compare(e.Start()) < 0 }

// After reports whether d falls after the day e (both compared by Start).
func (d Date) After(e Date) bool { return d.Start().compare(e.Start()) > 0 }

func (d Date) compare(e Date) int {
	return cmp.Or(d.Year-e.Year, d.Month-e.Month, d.Day-e.Day)
}

// AddMonths returns d moved by n months. A day that the target month does
// not have becomes its last day (2023-08-31 plus 18 months is 2025-02-28),
// and a month-only date stays month-only.
func (d Date) AddMonths(n int) Date {
	if d.IsZero() {
		return d
	}
	m := d.Year*12 + (d.Month - 1) + n
	out := Date{Year: m / 12, Month: m%12 + 1, Day: d.Day}
	if last := daysIn(out.Year, out.Month); out.Day > last {
		out.Day = last
	}
	return out
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}
