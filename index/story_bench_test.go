package index

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	bolterrors "go.etcd.io/bbolt/errors"
	"go.yaml.in/yaml/v3"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/fingerprint"
)

// BenchmarkStoryAssign measures what assigning one new article to its
// story costs (near-duplicate window, candidates from the entity index,
// scoring, story record) in archives of 1,000, 10,000 and 100,000 articles
// of generated news (see newsGenerator): the archive grows from one size to
// the next, and each measured article is assigned in a write transaction
// that is rolled back, so that every one meets the same archive. The
// transaction itself is not measured. The cost must not grow with the
// archive: candidates are the entries of the new article's entities within
// EventWindow, a few ranges of keys, and near-duplicates those of
// ClusterWindow.
func BenchmarkStoryAssign(b *testing.B) {
	ar, err := OpenArchive(filepath.Join(b.TempDir(), "archive.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ar.Close()
	gen := newNewsGenerator(b, 1)
	for _, size := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			for gen.n < size {
				pages := make([]Page, min(1000, size-gen.n))
				for i := range pages {
					pages[i] = Page{Article: gen.next()}
				}
				if _, err := ar.Put(pages); err != nil {
					b.Fatal(err)
				}
			}
			// The articles assigned are those that would come next: some
			// report the events of the last hours, most start their own.
			next := gen.clone()
			var articles []*ottwatch.Article
			for range 512 {
				a := next.next()
				a.Fingerprint = fingerprint.SimHash(a.Body)
				articles = append(articles, a)
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				b.StopTimer()
				a := *articles[i%len(articles)]
				i++
				tx, err := ar.db.Begin(true)
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				if err := assign(tx, &a, nil, uint64(gen.n+i)); err != nil {
					b.Fatal(err)
				}
				if err := indexStory(tx, &a, uint64(gen.n+i)); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if err := tx.Rollback(); err != nil && !errors.Is(err, bolterrors.ErrTxClosed) {
					b.Fatal(err)
				}
				b.StartTimer()
			}
			b.StopTimer()
			stories, err := ar.Stories(StoryFilter{})
			if err != nil {
				b.Fatal(err)
			}
			largest := 0
			for _, s := range stories {
				largest = max(largest, len(s.Articles))
			}
			b.ReportMetric(float64(size)/float64(len(stories)), "articles/story")
			b.ReportMetric(float64(largest), "largest-story")
		})
	}
}

// newsGenerator makes news as it comes, for benchmarks: events, each a
// move of two to four of 300 entities (the popular ones in many events) on
// one day, with an amount or a date most of the time, reported by one to
// eight outlets in five languages within two days. Each article is written
// with the words of the story fixture's articles in its language, as often
// as they occur there, and words of its own event; 300 articles a day, so
// that 100,000 articles span eleven months. The articles of a few dozen
// events are returned shuffled, as crawls of several outlets bring them.
type newsGenerator struct {
	src      *rand.PCG
	rng      *rand.Rand
	words    map[string][]string // language → the fixture's words, repeated as often as they occur
	entities *rand.Zipf
	n        int                 // articles returned
	queue    []*ottwatch.Article // made, not yet returned
}

// newsLangs are the languages of generated news, and newsMonths the names
// of the months in each.
var (
	newsLangs  = []string{"it", "fr", "es", "de", "en"}
	newsMonths = map[string][]string{
		"it": {"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"},
		"fr": {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
		"es": {"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
		"de": {"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
	}
)

// newsPerDay is how many articles a day generated news brings.
const newsPerDay = 300

// newsStart is when generated news starts.
var newsStart = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// newNewsGenerator returns a generator of news seeded with seed.
func newNewsGenerator(tb testing.TB, seed uint64) *newsGenerator {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "stories", "articles.yaml"))
	if err != nil {
		tb.Fatal(err)
	}
	var f struct {
		Articles []struct {
			Lang  string `yaml:"lang"`
			Title string `yaml:"title"`
			Body  string `yaml:"body"`
		} `yaml:"articles"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		tb.Fatal(err)
	}
	words := map[string][]string{}
	for _, a := range f.Articles {
		words[a.Lang] = append(words[a.Lang], strings.FieldsFunc(a.Title+" "+a.Body, func(r rune) bool { return !unicode.IsLetter(r) })...)
	}
	src := rand.NewPCG(seed, 7)
	rng := rand.New(src)
	return &newsGenerator{src: src, rng: rng, words: words, entities: rand.NewZipf(rng, 1.2, 4, 299)}
}

// clone returns a generator that makes what g would make next, leaving g
// as it is.
func (g *newsGenerator) clone() *newsGenerator {
	c := *g
	state, _ := g.src.MarshalBinary()
	c.src = new(rand.PCG)
	_ = c.src.UnmarshalBinary(state)
	c.rng = rand.New(c.src)
	c.entities = rand.NewZipf(c.rng, 1.2, 4, 299)
	c.queue = make([]*ottwatch.Article, len(g.queue))
	for i, a := range g.queue {
		cp := *a
		c.queue[i] = &cp
	}
	return &c
}

// next returns the next article.
func (g *newsGenerator) next() *ottwatch.Article {
	if len(g.queue) == 0 {
		for range 30 {
			g.queue = append(g.queue, g.event()...)
		}
		g.rng.Shuffle(len(g.queue), func(i, j int) { g.queue[i], g.queue[j] = g.queue[j], g.queue[i] })
	}
	a := g.queue[0]
	g.queue = g.queue[1:]
	g.n++
	return a
}

// event returns the articles of a new event, happening when the articles
// made so far put it.
func (g *newsGenerator) event() []*ottwatch.Article {
	r := g.rng
	made := g.n + len(g.queue)
	at := newsStart.Add(time.Duration(made) * 24 * time.Hour / newsPerDay)
	var ents []ottwatch.Mention
	for len(ents) < 2+r.IntN(3) {
		id := fmt.Sprintf("entity-%d", g.entities.Uint64())
		if !slices.ContainsFunc(ents, func(m ottwatch.Mention) bool { return m.ID == id }) {
			ents = append(ents, ottwatch.Mention{ID: id, Name: id, Type: ottwatch.Company})
		}
	}
	topic := []string{"regulation", "fiber", "mobile", "ott", "m&a", "fines", "licensing", "results"}[r.IntN(8)]
	amount := 0
	if r.IntN(10) < 6 {
		amount = 1 + r.IntN(900)
	}
	day := 0
	if r.IntN(2) == 0 {
		day = 1 + r.IntN(28)
	}
	own := map[string][]string{} // the event's own words, per language
	size := 1
	for size < 8 && r.IntN(100) < 55 {
		size++
	}
	var out []*ottwatch.Article
	for range size {
		lang := newsLangs[r.IntN(len(newsLangs))]
		if own[lang] == nil {
			for range 12 {
				own[lang] = append(own[lang], g.word(lang, 5))
			}
		}
		var body strings.Builder
		for range 150 + r.IntN(150) {
			if r.IntN(10) < 3 {
				body.WriteString(own[lang][r.IntN(len(own[lang]))])
			} else {
				body.WriteString(g.word(lang, 0))
			}
			body.WriteByte(' ')
		}
		if amount > 0 {
			body.WriteString(amountIn(lang, amount))
		}
		if day > 0 {
			body.WriteString(" " + dayIn(lang, day, at.Month()))
		}
		title := strings.Join(own[lang][:6], " ")
		u := fmt.Sprintf("https://news%d.example/%s/%d", r.IntN(40), lang, made+len(out))
		pub := at.Add(time.Duration(r.IntN(48*60)) * time.Minute)
		a := &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Source: strings.Split(u, "/")[2],
			Title: title, Body: body.String(), Lang: lang, Published: pub, Fetched: pub.Add(20 * time.Minute), Topics: []string{topic}}
		for _, m := range ents {
			m.Count = 1 + r.IntN(4)
			a.Entities = append(a.Entities, m)
		}
		out = append(out, a)
	}
	return out
}

// word returns a word of lang's fixture articles of at least minLen
// letters, drawn as often as it occurs there.
func (g *newsGenerator) word(lang string, minLen int) string {
	ws := g.words[lang]
	for {
		if w := ws[g.rng.IntN(len(ws))]; len(w) >= minLen {
			return w
		}
	}
}

// amountIn writes an amount of millions of euros as lang writes it.
func amountIn(lang string, millions int) string {
	return fmt.Sprintf(map[string]string{
		"it": "per %d milioni di euro.", "fr": "pour %d millions d'euros.", "es": "por %d millones de euros.",
		"de": "für %d Millionen Euro.", "en": "for €%dm.",
	}[lang], millions)
}

// dayIn writes a day of the year as lang writes it.
func dayIn(lang string, day int, month time.Month) string {
	name := newsMonths[lang][month-1]
	switch lang {
	case "es":
		return fmt.Sprintf("el %d de %s.", day, name)
	case "de":
		return fmt.Sprintf("am %d. %s.", day, name)
	case "en":
		return fmt.Sprintf("on %s %d.", name, day)
	case "fr":
		return fmt.Sprintf("le %d %s.", day, name)
	}
	return fmt.Sprintf("il %d %s.", day, name)
}
