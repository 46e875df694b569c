package indextest

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// The backends Differences knows.
const (
	Bleve       = "bleve"
	Meilisearch = "meili"
)

// difference is a query that the backends answer differently, on purpose
// or because of their engines: what each finds, and why.
type difference struct {
	name  string
	why   string
	q     func(fx map[string]*ottwatch.Article) ottwatch.Query
	bleve []string
	meili []string
	// meiliRefuses says Meilisearch refuses the query as unsupported.
	meiliRefuses bool
}

// text is a query for text alone.
func text(s string) func(map[string]*ottwatch.Article) ottwatch.Query {
	return func(map[string]*ottwatch.Article) ottwatch.Query { return ottwatch.Query{Text: s} }
}

// differences are the documented differences between Bleve and
// Meilisearch; both answer every other case of the suite alike.
var differences = []difference{
	{
		name: "alternatives",
		why:  "Meilisearch cannot search for alternatives joined by OR: it refuses the query (ottwatch.ErrUnsupported) and the user is told to search for each alone",
		q:    text("Agcom OR Netflix"), bleve: []string{It1, It2, En1}, meiliRefuses: true,
	},
	{
		name: "prefix of the last word",
		why:  "Meilisearch reads the last query word as a prefix; Bleve matches whole words",
		q:    text("Netfl"), bleve: nil, meili: []string{En1},
	},
	{
		name: "typo",
		why:  "Meilisearch forgives one typo from 9 letters; Bleve none",
		q:    text("Telefonika"), bleve: nil, meili: []string{Es1},
	},
	{
		name: "typo across languages",
		why:  "Bleve stems English only in English fields; Meilisearch's typo tolerance also reaches the Italian \"operatori\"",
		q:    text("operators"), bleve: []string{En2}, meili: []string{En2, It1},
	},
	{
		name: "English stop word",
		why:  "Bleve's analyzers drop stop words; Meilisearch keeps them as words",
		q:    text("the"), bleve: nil, meili: []string{En2},
	},
	{
		name: "Italian stop word",
		why:  "Bleve's analyzers drop stop words; Meilisearch keeps them as words",
		q:    text("il"), bleve: nil, meili: []string{It1, It2},
	},
	{
		name: "since within a second",
		why:  "Meilisearch filters on Unix seconds: a since inside it1's second still includes it1",
		q: func(fx map[string]*ottwatch.Article) ottwatch.Query {
			return ottwatch.Query{Langs: []string{"it"}, Since: fx[It1].Published.Add(500 * time.Millisecond)}
		},
		bleve: []string{It2}, meili: []string{It1, It2},
	},
	{
		name: "until within a second",
		why:  "Meilisearch filters on Unix seconds: an until inside it1's second already excludes it1",
		q: func(fx map[string]*ottwatch.Article) ottwatch.Query {
			return ottwatch.Query{Langs: []string{"it"}, Until: fx[It1].Published.Add(500 * time.Millisecond)}
		},
		bleve: []string{It1}, meili: nil,
	},
}

// Differences checks that backend, Bleve or Meilisearch, answers the
// queries on which they differ as documented; a subtest per difference
// says why.
func Differences(t *testing.T, backend string, open Opener) {
	if backend != Bleve && backend != Meilisearch {
		t.Fatalf("unknown backend %q", backend)
	}
	x, byID := loaded(t, open)
	fx := Fixtures()
	for _, d := range differences {
		t.Run(d.name, func(t *testing.T) {
			want := d.bleve
			if backend == Meilisearch {
				want = d.meili
			}
			q := d.q(fx)
			if backend == Meilisearch && d.meiliRefuses {
				if _, err := x.Search(t.Context(), q); !errors.Is(err, ottwatch.ErrUnsupported) {
					t.Errorf("Search(%+v): %v, want ottwatch.ErrUnsupported: %s", q, err, d.why)
				}
				return
			}
			if got := sorted(hitNames(search(t, x, q), byID)); !slices.Equal(got, sorted(want)) {
				t.Errorf("Search(%+v) = %v, want %v: %s", q, got, sorted(want), d.why)
			}
		})
	}
}
