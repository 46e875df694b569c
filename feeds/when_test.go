package feeds

import (
	"strings"
	"testing"
	"time"
)

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in, want, err string
	}{
		{"", "0001-01-01T00:00:00Z", ""},
		{"24h", "2026-11-30T12:00:00Z", ""},
		{"30d", "2026-11-01T12:00:00Z", ""},
		{"2w", "2026-11-17T12:00:00Z", ""},
		{"2026-01-01", "2026-01-01T00:00:00Z", ""},
		{"999999999999d", "", "more than 100 years"},
		{"99999999w", "", "more than 100 years"},
		{"2562047h", "", "more than 100 years"},
		{"-3d", "", "neither a duration"},
		{"soon", "", "neither a duration"},
	}
	for _, tt := range tests {
		got, err := ParseWhen(tt.in, now)
		switch {
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
			t.Errorf("ParseWhen(%q) = %v, %v; want an error saying %q", tt.in, got, err, tt.err)
		case tt.err == "" && (err != nil || got.Format(time.RFC3339) != tt.want):
			t.Errorf("ParseWhen(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}
