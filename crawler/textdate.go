package crawler

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch/nlp/calendar"
)

// monthNames maps month names and their usual abbreviations to month
// numbers: a date is only read with a day and a year beside its month.
var monthNames = calendar.Months(true)

var (
	monthAlt = func() string {
		names := make([]string, 0, len(monthNames))
		for n := range monthNames {
			names = append(names, regexp.QuoteMeta(n))
		}
		// Longest first, so that "märz" is tried before "mär".
		slices.SortFunc(names, func(a, b string) int { return len(b) - len(a) })
		return strings.Join(names, "|")
	}()
	isoDate     = regexp.MustCompile(`\b((?:19|20)\d\d)-(\d\d)-(\d\d)\b`)
	numericDate = regexp.MustCompile(`\b(\d{1,2})[./](\d{1,2})[./]((?:19|20)\d\d)\b`)
	dayMonth    = regexp.MustCompile(`(?i)\b(\d{1,2})(?:\.|º|er|st|nd|rd|th)?(?:\s+de|,)?\s+(` + monthAlt + `)\.?(?:\s+de|,)?\s+((?:19|20)\d\d)\b`)
	monthDay    = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)\b`)
)

// textDate returns the first date written out in text: 2024-03-15,
// 15.03.2024, 15/03/2024 (03/15/2024 when monthFirst), "15. März 2024",
// "15 de marzo de 2024", "March 15, 2024". It returns the zero time when
// there is none.
func textDate(text string, monthFirst bool) time.Time {
	// Every date has a year: look around each year only, the first one
	// with a date wins.
	for _, loc := range yearPattern.FindAllStringIndex(text, maxYears) {
		window := text[max(0, loc[0]-40):min(len(text), loc[1]+10)]
		if t := windowDate(window, monthFirst); !t.IsZero() {
			return t
		}
	}
	return time.Time{}
}

// maxYears is how many years textDate looks around.
const maxYears = 50

var yearPattern = regexp.MustCompile(`(?:19|20)\d\d`)

// windowDate returns the first date written in a short text.
func windowDate(text string, monthFirst bool) time.Time {
	type found struct {
		at      int
		y, m, d int
	}
	var best *found
	consider := func(at, y, m, d int) {
		if m < 1 || m > 12 || d < 1 || d > 31 || (best != nil && best.at <= at) {
			return
		}
		if time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
			return
		}
		best = &found{at, y, m, d}
	}
	if loc := isoDate.FindStringSubmatchIndex(text); loc != nil {
		consider(loc[0], atoi(text[loc[2]:loc[3]]), atoi(text[loc[4]:loc[5]]), atoi(text[loc[6]:loc[7]]))
	}
	if loc := numericDate.FindStringSubmatchIndex(text); loc != nil {
		a, b, y := atoi(text[loc[2]:loc[3]]), atoi(text[loc[4]:loc[5]]), atoi(text[loc[6]:loc[7]])
		if monthFirst && a <= 12 || b > 12 {
			a, b = b, a
		}
		consider(loc[0], y, b, a)
	}
	if loc := dayMonth.FindStringSubmatchIndex(text); loc != nil {
		consider(loc[0], atoi(text[loc[6]:loc[7]]), monthNames[strings.ToLower(text[loc[4]:loc[5]])], atoi(text[loc[2]:loc[3]]))
	}
	if loc := monthDay.FindStringSubmatchIndex(text); loc != nil {
		consider(loc[0], atoi(text[loc[6]:loc[7]]), monthNames[strings.ToLower(text[loc[2]:loc[3]])], atoi(text[loc[4]:loc[5]]))
	}
	if best == nil {
		return time.Time{}
	}
	return time.Date(best.y, time.Month(best.m), best.d, 0, 0, 0, 0, time.UTC)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}
