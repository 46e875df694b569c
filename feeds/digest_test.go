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
	// 25 November 2026 is a Wednesday: the four weeks end with the one
	// starting on Monday the 23rd.
	edges := feeds.WeekEdges(day.Add(15*24*time.Hour), 4)
	monday := func(d int) time.Time { return time.Date(2026, 11, d, 0, 0, 0, 0, time.UTC) }
	wantEdges := []time.Time{monday(2), monday(9), monday(16), monday(23), monday(30)}
	if !slices.Equal(edges, wantEdges) {
		t.Fatalf("WeekEdges: %v, want %v", edges, wantEdges)
	}
	tests := []struct {
		name   string
		counts []int
		want   []feeds.Week
	}{
		{"from the first week with an article", []int{0, 2, 0, 1},
			[]feeds.Week{{Start: monday(9), Articles: 2}, {Start: monday(16)}, {Start: monday(23), Articles: 1}}},
		{"every week", []int{1, 0, 0, 3},
			[]feeds.Week{{Start: monday(2), Articles: 1}, {Start: monday(9)}, {Start: monday(16)}, {Start: monday(23), Articles: 3}}},
		{"none", []int{0, 0, 0, 0}, nil},
		{"no counts", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := feeds.Timeline(edges, tt.counts); !slices.Equal(got, tt.want) {
				t.Errorf("Timeline: %v, want %v", got, tt.want)
			}
		})
	}
}
