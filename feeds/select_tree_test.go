package feeds

import (
	"context"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// treeIndex answers every search with its hits and tells a hierarchy in
// which prime-video is under amazon.
type treeIndex struct{ hits []ottwatch.Hit }

func (x treeIndex) Get(context.Context, string) (*ottwatch.Article, error) {
	return nil, ottwatch.ErrNotFound
}

func (x treeIndex) Search(context.Context, ottwatch.Query) (*ottwatch.Results, error) {
	return &ottwatch.Results{Total: len(x.hits), Hits: x.hits}, nil
}

func (x treeIndex) Count(context.Context) (int, error) { return len(x.hits), nil }

func (x treeIndex) EntityTree() ottwatch.EntityTree { return amazonTree{} }

type amazonTree struct{}

func (amazonTree) Descendants(id string) []string {
	if id == "amazon" {
		return []string{"prime-video"}
	}
	return nil
}

func (amazonTree) Ancestors(id string) []string {
	if id == "prime-video" {
		return []string{"amazon"}
	}
	return nil
}

// TestSelectCountsDescendants checks that a watchlist's min_mentions counts
// the mentions of the entities under its own, as its searches find them.
func TestSelectCountsDescendants(t *testing.T) {
	now := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	article := func(id string, m ...ottwatch.Mention) ottwatch.Hit {
		return ottwatch.Hit{Article: &ottwatch.Article{ID: id, Published: now.Add(-time.Hour), Entities: m}}
	}
	idx := treeIndex{hits: []ottwatch.Hit{
		article("prime-twice", ottwatch.Mention{ID: "prime-video", Count: 2}),
		article("prime-once", ottwatch.Mention{ID: "prime-video", Count: 1}),
		article("other", ottwatch.Mention{ID: "netflix", Count: 3}),
	}}
	w := ottwatch.Watchlist{Name: "amazon", Entities: []string{"amazon"}, MinMentions: 2}
	hits, err := Select(t.Context(), idx, w, Window{Since: now.Add(-24 * time.Hour), Until: now}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 1 || hits[0].Article.ID != "prime-twice" {
		var ids []string
		for _, h := range hits {
			ids = append(ids, h.Article.ID)
		}
		t.Errorf("Select = %v, want [prime-twice]", ids)
	}
}
