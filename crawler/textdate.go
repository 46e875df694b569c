package crawler

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// monthNames maps month names and their usual abbreviations, lower case,
// in the languages of the news ottwatch reads, to month numbers.
var monthNames = func() map[string]int {
	m := make(map[string]int)
	for i, names := range [12]string{
		"january jan januar jänner janvier janv enero ene gennaio gen janeiro stycznia styczeń styczen januari",
		"february feb februar feber février fevrier févr fevr febrero febbraio fevereiro fev lutego luty februari",
		"march mar märz maerz mär mars marzo março marco marca marzec maart",
		"april apr avril avr abril abr aprile kwietnia kwiecień kwiecien",
		"may mai mayo maggio mag maio maja maj mei",
		"june jun juni juin junio giugno giu junho czerwca czerwiec",
		"july jul juli juillet juil julio luglio lug julho lipca lipiec",
		"august aug août aout agosto ago sierpnia sierpień sierpien augustus",
		"september sep sept septembre septiembre settembre set setembro września wrzesnia wrzesień",
		"october oct oktober okt octobre octubre ottobre ott outubro out października pazdziernika październik",
		"november nov novembre noviembre novembro listopada listopad",
		"december dec dezember dez décembre decembre déc diciembre dic dicembre dezembro grudnia grudzień grudzien",
	} {
		for _, n := range strings.Fields(names) {
			m[n] = i + 1
		}
	}
	return m
}()

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
