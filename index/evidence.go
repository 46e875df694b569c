package index

import (
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	gojson "github.com/goccy/go-json"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/calendar"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// evidence is what the archive compares articles on to tell whether they
// report the same event. Entities, topics, amounts and dates do not depend
// on the language an article is written in; terms compare articles of one
// language. The archive keeps the evidence of every clustered article in
// bucketEvidence, so that comparing candidates reads no article.
type evidence struct {
	Lang     string         `json:"lang,omitempty"`
	Time     int64          `json:"time"`              // story time, Unix seconds
	Fetched  int64          `json:"fetched,omitempty"` // Unix seconds
	Source   string         `json:"source,omitempty"`
	Title    string         `json:"title,omitempty"`
	Entities map[string]int `json:"entities,omitempty"` // id → mentions
	Topics   []string       `json:"topics,omitempty"`
	Amounts  []string       `json:"amounts,omitempty"`
	Dates    []string       `json:"dates,omitempty"` // MM-DD
	Terms    termCounts     `json:"terms,omitempty"`
	Story    string         `json:"story"`
}

// maxTerms is how many of an article's most frequent words its evidence
// keeps.
const maxTerms = 60

// evidenceOf returns the evidence of a, in story (its Cluster).
func evidenceOf(a *ottwatch.Article) *evidence {
	text := a.Title + "\n\n" + a.Body
	if strings.TrimSpace(a.Body) == "" {
		text = a.Title + "\n\n" + a.Description
	}
	ev := &evidence{
		Lang: a.Lang, Time: storyTime(a).Unix(), Source: a.Source, Title: a.Title,
		Topics: slices.Clone(a.Topics), Story: a.Cluster,
	}
	if !a.Fetched.IsZero() {
		ev.Fetched = a.Fetched.Unix()
	}
	if len(a.Entities) > 0 {
		ev.Entities = make(map[string]int, len(a.Entities))
		for _, m := range a.Entities {
			ev.Entities[m.ID] += max(m.Count, 1)
		}
	}
	if len(ev.Entities) == 0 {
		// Never a candidate (see eventOf): what it says is not compared.
		return ev
	}
	folded := strings.ToLower(textnorm.Fold(text))
	ev.Dates = datesIn(folded)
	ev.Amounts = amountsIn(folded, a.Lang)
	ev.Terms = termsOf(folded)
	return ev
}

// termsOf counts the words of at least five letters of folded text (which
// leaves out most function words in every language) and keeps the
// maxTerms most frequent.
func termsOf(folded string) termCounts {
	counts := map[string]int{}
	for _, w := range strings.FieldsFunc(folded, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if len(w) >= 5 {
			counts[w]++
		}
	}
	words := make([]string, 0, len(counts))
	for w := range counts {
		words = append(words, w)
	}
	slices.SortFunc(words, func(x, y string) int { return cmp.Or(cmp.Compare(counts[y], counts[x]), cmp.Compare(x, y)) })
	kept := make(termCounts, 0, min(len(words), maxTerms))
	for _, w := range words[:min(len(words), maxTerms)] {
		kept = append(kept, termCount{w, counts[w]})
	}
	slices.SortFunc(kept, func(x, y termCount) int { return cmp.Compare(x.word, y.word) })
	return kept
}

// termCount is a word of an article and how often it occurs.
type termCount struct {
	word string
	n    int
}

// termCounts are the terms of an article's evidence, in the order of their
// words. The archive keeps them as one string, "word:n word:n…" (words are
// runs of letters), which reads back much faster than a JSON object: every
// assignment reads the evidence of dozens of candidates.
type termCounts []termCount

// MarshalJSON writes ts as one string.
func (ts termCounts) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	for i, t := range ts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.word)
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(t.n))
	}
	return json.Marshal(b.String())
}

// UnmarshalJSON reads terms written by MarshalJSON, or as a JSON object of
// counts, as archives kept them before.
func (ts *termCounts) UnmarshalJSON(raw []byte) error {
	if len(raw) > 0 && raw[0] == '{' {
		var m map[string]int
		if err := json.Unmarshal(raw, &m); err != nil {
			return err
		}
		*ts = make(termCounts, 0, len(m))
		for w, n := range m {
			*ts = append(*ts, termCount{w, n})
		}
		slices.SortFunc(*ts, func(x, y termCount) int { return cmp.Compare(x.word, y.word) })
		return nil
	}
	var s string
	if err := gojson.Unmarshal(raw, &s); err != nil {
		return err
	}
	*ts = make(termCounts, 0, strings.Count(s, " ")+1)
	for f := range strings.FieldsSeq(s) {
		w, count, ok := strings.Cut(f, ":")
		n, err := strconv.Atoi(count)
		if !ok || err != nil {
			return fmt.Errorf("terms: malformed %q", f)
		}
		*ts = append(*ts, termCount{w, n})
	}
	return nil
}

// months maps the full names of the months in ottwatch's languages, folded
// as the text they are looked for in, to their numbers: no abbreviations,
// which are ordinary words too where no year follows.
var months = calendar.Months(false)

var (
	monthNames = func() string {
		var ns []string
		for n := range months {
			ns = append(ns, n)
		}
		slices.SortFunc(ns, func(a, b string) int { return cmp.Compare(len(b), len(a)) })
		return strings.Join(ns, "|")
	}()
	// dayMonth matches "15 settembre", "15 de septiembre", "15. September",
	// "1er octobre"; monthDay matches "September 15".
	dayMonth = regexp.MustCompile(`\b([0-3]?\d)(?:\.|er|º|o)?\s+(?:de\s+)?(` + monthNames + `)\b`)
	monthDay = regexp.MustCompile(`\b(` + monthNames + `)\s+([0-3]?\d)\b`)
)

// datesIn returns the days of the year folded text names, as MM-DD,
// sorted and without repeats.
func datesIn(folded string) []string {
	var out []string
	add := func(day, month string) {
		d, err := strconv.Atoi(day)
		if err != nil || d < 1 || d > 31 {
			return
		}
		out = append(out, strconv.Itoa(100 + months[month])[1:]+"-"+strconv.Itoa(100 + d)[1:])
	}
	for _, m := range dayMonth.FindAllStringSubmatch(folded, -1) {
		add(m[1], m[2])
	}
	for _, m := range monthDay.FindAllStringSubmatch(folded, -1) {
		add(m[2], m[1])
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// number matches a figure, its separators and what follows it: a percent
// sign or a scale word.
var number = regexp.MustCompile(`(\d[\d.,  ]*\d|\d)\s*(%|(?:per cento|pour cent|por ciento|prozent|percent|mila|mille|miliardi|miliardo|milliards?|milliarden?|mil millones|millardos?|billions?|bn|mrd|milioni|milione|millions?|millones|millon|millionen|million|mln|mio|m|k)\b)?`)

// scales are the multipliers scale words stand for.
var scales = map[string]float64{
	"mila": 1e3, "mille": 1e3, "k": 1e3,
	"milioni": 1e6, "milione": 1e6, "million": 1e6, "millions": 1e6, "millones": 1e6, "millon": 1e6,
	"millionen": 1e6, "mln": 1e6, "mio": 1e6, "m": 1e6,
	"miliardi": 1e9, "miliardo": 1e9, "milliard": 1e9, "milliards": 1e9, "milliarde": 1e9, "milliarden": 1e9,
	"mil millones": 1e9, "millardo": 1e9, "millardos": 1e9, "billion": 1e9, "billions": 1e9, "bn": 1e9, "mrd": 1e9,
}

// amountsIn returns the amounts, counts and percentages folded text
// gives, as canonical strings rounded to two significant digits, so that
// "1,16 milioni" and "€1.2m" are one amount: percentages, figures with a
// scale word, and plain figures of 100 or more that are not years. A
// figure is read with lang's separators: in English "," groups thousands
// and "." marks decimals, in the other languages the reverse (and spaces
// group thousands).
func amountsIn(folded, lang string) []string {
	var out []string
	for _, m := range number.FindAllStringSubmatch(folded, -1) {
		raw, unit := m[1], m[2]
		v, grouped, ok := parseFigure(raw, lang)
		if !ok {
			continue
		}
		key := ""
		switch {
		case unit == "%" || strings.Contains(unit, "cent") || unit == "prozent" || unit == "percent":
			key = "%"
		case scales[unit] != 0:
			v *= scales[unit]
		case v < 100 || !grouped && v >= 1900 && v <= 2100 && v == math.Trunc(v):
			continue
		}
		out = append(out, key+strconv.FormatFloat(round2(v), 'g', -1, 64))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// parseFigure reads a figure written with lang's separators; grouped says
// whether it had a thousands separator.
func parseFigure(raw, lang string) (v float64, grouped bool, ok bool) {
	raw = strings.NewReplacer(" ", "", "\u00a0", "").Replace(raw)
	grouped = len(raw) != len(strings.TrimSpace(raw))
	thousands, decimal := ".", ","
	if lang == "en" {
		thousands, decimal = ",", "."
	}
	if strings.Count(raw, thousands) > 0 {
		grouped = true
	}
	// A single separator followed by other than three digits is a
	// decimal mark whatever the language ("1.2 million" in Italian
	// copy of an English wire).
	if i := strings.LastIndexAny(raw, ".,"); i >= 0 && strings.Count(raw, raw[i:i+1]) == 1 && len(raw)-i-1 != 3 {
		thousands, decimal = "", raw[i:i+1]
		grouped = strings.ContainsAny(raw[:i], ".,")
	}
	if thousands != "" {
		raw = strings.ReplaceAll(raw, thousands, "")
	}
	raw = strings.ReplaceAll(raw, decimal, ".")
	f, err := strconv.ParseFloat(raw, 64)
	return f, grouped, err == nil
}

// round2 rounds v to two significant digits.
func round2(v float64) float64 {
	if v == 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(math.Abs(v)))-1)
	return math.Round(v/p) * p
}

// The weights of the evidence (see sameEvent).
const (
	weightEntities = 0.6
	weightTopics   = 0.15
	weightTerms    = 0.5
	bonusAmount    = 0.15 // per shared amount, up to two
	penaltyAmount  = 0.3  // amounts on both sides, none shared
	bonusDate      = 0.1
	penaltyDate    = 0.1
	// eventDays is how many days apart two articles may be reported and
	// still score as one event with no penalty; each further day costs
	// penaltyPerDay.
	eventDays     = 2
	penaltyPerDay = 0.04
	// EventThreshold is the score from which two articles report the
	// same event.
	EventThreshold = 0.6
)

// EventWindow is how far apart in time two articles can be and still be
// compared as reports of one event.
const EventWindow = 10 * 24 * time.Hour

// sameEvent scores how likely a and b report one event: from the
// entities they name (a weighted mean of Dice and overlap, each entity
// weighing more the more it is named), the topics they share, the amounts
// and days of the year they both give or disagree on, and, in one
// language, how many words they share (cosine); less the days between
// them beyond eventDays.
func sameEvent(a, b *evidence) float64 {
	s := weightEntities*entityOverlap(a.Entities, b.Entities) + weightTopics*dice(a.Topics, b.Topics)
	s += agreement(a.Amounts, b.Amounts, bonusAmount, penaltyAmount)
	s += agreement(a.Dates, b.Dates, bonusDate, penaltyDate)
	if a.Lang != "" && a.Lang == b.Lang {
		s += weightTerms * cosine(a.Terms, b.Terms)
	}
	days := math.Abs(float64(a.Time-b.Time)) / 86400
	if days > eventDays {
		s -= penaltyPerDay * (days - eventDays)
	}
	return s
}

// entityWeight is how much an entity named n times weighs.
func entityWeight(n int) float64 { return 1 + math.Log(float64(max(n, 1))) }

// entityOverlap is the mean of the weighted Dice coefficient and the
// weighted overlap coefficient of two sets of entities, or only the Dice
// coefficient when they share fewer than two entities.
func entityOverlap(a, b map[string]int) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	// Summed in the order of the ids, so that a score is the same from one
	// run to the next to the last bit (ties between headlines depend on it).
	var shared, wa, wb float64
	common := 0
	for _, id := range slices.Sorted(maps.Keys(a)) {
		n := a[id]
		wa += entityWeight(n)
		if m, ok := b[id]; ok {
			shared += math.Min(entityWeight(n), entityWeight(m))
			common++
		}
	}
	for _, id := range slices.Sorted(maps.Keys(b)) {
		wb += entityWeight(b[id])
	}
	dice := 2 * shared / (wa + wb)
	if common < 2 {
		// One entity in common says little about the event: an article
		// that names only that entity is not thereby covered.
		return dice
	}
	return (dice + shared/math.Min(wa, wb)) / 2
}

// dice is the Dice coefficient of two small sets.
func dice(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for _, x := range a {
		if slices.Contains(b, x) {
			n++
		}
	}
	return 2 * float64(n) / float64(len(a)+len(b))
}

// agreement is bonus for each value two sorted lists share (up to two),
// -penalty when both have values and share none, 0 when either is empty.
func agreement(a, b []string, bonus, penalty float64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	n := 0
	for _, x := range a {
		if _, ok := slices.BinarySearch(b, x); ok {
			n++
		}
	}
	if n == 0 {
		return -penalty
	}
	return bonus * float64(min(n, 2))
}

// cosine is the cosine similarity of two word counts.
func cosine(a, b termCounts) float64 {
	var dot, na, nb float64
	for _, x := range a {
		na += float64(x.n * x.n)
	}
	for _, y := range b {
		nb += float64(y.n * y.n)
	}
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch c := strings.Compare(a[i].word, b[j].word); {
		case c < 0:
			i++
		case c > 0:
			j++
		default:
			dot += float64(a[i].n * b[j].n)
			i, j = i+1, j+1
		}
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}
