package indextest

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// The names of the cluster fixtures: one agency story on three outlets
// (one cluster), two other stories about the same company (a cluster each)
// and one article archived before clustering (no cluster).
const (
	StoryA1 = "storyA1" // wire copy, tlc-oggi.example
	StoryA2 = "storyA2" // same story, corcom-news.example, "intesa" in its title
	StoryA3 = "storyA3" // same story with commentary, mercatitelco.example, newest copy
	StoryB  = "storyB"  // Iliad's quarterly results, tlc-oggi.example
	StoryC  = "storyC"  // Iliad's 5G standalone, corcom-news.example
	StoryD  = "storyD"  // Iliad's eSIM, no cluster
)

// clusterNames are the cluster fixtures, in order.
var clusterNames = []string{StoryA1, StoryA2, StoryA3, StoryB, StoryC, StoryD}

var storyDay = time.Date(2026, 11, 12, 9, 0, 0, 0, time.UTC)

const wireBody = "Iliad ha firmato con FiberCop un accordo pluriennale per l’accesso alla rete in fibra ottica: la nuova intesa porterà le offerte fisse dell’operatore in altri tre milioni di abitazioni entro la fine del 2027.\n\nIl contratto dura dieci anni e prevede prezzi decrescenti legati ai volumi."

// ClusterFixtures returns articles that carry story clusters, a fresh copy
// each call, keyed by name: StoryA1, StoryA2 and StoryA3 share the cluster
// StoryA1's id, StoryB and StoryC each have their own, StoryD none. Their
// fingerprints use all 64 bits.
func ClusterFixtures() map[string]*ottwatch.Article {
	story := func(source, path, title, body string, pub time.Time, fp uint64) *ottwatch.Article {
		u := "https://www." + source + path
		return &ottwatch.Article{
			URL: u, CanonicalURL: u, Source: source, Title: title, Body: body,
			Published: pub, Lang: "it", Fingerprint: fp,
			Entities: []ottwatch.Mention{{ID: "iliad", Name: "Iliad", Type: ottwatch.Company, Count: 2}},
		}
	}
	fx := map[string]*ottwatch.Article{
		StoryA1: story("tlc-oggi.example", "/iliad-fibercop/", "Iliad, accordo decennale con FiberCop sulla fibra",
			"(ATP) – "+wireBody, storyDay, 0xf00dfeedcafe0001),
		StoryA2: story("corcom-news.example", "/iliad-fibercop-intesa", "Fibra, intesa Iliad-FiberCop per dieci anni",
			wireBody, storyDay.Add(time.Hour), 0xf00dfeedcafe0003),
		StoryA3: story("mercatitelco.example", "/iliad-fibercop.html", "Iliad sceglie la rete di FiberCop",
			wireBody+"\n\nIl nostro commento: la rete unica prende forma per contratto.", storyDay.Add(3*time.Hour), 0xf00dfeedcafe0007),
		StoryB: story("tlc-oggi.example", "/iliad-conti/", "Iliad, ricavi in crescita nel terzo trimestre",
			"Iliad chiude il terzo trimestre con ricavi in crescita del sei per cento, spinti dalla telefonia mobile.", storyDay.Add(24*time.Hour), 0x0123456789abcdef),
		StoryC: story("corcom-news.example", "/iliad-5g", "Iliad accende il 5G standalone",
			"Iliad porta il 5G standalone a tutti i suoi clienti, senza costi aggiuntivi.", storyDay.Add(-48*time.Hour), 0x8000000000000000),
		StoryD: story("tlc-oggi.example", "/iliad-esim/", "Iliad lancia l’eSIM digitale",
			"Iliad permette di attivare la linea dall’app, con la eSIM.", storyDay.Add(-120*time.Hour), 0),
	}
	for _, a := range fx {
		a.ID = ottwatch.ArticleID(a.CanonicalURL)
	}
	for _, n := range []string{StoryA1, StoryA2, StoryA3} {
		fx[n].Cluster = fx[StoryA1].ID
	}
	fx[StoryB].Cluster, fx[StoryC].Cluster = fx[StoryB].ID, fx[StoryC].ID
	return fx
}

// loadedClusters returns a fresh index holding the fixtures and the cluster
// fixtures, and the map from id to name.
func loadedClusters(t *testing.T, open Opener) (ottwatch.Index, map[string]string) {
	t.Helper()
	x, byID := loaded(t, open)
	var list []*ottwatch.Article
	for _, n := range clusterNames {
		a := ClusterFixtures()[n]
		list = append(list, a)
		byID[a.ID] = n
	}
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatalf("Upsert cluster fixtures: %v", err)
	}
	return x, byID
}

// collapse returns the names of hits keeping the first of each cluster, as
// Query.Collapse must; an article without a cluster is its own.
func collapse(res *ottwatch.Results, byID map[string]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, h := range res.Hits {
		c := h.Article.Cluster
		if c == "" {
			c = "\x00" + h.Article.ID
		}
		if !seen[c] {
			seen[c] = true
			out = append(out, byID[h.Article.ID])
		}
	}
	return out
}

func testCollapse(t *testing.T, open Opener) {
	x, byID := loadedClusters(t, open)
	until := storyDay.Add(2 * time.Hour)
	tests := []struct {
		name string
		q    ottwatch.Query
		want []string // nil: whatever collapsing the uncollapsed hits gives
	}{
		{"by date", ottwatch.Query{Sort: ottwatch.SortDate}, append([]string{StoryB, StoryA3, StoryC, StoryD}, byDate...)},
		{"text by date", ottwatch.Query{Text: "Iliad", Sort: ottwatch.SortDate}, []string{StoryB, StoryA3, StoryC, StoryD}},
		{"title match ranks first", ottwatch.Query{Text: "intesa"}, []string{StoryA2}},
		{"filter keeps one copy", ottwatch.Query{Sources: []string{"tlc-oggi.example"}, Sort: ottwatch.SortDate}, []string{StoryB, StoryA1, StoryD}},
		{"newest copy in the window", ottwatch.Query{Text: "Iliad", Until: until, Sort: ottwatch.SortDate}, []string{StoryA2, StoryC, StoryD}},
		{"relevance", ottwatch.Query{Text: "Iliad FiberCop fibra"}, nil},
		{"nothing", ottwatch.Query{Text: "zzyzzyva"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Limit = 100
			full := search(t, x, q)
			want := collapse(full, byID)
			if tt.want != nil && !slices.Equal(want, tt.want) {
				t.Fatalf("uncollapsed Search(%+v) = %v: collapsing it gives %v, want %v", q, hitNames(full, byID), want, tt.want)
			}
			q.Collapse = true
			res := search(t, x, q)
			if got := hitNames(res, byID); !slices.Equal(got, want) {
				t.Errorf("Search(%+v) = %v, want %v", q, got, want)
			}
			if res.Total != len(want) {
				t.Errorf("Search(%+v): Total = %d, want %d clusters", q, res.Total, len(want))
			}
			count := q
			count.CountOnly = true
			if res := search(t, x, count); res.Total != len(want) || len(res.Hits) != 0 {
				t.Errorf("Search(%+v): Total %d and %d hits, want %d clusters and no hit", count, res.Total, len(res.Hits), len(want))
			}
			for _, limit := range []int{1, 2, 3} {
				var pages []string
				for offset := 0; offset < len(want)+limit; offset += limit {
					p := q
					p.Limit, p.Offset = limit, offset
					res := search(t, x, p)
					if res.Total != len(want) || len(res.Hits) > limit {
						t.Errorf("Search(%+v): Total %d and %d hits, want %d and at most %d", p, res.Total, len(res.Hits), len(want), limit)
					}
					pages = append(pages, hitNames(res, byID)...)
				}
				if !slices.Equal(pages, want) {
					t.Errorf("pages of %d of %+v = %v, want %v", limit, q, pages, want)
				}
			}
		})
	}
}

// testStoryFilter checks that Query.Stories keeps the articles of the
// stories it names, alone or with other filters, collapsed or not.
func testStoryFilter(t *testing.T, open Opener) {
	x, byID := loadedClusters(t, open)
	fx := ClusterFixtures()
	a, b := fx[StoryA1].Cluster, fx[StoryB].Cluster
	runMatches(t, x, byID, []matchCase{
		{"one story", ottwatch.Query{Stories: []string{a}}, []string{StoryA1, StoryA2, StoryA3}},
		{"stories any", ottwatch.Query{Stories: []string{a, b}}, []string{StoryA1, StoryA2, StoryA3, StoryB}},
		{"with a source", ottwatch.Query{Stories: []string{a}, Sources: []string{"corcom-news.example"}}, []string{StoryA2}},
		{"with text", ottwatch.Query{Text: "commento", Stories: []string{a, b}}, []string{StoryA3}},
		{"unknown story", ottwatch.Query{Stories: []string{"0123456789abcdef0123456789abcdef"}}, nil},
	})
	res := search(t, x, ottwatch.Query{Stories: []string{a}, Sort: ottwatch.SortDate, Facets: true, Limit: 10})
	if got := hitNames(res, byID); !slices.Equal(got, []string{StoryA3, StoryA2, StoryA1}) {
		t.Errorf("story %s newest first = %v", a, got)
	}
	if got := res.Facets[ottwatch.FacetSource]; !reflect.DeepEqual(got, fc("corcom-news.example", 1, "mercatitelco.example", 1, "tlc-oggi.example", 1)) {
		t.Errorf("source facet of story %s: %v", a, got)
	}
	if res := search(t, x, ottwatch.Query{Stories: []string{a, b}, Collapse: true, Limit: 10}); res.Total != 2 || len(res.Hits) != 2 {
		t.Errorf("two stories collapsed: Total %d, %d hits; want 2 and 2", res.Total, len(res.Hits))
	}
}

// testCollapseFacets checks that the facets of a collapsed search count
// every matching article, not clusters.
func testCollapseFacets(t *testing.T, open Opener) {
	x, _ := loadedClusters(t, open)
	q := ottwatch.Query{Text: "Iliad", Facets: true}
	want := search(t, x, q).Facets
	if got := want[ottwatch.FacetSource]; !reflect.DeepEqual(got, fc("tlc-oggi.example", 3, "corcom-news.example", 2, "mercatitelco.example", 1)) {
		t.Fatalf("source facet of %+v: %v", q, got)
	}
	q.Collapse = true
	res := search(t, x, q)
	if !reflect.DeepEqual(res.Facets, want) {
		t.Errorf("facets of %+v:\n got %v\nwant %v", q, res.Facets, want)
	}
	q.CountOnly = true
	if res := search(t, x, q); !reflect.DeepEqual(res.Facets, want) {
		t.Errorf("facets of %+v:\n got %v\nwant %v", q, res.Facets, want)
	}
	q.Facets, q.CountOnly = false, false
	if res := search(t, x, q); len(res.Facets) != 0 {
		t.Errorf("facets not asked for: got %v", res.Facets)
	}
}

// testClusterRoundTrip checks that Get and hits return the cluster and the
// fingerprint of an article as it was upserted.
func testClusterRoundTrip(t *testing.T, open Opener) {
	x, byID := loadedClusters(t, open)
	fx := ClusterFixtures()
	for _, n := range clusterNames {
		got, err := x.Get(t.Context(), fx[n].ID)
		if err != nil {
			t.Fatalf("Get %s: %v", n, err)
		}
		if got.Cluster != fx[n].Cluster || got.Fingerprint != fx[n].Fingerprint {
			t.Errorf("Get %s: cluster %q fingerprint %x, want %q %x", n, got.Cluster, got.Fingerprint, fx[n].Cluster, fx[n].Fingerprint)
		}
	}
	for _, h := range search(t, x, ottwatch.Query{Text: "Iliad", Limit: 100}).Hits {
		if want := fx[byID[h.Article.ID]]; h.Article.Cluster != want.Cluster || h.Article.Fingerprint != want.Fingerprint {
			t.Errorf("hit %s: cluster %q fingerprint %x", byID[h.Article.ID], h.Article.Cluster, h.Article.Fingerprint)
		}
	}
}
