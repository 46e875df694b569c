package feeds

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// maxBack is the furthest back a duration may reach.
const maxBack = 100 * 365 * 24 * time.Hour

// ParseWhen reads a point in time as --since, --until and the server's
// since= and until= take it: a duration back from now (90m, 24h, 30d, 2w)
// or a date (2026-01-01, 2026-01-01T10:00, RFC 3339). An empty string is
// the zero time.
func ParseWhen(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.DateOnly, time.RFC3339, "2006-01-02T15:04"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if unit, ok := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]; ok {
		if n, err := strconv.Atoi(s[:len(s)-1]); err == nil && n >= 0 {
			if time.Duration(n) > maxBack/unit {
				return time.Time{}, fmt.Errorf("%q reaches back more than %d years", s, maxBack/(365*24*time.Hour))
			}
			return now.Add(-time.Duration(n) * unit).UTC(), nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		if d > maxBack {
			return time.Time{}, fmt.Errorf("%q reaches back more than %d years", s, maxBack/(365*24*time.Hour))
		}
		return now.Add(-d).UTC(), nil
	}
	return time.Time{}, fmt.Errorf("%q is neither a duration back from now (24h, 30d, 2w) nor a date (2026-01-01)", s)
}
