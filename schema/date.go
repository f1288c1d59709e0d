package schema

import (
	"encoding/json"
	"fmt"
	"time"
)

// Precision of a partial date.
const (
	PrecisionYear  = "year"
	PrecisionMonth = "month"
	PrecisionDay   = "day"
)

// Date is a partial ISO 8601 date as curators write it: 2025, 2025-05 or 2025-05-15.
// The text is kept as written; its precision and the first and last day it covers are
// derived. The zero Date means absent.
type Date struct {
	Text string
}

// IsZero reports whether the date is absent.
func (d Date) IsZero() bool { return d.Text == "" }

func (d Date) String() string { return d.Text }

// MarshalJSON writes the date as its text, a JSON string.
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.Text) }

// Parse checks the date and returns its precision and the first and last day it covers.
func (d Date) Parse() (precision string, first, last time.Time, err error) {
	y, mo, da, ok := splitDate(d.Text)
	if !ok {
		return "", first, last, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", d.Text)
	}
	m := [4]string{d.Text, y, mo, da}
	year := atoi(m[1])
	if year < 1000 {
		return "", first, last, fmt.Errorf("date %q: year %d is out of range", d.Text, year)
	}
	switch {
	case m[2] == "":
		first = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		return PrecisionYear, first, time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC), nil
	case m[3] == "":
		month := atoi(m[2])
		if month < 1 || month > 12 {
			return "", first, last, fmt.Errorf("date %q: there is no month %02d", d.Text, month)
		}
		first = time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		return PrecisionMonth, first, time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC), nil // day 0: the month's last
	}
	month, day := atoi(m[2]), atoi(m[3])
	if month < 1 || month > 12 {
		return "", first, last, fmt.Errorf("date %q: there is no month %02d", d.Text, month)
	}
	first = time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if day < 1 || first.Month() != time.Month(month) {
		return "", first, last, fmt.Errorf("date %q: %s has no day %02d", d.Text, time.Month(month), day)
	}
	return PrecisionDay, first, first, nil
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		n = n*10 + int(c-'0')
	}
	return n
}
