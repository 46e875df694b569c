package feeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/bleve"
	"github.com/ottwatch/ottwatch/nlp"
)

// day is the fixed day the fixture articles are published around.
var day = time.Date(2026, 11, 10, 8, 30, 0, 0, time.UTC)

// storyCluster is the cluster of the three fixture articles on one story.
const storyCluster = "c0ffee00c0ffee00c0ffee00c0ffee00"

// fixtureArticles are a small fixed set of enriched articles: three outlets
// on one story (same cluster), and two stories of their own.
func fixtureArticles() []*ottwatch.Article {
	amazon := func(n int, surfaces ...string) ottwatch.Mention {
		return ottwatch.Mention{ID: "amazon", Name: "Amazon", Type: ottwatch.Company, Count: n, Surfaces: surfaces}
	}
	agcom := ottwatch.Mention{ID: "agcom", Name: "Agcom", Type: ottwatch.Regulator, Count: 2, Surfaces: []string{"Agcom"}}
	mimit := ottwatch.Mention{ID: "mimit", Name: "Ministero delle Imprese e del Made in Italy", Type: ottwatch.Government, Count: 3, Surfaces: []string{"Mise"}}
	return []*ottwatch.Article{
		{
			ID: "a1000000000000000000000000000001", URL: "https://www.telecomitalia-news.example/amazon-mise/",
			CanonicalURL: "https://www.telecomitalia-news.example/amazon-mise/", Source: "telecomitalia-news.example",
			Title:       "Amazon chiede al Mise l’autorizzazione per le telecomunicazioni",
			Description: "Il gruppo di Seattle punta a diventare operatore di comunicazioni elettroniche in Italia.",
			Body:        "Amazon avrebbe richiesto al Mise di essere autorizzato a fornire servizi di telecomunicazioni. L'Agcom osserva.",
			Published:   day, Lang: "it", LangConfidence: 1,
			Entities: []ottwatch.Mention{amazon(6, "Amazon"), mimit, agcom},
			Topics:   []string{"licensing", "market-entry"}, Cluster: storyCluster,
		},
		{
			ID: "a2000000000000000000000000000002", URL: "https://www.corriere-tlc.example/2026/amazon-operatore/",
			Source: "corriere-tlc.example", Title: "Amazon vuole diventare operatore di telecomunicazioni",
			Body:      "Amazon ha chiesto al Mise l'autorizzazione generale per le telecomunicazioni.",
			Published: day.Add(90 * time.Minute), Lang: "it", LangConfidence: 1,
			Entities: []ottwatch.Mention{amazon(4, "Amazon"), mimit},
			Topics:   []string{"licensing"}, Cluster: storyCluster,
		},
		{
			ID: "a3000000000000000000000000000003", URL: "https://www.tlcweek.example/news/amazon-licenza",
			Source: "tlcweek.example", Title: "Amazon, licenza di operatore in Italia",
			Body:      "Secondo indiscrezioni Amazon ha presentato domanda al Mise per le telecomunicazioni.",
			Published: day.Add(26 * time.Hour), Lang: "it", LangConfidence: 1,
			Entities: []ottwatch.Mention{amazon(3, "Amazon"), mimit},
			Topics:   []string{"licensing"}, Cluster: storyCluster,
		},
		{
			ID: "b4000000000000000000000000000004", URL: "https://www.numerama-tech.example/telecoms/amazon-cjue/",
			Source: "numerama-tech.example", Title: "Service client : Amazon n’a pas à fournir de ligne téléphonique, dit la CJUE",
			Body:      "La Cour de justice de l’Union européenne a jugé qu’Amazon n’est pas tenu de proposer une ligne téléphonique.",
			Published: day.Add(48 * time.Hour), Lang: "fr", LangConfidence: 0.98,
			Entities: []ottwatch.Mention{amazon(5, "Amazon"),
				{ID: "cjeu", Name: "Court of Justice of the European Union", Type: ottwatch.Court, Count: 2, Surfaces: []string{"CJUE", "Cour de justice de l’Union européenne"}}},
			Topics: []string{"customer-support"},
		},
		{
			ID: "c5000000000000000000000000000005", URL: "https://www.telecos-hoy.example/prime-video-laliga",
			Source: "telecos-hoy.example", Title: "Prime Video se hace con los derechos de LaLiga",
			Body:      "Amazon Prime Video emitirá partidos de LaLiga. Las telecomunicaciones cambian.",
			Published: day.Add(7*24*time.Hour + 9*time.Hour), Lang: "es", LangConfidence: 0.99,
			Entities: []ottwatch.Mention{{ID: "prime-video", Name: "Prime Video", Type: ottwatch.Product, Count: 3, Surfaces: []string{"Prime Video"}},
				amazon(1, "Amazon")},
			Topics: []string{"sports-rights"},
		},
	}
}

// fixtureSnippets are the snippets an index would give the fixture articles
// for the query "telecomunicazioni".
var fixtureSnippets = map[string]string{
	"a1000000000000000000000000000001": "Amazon avrebbe richiesto al Mise di essere autorizzato a fornire servizi di **telecomunicazioni**. L'Agcom osserva.",
	"a2000000000000000000000000000002": "Amazon ha chiesto al Mise l'autorizzazione generale per le **telecomunicazioni**.",
	"a3000000000000000000000000000003": "Secondo indiscrezioni Amazon ha presentato domanda al Mise per le **telecomunicazioni**.",
	"b4000000000000000000000000000004": "La Cour de justice de l’Union européenne a jugé qu’**Amazon** n’est pas tenu de proposer une ligne téléphonique.",
	"c5000000000000000000000000000005": "Amazon Prime Video emitirá partidos de LaLiga. Las **telecomunicaciones** cambian.",
}

// fixtureHits are the fixture articles as search hits, newest first.
func fixtureHits() []ottwatch.Hit {
	as := fixtureArticles()
	hits := make([]ottwatch.Hit, 0, len(as))
	for i := len(as) - 1; i >= 0; i-- {
		hits = append(hits, ottwatch.Hit{Article: as[i], Score: float64(i + 1), Snippet: fixtureSnippets[as[i].ID]})
	}
	return hits
}

// amazonTelecom is the README's example watchlist.
var amazonTelecom = ottwatch.Watchlist{
	Name: "amazon-telecom", Title: "Amazon in telecom", Query: "telecom OR telecomunicazioni OR télécoms OR telecomunicaciones",
	Entities: []string{"amazon"}, MinMentions: 2,
}

// fixtureWindow holds every fixture article.
var fixtureWindow = feeds.Window{Since: day.Add(-24 * time.Hour), Until: day.Add(30 * 24 * time.Hour)}

// fixtureDigest is the digest of the fixture hits for amazonTelecom.
func fixtureDigest(group feeds.Group) *feeds.Digest {
	return feeds.Build(amazonTelecom, fixtureWindow, fixtureHits(), feeds.Options{
		Group: group, Link: "http://127.0.0.1:8080/", FeedURL: "http://127.0.0.1:8080/feeds/amazon-telecom.rss",
		Lookup: lookup,
	})
}

// lookup looks entities up in the embedded gazetteer.
func lookup(s string) (ottwatch.Entity, bool) { return nlp.DefaultGazetteer().Lookup(s) }

// openIndex returns a fresh Bleve index in a temporary directory holding
// articles.
func openIndex(t testing.TB, articles []*ottwatch.Article) ottwatch.Index {
	t.Helper()
	idx, err := bleve.Open(t.TempDir() + "/bleve")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if err := idx.Upsert(context.Background(), articles); err != nil {
		t.Fatal(err)
	}
	return idx
}

// scoped is an index as 'ottwatch serve' reads it: entity filters take in
// the entities under them, as the embedded gazetteer arranges them.
type scoped struct{ ottwatch.Index }

func (x scoped) Search(ctx context.Context, q ottwatch.Query) (*ottwatch.Results, error) {
	return index.ScopedSearch(ctx, x.Index, nlp.DefaultGazetteer(), q)
}

func (x scoped) EntityTree() ottwatch.EntityTree { return nlp.DefaultGazetteer() }
