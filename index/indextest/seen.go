package indextest

import (
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// The names of the first-seen fixtures: when each was published and when
// ottwatch first fetched it, around seenDay.
const (
	SeenLate      = "seenLate"      // published five days before, fetched on the day
	SeenPrompt    = "seenPrompt"    // published on the day, fetched twenty minutes later
	SeenUndated   = "seenUndated"   // no publication date, fetched on the day
	SeenUnfetched = "seenUnfetched" // published on the day, no fetch time
	SeenBefore    = "seenBefore"    // published and fetched the day before
)

var seenDay = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

// SeenFixtures returns articles whose publication and first fetch differ,
// a fresh copy each call, keyed by name.
func SeenFixtures() map[string]*ottwatch.Article {
	article := func(path, lang, title string, published, fetched time.Time) *ottwatch.Article {
		u := "https://www.telecompaper.example/" + path
		return &ottwatch.Article{
			ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Source: "telecompaper.example", Lang: lang,
			Title: title, Body: title + ".", Published: published, Fetched: fetched,
			Entities: []ottwatch.Mention{{ID: "iliad", Name: "Iliad", Type: ottwatch.Company, Count: 1}},
		}
	}
	h := func(d time.Duration) time.Time { return seenDay.Add(d) }
	return map[string]*ottwatch.Article{
		SeenLate:      article("late", "it", "Iliad, ricorso al Tar contro la multa", h(-5*24*time.Hour+9*time.Hour), h(6*time.Hour)),
		SeenPrompt:    article("prompt", "fr", "Iliad lance une offre fibre", h(8*time.Hour), h(8*time.Hour+20*time.Minute)),
		SeenUndated:   article("undated", "it", "Iliad e la rete unica", time.Time{}, h(10*time.Hour)),
		SeenUnfetched: article("unfetched", "it", "Iliad supera i dodici milioni di clienti", h(9*time.Hour), time.Time{}),
		SeenBefore:    article("before", "fr", "Iliad rachète un opérateur", h(-14*time.Hour), h(-13*time.Hour)),
	}
}

// testFirstSeen checks the bounds on when ottwatch first fetched an
// article (SeenSince inclusive, SeenUntil exclusive), alone and with the
// publication bounds and other filters, which they narrow.
func testFirstSeen(t *testing.T, open Opener) {
	x := open(t)
	fx := SeenFixtures()
	byID := map[string]string{}
	var list []*ottwatch.Article
	for name, a := range fx {
		byID[a.ID] = name
		list = append(list, a)
	}
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatalf("Upsert: %v", err)
	}
	day := seenDay
	prompt := fx[SeenPrompt].Fetched
	runMatches(t, x, byID, []matchCase{
		{"seen on the day", ottwatch.Query{SeenSince: day, SeenUntil: day.Add(24 * time.Hour)},
			[]string{SeenLate, SeenPrompt, SeenUndated}},
		{"published on the day", ottwatch.Query{Since: day, Until: day.Add(24 * time.Hour)},
			[]string{SeenPrompt, SeenUnfetched}},
		{"seen since inclusive", ottwatch.Query{SeenSince: prompt}, []string{SeenPrompt, SeenUndated}},
		{"seen since other zone", ottwatch.Query{SeenSince: prompt.In(cet)}, []string{SeenPrompt, SeenUndated}},
		{"seen until exclusive", ottwatch.Query{SeenUntil: prompt}, []string{SeenLate, SeenBefore}},
		{"seen the day before", ottwatch.Query{SeenUntil: day}, []string{SeenBefore}},
		{"seen and published", ottwatch.Query{Since: day.Add(-48 * time.Hour), SeenSince: day}, []string{SeenPrompt}},
		{"seen and lang", ottwatch.Query{SeenSince: day, Langs: []string{"it"}}, []string{SeenLate, SeenUndated}},
		{"seen and text", ottwatch.Query{Text: "multa", SeenSince: day}, []string{SeenLate}},
		{"seen and entity", ottwatch.Query{Entities: []string{"iliad"}, SeenSince: day.Add(24 * time.Hour)}, nil},
	})
}
