package feeds_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

// TestOneItemPerStory indexes three articles of one story (same cluster) in
// a fresh Bleve index and checks that the digest has one item for them,
// the earliest, listing the other two outlets.
func TestOneItemPerStory(t *testing.T) {
	idx := openIndex(t, fixtureArticles())
	w := ottwatch.Watchlist{Name: "mise", Entities: []string{"mimit"}}
	hits, err := feeds.Select(context.Background(), idx, w, feeds.Window{}, feeds.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 3 {
		t.Fatalf("%d hits, want the 3 articles of the story", len(hits))
	}
	d := feeds.Build(w, feeds.Window{}, hits, feeds.Options{})
	if len(d.Items) != 1 {
		t.Fatalf("%d items, want 1", len(d.Items))
	}
	it := d.Items[0]
	if it.ArticleID != "a1000000000000000000000000000001" || it.GUID != feeds.GUIDPrefix+storyCluster {
		t.Errorf("item of article %s with guid %s, want the earliest article and the cluster's guid", it.ArticleID, it.GUID)
	}
	var others []string
	for _, o := range it.Others {
		others = append(others, o.Source+" "+o.Link)
	}
	want := []string{"corriere-tlc.example https://www.corriere-tlc.example/2026/amazon-operatore/",
		"tlcweek.example https://www.tlcweek.example/news/amazon-licenza"}
	if !slices.Equal(others, want) {
		t.Errorf("others %q, want %q", others, want)
	}
	if d.Articles != 3 || d.Lang != "it" || !d.Updated.Equal(day.Add(26*time.Hour)) {
		t.Errorf("articles %d, lang %q, updated %v", d.Articles, d.Lang, d.Updated)
	}
	if len(it.Why.Entities) != 1 || it.Why.Entities[0].ID != "mimit" || !slices.Equal(it.Why.Entities[0].Surfaces, []string{"Mise"}) {
		t.Errorf("why %+v, want the ministry named as Mise", it.Why)
	}
}

func TestBuildIsStable(t *testing.T) {
	first := feeds.Build(amazonTelecom, fixtureWindow, fixtureHits(), feeds.Options{})
	for range 20 {
		hits := fixtureHits()
		rand.Shuffle(len(hits), func(i, j int) { hits[i], hits[j] = hits[j], hits[i] })
		d := feeds.Build(amazonTelecom, fixtureWindow, hits, feeds.Options{})
		for i := range first.Items {
			if d.Items[i].GUID != first.Items[i].GUID || d.Items[i].ArticleID != first.Items[i].ArticleID {
				t.Fatalf("item %d: %s (%s), then %s (%s)", i, first.Items[i].GUID, first.Items[i].ArticleID,
					d.Items[i].GUID, d.Items[i].ArticleID)
			}
		}
	}
}

func TestBuildOptions(t *testing.T) {
	d := feeds.Build(amazonTelecom, fixtureWindow, fixtureHits(), feeds.Options{MaxItems: 2})
	if len(d.Items) != 2 || d.Items[0].ArticleID != "c5000000000000000000000000000005" {
		t.Errorf("MaxItems 2: %d items", len(d.Items))
	}
	empty := feeds.Build(amazonTelecom, feeds.Window{}, nil, feeds.Options{Now: now})
	if !empty.Updated.Equal(now) || len(empty.Items) != 0 {
		t.Errorf("empty digest updated %v, want %v", empty.Updated, now)
	}
	windowed := feeds.Build(amazonTelecom, fixtureWindow, nil, feeds.Options{Now: now})
	if !windowed.Updated.Equal(fixtureWindow.Until) {
		t.Errorf("empty digest with a window updated %v, want its end %v", windowed.Updated, fixtureWindow.Until)
	}
}

func TestSections(t *testing.T) {
	tests := []struct {
		group feeds.Group
		want  []string // section titles
	}{
		{feeds.GroupDay, []string{"Tuesday 17 November 2026", "Thursday 12 November 2026", "Tuesday 10 November 2026"}},
		{feeds.GroupEntity, []string{"Amazon"}},
	}
	for _, tt := range tests {
		d := fixtureDigest(tt.group)
		var titles []string
		n := 0
		for _, s := range d.Sections {
			titles = append(titles, s.Title)
			n += len(s.Items)
		}
		if !slices.Equal(titles, tt.want) || n != len(d.Items) {
			t.Errorf("%s: sections %q holding %d items, want %q holding %d", tt.group, titles, n, tt.want, len(d.Items))
		}
	}
	// Without followed entities, each story goes under the entity it names most.
	d := feeds.Build(ottwatch.Watchlist{Name: "all", Query: "x"}, feeds.Window{}, fixtureHits(), feeds.Options{Group: feeds.GroupEntity})
	var titles []string
	for _, s := range d.Sections {
		titles = append(titles, s.Title)
	}
	if want := []string{"Amazon", "Prime Video"}; !slices.Equal(titles, want) {
		t.Errorf("sections %q, want %q", titles, want)
	}
}

func TestTimeline(t *testing.T) {
	weeks := feeds.Timeline([]*ottwatch.Article{
		{Published: day, Entities: []ottwatch.Mention{{ID: "amazon", Count: 3}}},
		{Published: day.Add(24 * time.Hour), Entities: []ottwatch.Mention{{ID: "amazon", Count: 1}, {ID: "agcom", Count: 5}}},
		{Published: day.Add(15 * 24 * time.Hour), Entities: []ottwatch.Mention{{ID: "amazon", Count: 2}}},
		{}, // undated
	}, "amazon", 0)
	want := []feeds.Week{
		{Start: time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC), Articles: 2, Mentions: 4},
		{Start: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)},
		{Start: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), Articles: 1, Mentions: 2},
	}
	if !slices.Equal(weeks, want) {
		t.Errorf("got %+v\nwant %+v", weeks, want)
	}
	if got := feeds.Timeline(nil, "amazon", 0); got != nil {
		t.Errorf("no articles: %v", got)
	}
	last := feeds.Timeline([]*ottwatch.Article{{Published: day}, {Published: day.AddDate(1, 0, 0)}}, "x", 10)
	if len(last) != 10 || last[9].Articles != 1 {
		t.Errorf("maxWeeks 10: %d weeks", len(last))
	}
}
