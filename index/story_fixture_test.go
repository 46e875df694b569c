package index_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp"
)

// labelled is one article of the story fixture and the event it reports.
type labelled struct {
	Event     string    `yaml:"event"`
	Source    string    `yaml:"source"`
	Lang      string    `yaml:"lang"`
	Published time.Time `yaml:"published"`
	Title     string    `yaml:"title"`
	Body      string    `yaml:"body"`
}

// storyFixture returns the articles of testdata/stories/articles.yaml,
// enriched, in the order they were published, and the event of each id.
func storyFixture(t testing.TB) ([]*ottwatch.Article, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "testdata", "stories", "articles.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Articles []labelled `yaml:"articles"`
	}
	if err := yaml.Unmarshal(raw, &f); err != nil {
		t.Fatal(err)
	}
	enricher, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	events := map[string]string{}
	var out []*ottwatch.Article
	for i, l := range f.Articles {
		u := fmt.Sprintf("https://%s/news/%d", l.Source, i)
		a := &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Source: l.Source,
			Title: l.Title, Body: l.Body, HTMLLang: l.Lang, Published: l.Published, Fetched: l.Published.Add(20 * time.Minute)}
		enricher.Enrich(a)
		if a.Lang != l.Lang {
			t.Errorf("article %d (%s): detected %s, labelled %s", i, l.Title, a.Lang, l.Lang)
		}
		events[a.ID] = l.Event
		out = append(out, a)
	}
	slices.SortStableFunc(out, func(x, y *ottwatch.Article) int { return x.Published.Compare(y.Published) })
	return out, events
}

// clusterScores are how a clustering compares with the fixture's labels.
type clusterScores struct {
	Precision, Recall, F1 float64
	// CrossLangRecall is the share of pairs of articles of one event in
	// two languages that share a story.
	CrossLangRecall float64
	// Merges are the pairs of labelled events that share a story.
	Merges []string
}

// scoreClusters computes B-cubed precision and recall of the stories
// assigned to articles against their events.
func scoreClusters(articles []*ottwatch.Article, events map[string]string) clusterScores {
	var s clusterScores
	var crossPairs, crossHit int
	merged := map[string]bool{}
	for _, a := range articles {
		sameStory, sameEvent, both := 0, 0, 0
		for _, b := range articles {
			ss, se := a.Cluster == b.Cluster, events[a.ID] == events[b.ID]
			if ss {
				sameStory++
			}
			if se {
				sameEvent++
			}
			if ss && se {
				both++
			}
			if ss && !se {
				pair := []string{events[a.ID], events[b.ID]}
				slices.Sort(pair)
				merged[pair[0]+" + "+pair[1]] = true
			}
			if se && a.ID < b.ID && a.Lang != b.Lang {
				crossPairs++
				if ss {
					crossHit++
				}
			}
		}
		s.Precision += float64(both) / float64(sameStory)
		s.Recall += float64(both) / float64(sameEvent)
	}
	n := float64(len(articles))
	s.Precision, s.Recall = s.Precision/n, s.Recall/n
	s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	s.CrossLangRecall = float64(crossHit) / float64(crossPairs)
	for m := range merged {
		s.Merges = append(s.Merges, m)
	}
	slices.Sort(s.Merges)
	return s
}

// TestStoryFixture archives the multilingual story fixture one article at
// a time, as crawls would, and scores the stories against the labelled
// events; then reclusters, which must give every article the same story
// and every story the same headline, and scores again.
func TestStoryFixture(t *testing.T) {
	articles, events := storyFixture(t)
	ar, err := index.OpenArchive(filepath.Join(t.TempDir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	for _, a := range articles {
		if _, err := ar.Put([]index.Page{{Article: a}}); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string, articles []*ottwatch.Article) {
		t.Helper()
		s := scoreClusters(articles, events)
		t.Logf("%s: B-cubed precision %.3f recall %.3f F1 %.3f; cross-language pair recall %.3f; merges of labelled events %d",
			when, s.Precision, s.Recall, s.F1, s.CrossLangRecall, len(s.Merges))
		if s.F1 < 0.9 {
			t.Errorf("%s: B-cubed F1 %.3f below 0.9", when, s.F1)
		}
		for _, m := range s.Merges {
			t.Errorf("%s: events merged: %s", when, m)
		}
		if testing.Verbose() {
			for _, a := range articles {
				t.Logf("  %-26s %s %s %.40s", events[a.ID], a.Cluster[:6], a.Lang, a.Title)
			}
		}
	}
	check("incremental", articles)
	if err := ar.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	headlines := func() map[string]string {
		t.Helper()
		stories, err := ar.Stories(index.StoryFilter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, s := range stories {
			out[s.ID] = s.Headline
		}
		return out
	}
	before := headlines()
	if _, err := ar.Recluster(); err != nil {
		t.Fatal(err)
	}
	if after := headlines(); !maps.Equal(after, before) {
		t.Errorf("recluster changed the stories' headlines:\n got %v\nwant %v", after, before)
	}
	var again []*ottwatch.Article
	for _, a := range articles {
		got, err := ar.Get(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Cluster != a.Cluster {
			t.Errorf("recluster moved %q from %s to %s", a.Title, a.Cluster, got.Cluster)
		}
		again = append(again, got)
	}
	check("reclustered", again)
}
