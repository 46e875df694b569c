package feeds

import (
	"time"

	"github.com/ottwatch/ottwatch"
)

// Week is one week of an entity's timeline.
type Week struct {
	// Start is the Monday the week starts on, at 00:00 UTC.
	Start time.Time
	// Articles is how many articles published that week name the entity,
	// Mentions how often they name it in all.
	Articles, Mentions int
}

// Timeline counts, week by week, the articles that name entity and their
// mentions of it: from the week of the earliest dated article to that of the
// latest, empty weeks included, keeping the latest maxWeeks weeks when
// maxWeeks > 0. Undated articles are left out.
func Timeline(articles []*ottwatch.Article, entity string, maxWeeks int) []Week {
	counts := make(map[time.Time]*Week)
	var first, last time.Time
	for _, a := range articles {
		if a == nil || a.Published.IsZero() {
			continue
		}
		start := weekStart(a.Published)
		wk := counts[start]
		if wk == nil {
			wk = &Week{Start: start}
			counts[start] = wk
		}
		wk.Articles++
		for _, m := range a.Entities {
			if m.ID == entity {
				wk.Mentions += m.Count
			}
		}
		if first.IsZero() || start.Before(first) {
			first = start
		}
		if start.After(last) {
			last = start
		}
	}
	if len(counts) == 0 {
		return nil
	}
	if maxWeeks > 0 {
		if earliest := last.AddDate(0, 0, -7*(maxWeeks-1)); first.Before(earliest) {
			first = earliest
		}
	}
	var weeks []Week
	for t := first; !t.After(last); t = t.AddDate(0, 0, 7) {
		if wk := counts[t]; wk != nil {
			weeks = append(weeks, *wk)
		} else {
			weeks = append(weeks, Week{Start: t})
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
