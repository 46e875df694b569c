package feeds

import "time"

// Week is one week of an entity's timeline.
type Week struct {
	// Start is the Monday the week starts on, at 00:00 UTC.
	Start time.Time
	// Articles is how many articles published that week name the entity.
	Articles int
}

// WeekEdges returns the n+1 Mondays, at 00:00 UTC, that bound the n weeks
// ending with the week of last: the spans a chart of n weeks counts
// (ottwatch.Query.PublishedEdges).
func WeekEdges(last time.Time, n int) []time.Time {
	end := weekStart(last).AddDate(0, 0, 7)
	edges := make([]time.Time, n+1)
	for i := range edges {
		edges[i] = end.AddDate(0, 0, -7*(n-i))
	}
	return edges
}

// Timeline returns the weeks between edges (WeekEdges) with their counts
// of articles, from the first week that has one, or nil when none has.
func Timeline(edges []time.Time, counts []int) []Week {
	var weeks []Week
	for i, n := range counts {
		if i+1 >= len(edges) {
			break
		}
		if n > 0 || len(weeks) > 0 {
			weeks = append(weeks, Week{Start: edges[i], Articles: n})
		}
	}
	return weeks
}

// weekStart returns the Monday 00:00 UTC of the week t falls in.
func weekStart(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	offset := (int(day.Weekday()) + 6) % 7 // days since Monday
	return day.AddDate(0, 0, -offset)
}
