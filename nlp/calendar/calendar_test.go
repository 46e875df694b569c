package calendar

import "testing"

func TestMonths(t *testing.T) {
	full, abbreviated := Months(false), Months(true)
	tests := []struct {
		name           string
		full, withAbbr int // 0: not a month name
	}{
		{"settembre", 9, 9},
		{"märz", 3, 3},
		{"marz", 3, 3},  // folded
		{"aout", 8, 8},  // folded août
		{"março", 3, 3}, // as written
		{"wrzesnia", 9, 9},
		{"sept", 0, 9},
		{"set", 0, 9},
		{"out", 0, 10},
		{"monday", 0, 0},
	}
	for _, tt := range tests {
		if got := full[tt.name]; got != tt.full {
			t.Errorf("Months(false)[%q] = %d, want %d", tt.name, got, tt.full)
		}
		if got := abbreviated[tt.name]; got != tt.withAbbr {
			t.Errorf("Months(true)[%q] = %d, want %d", tt.name, got, tt.withAbbr)
		}
	}
}
