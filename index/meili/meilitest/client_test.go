package meilitest

import (
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// TestClient checks that the official Go client reads every answer of the
// double: tasks, settings, documents, search, stats and errors.
func TestClient(t *testing.T) {
	s := NewServer(WithMasterKey(key))
	defer s.Close()
	ctx := t.Context()
	c := meilisearch.New(s.URL(), meilisearch.WithAPIKey(key), meilisearch.DisableRetries())
	wait := func(info *meilisearch.TaskInfo, err error) *meilisearch.Task {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		task, err := c.WaitForTaskWithContext(ctx, info.TaskUID, time.Millisecond)
		if err != nil {
			t.Fatal(err)
		}
		return task
	}
	if task := wait(c.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: "books", PrimaryKey: "id"})); task.Status != meilisearch.TaskStatusSucceeded {
		t.Fatalf("create index: %+v", task)
	}
	idx := c.Index("books")
	settings := &meilisearch.Settings{
		SearchableAttributes: []string{"title"},
		FilterableAttributes: []string{"genre", "year"},
		SortableAttributes:   []string{"year"},
		TypoTolerance:        &meilisearch.TypoTolerance{Enabled: true, MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 4, TwoTypos: 8}},
		Faceting:             &meilisearch.Faceting{MaxValuesPerFacet: 10, SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount}},
		LocalizedAttributes:  []*meilisearch.LocalizedAttributes{{AttributePatterns: []string{"*_it"}, Locales: []string{"ita"}}},
	}
	if task := wait(idx.UpdateSettingsWithContext(ctx, settings)); task.Status != meilisearch.TaskStatusSucceeded {
		t.Fatalf("update settings: %+v", task)
	}
	got, err := idx.GetSettingsWithContext(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.TypoTolerance.MinWordSizeForTypos.OneTypo != 4 || got.Faceting.MaxValuesPerFacet != 10 || got.LocalizedAttributes[0].Locales[0] != "ita" {
		t.Errorf("settings read back: %+v", got)
	}
	docs := []map[string]any{{"id": 1, "title": "Dune", "genre": "sf", "year": 1965}, {"id": 2, "title": "Emma", "genre": "novel", "year": 1815}}
	if task := wait(idx.AddDocumentsWithContext(ctx, docs, nil)); task.Status != meilisearch.TaskStatusSucceeded || task.Details.IndexedDocuments != 2 {
		t.Fatalf("add documents: %+v", task)
	}
	var doc map[string]any
	if err := idx.GetDocumentWithContext(ctx, "1", nil, &doc); err != nil || doc["title"] != "Dune" {
		t.Errorf("get document: %v %v", doc, err)
	}
	err = idx.GetDocumentWithContext(ctx, "9", nil, &doc)
	if me, ok := err.(*meilisearch.Error); !ok || me.StatusCode != 404 || me.MeilisearchApiError.Code != "document_not_found" {
		t.Errorf("missing document: %v", err)
	}
	per := int64(1)
	res, err := idx.SearchWithContext(ctx, "dun", &meilisearch.SearchRequest{
		HitsPerPage: &per, Page: 1, Facets: []string{"genre"}, Filter: "year > 1900", Sort: []string{"year:desc"}, ShowRankingScore: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalHits != 1 || len(res.Hits) != 1 || string(res.FacetDistribution) != `{"genre":{"sf":1}}` {
		t.Errorf("search: %+v", res)
	}
	stats, err := idx.GetStatsWithContext(ctx, nil)
	if err != nil || stats.NumberOfDocuments != 2 {
		t.Errorf("stats: %+v %v", stats, err)
	}
	s.FailTasks(1)
	if task := wait(idx.DeleteDocumentsWithContext(ctx, []string{"1"}, nil)); task.Status != meilisearch.TaskStatusFailed || task.Error.Code != "internal" {
		t.Errorf("failed task: %+v", task)
	}
	if task := wait(idx.DeleteAllDocumentsWithContext(ctx, nil)); task.Status != meilisearch.TaskStatusSucceeded {
		t.Errorf("delete all: %+v", task)
	}
	if task := wait(c.DeleteIndexWithContext(ctx, "books")); task.Status != meilisearch.TaskStatusSucceeded {
		t.Errorf("delete index: %+v", task)
	}
}
