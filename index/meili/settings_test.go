package meili

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/meilisearch/meilisearch-go"
)

func TestSettingsAppliedOnce(t *testing.T) {
	s := newDouble(t)
	cfg := Config{URL: s.URL(), APIKey: testKey, IndexUID: "settings", Synonyms: map[string][]string{"tim": {"telecom italia"}}}
	open := func() {
		t.Helper()
		x, err := Open(t.Context(), cfg, fastRetry, WithLogger(testLogger(t)))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		x.Close()
	}
	settingsPath := "/indexes/settings/settings"
	open()
	if n := s.CountRequests("PATCH", settingsPath); n != 1 {
		t.Fatalf("first Open: %d settings updates, want 1", n)
	}
	if n := s.CountRequests("POST", "/indexes"); n != 1 {
		t.Errorf("first Open: %d index creations, want 1", n)
	}
	open()
	if n := s.CountRequests("PATCH", settingsPath); n != 1 {
		t.Errorf("second Open: %d settings updates in all, want still 1", n)
	}
	if n := s.CountRequests("POST", "/indexes"); n != 1 {
		t.Errorf("second Open created the index again")
	}
	// New synonyms are applied; no synonyms at all clears them.
	cfg.Synonyms = map[string][]string{"tim": {"telecom italia"}, "dt": {"deutsche telekom"}}
	open()
	if n := s.CountRequests("PATCH", settingsPath); n != 2 {
		t.Errorf("changed synonyms: %d settings updates in all, want 2", n)
	}
	cfg.Synonyms = nil
	open()
	if n := s.CountRequests("DELETE", settingsPath+"/synonyms"); n != 1 {
		t.Errorf("removed synonyms: %d resets, want 1", n)
	}
	open()
	if n := s.CountRequests("PATCH", settingsPath); n != 3 {
		t.Errorf("after clearing synonyms: %d settings updates in all, want 3", n)
	}
}

func TestSettingsContent(t *testing.T) {
	s := newDouble(t)
	x := openDouble(t, s)
	c := meilisearch.New(s.URL(), meilisearch.WithAPIKey(testKey))
	got, err := c.Index(x.UID()).GetSettingsWithContext(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got.SearchableAttributes[0] != "title_it" || !strings.HasPrefix(got.SearchableAttributes[7], "description_") ||
		got.SearchableAttributes[len(got.SearchableAttributes)-1] != "entity_names" {
		t.Errorf("searchableAttributes = %v", got.SearchableAttributes)
	}
	for _, f := range []string{"lang", "entities", "entity_types", "source", "topics", "published_at", "cluster"} {
		if !slices.Contains(got.FilterableAttributes, f) {
			t.Errorf("%s is not filterable: %v", f, got.FilterableAttributes)
		}
	}
	if !slices.Equal(got.SortableAttributes, []string{"published_at"}) {
		t.Errorf("sortableAttributes = %v", got.SortableAttributes)
	}
	var locs []string
	for _, l := range got.LocalizedAttributes {
		locs = append(locs, l.AttributePatterns[0]+"="+l.Locales[0])
	}
	if want := []string{"*_it=ita", "*_fr=fra", "*_es=spa", "*_de=deu", "*_en=eng", "*_pt=por"}; !slices.Equal(locs, want) {
		t.Errorf("localizedAttributes = %v, want %v", locs, want)
	}
	if got.Faceting.SortFacetValuesBy["*"] != meilisearch.SortFacetTypeCount {
		t.Errorf("faceting = %+v", got.Faceting)
	}
	if m := got.TypoTolerance.MinWordSizeForTypos; m.OneTypo != DefaultOneTypo || m.TwoTypos != DefaultTwoTypos {
		t.Errorf("typoTolerance = %+v", got.TypoTolerance)
	}
}

func TestOpenWrongPrimaryKey(t *testing.T) {
	s := newDouble(t)
	c := meilisearch.New(s.URL(), meilisearch.WithAPIKey(testKey))
	task, err := c.CreateIndexWithContext(t.Context(), &meilisearch.IndexConfig{Uid: "other", PrimaryKey: "uid"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTaskWithContext(t.Context(), task.TaskUID, 0); err != nil {
		t.Fatal(err)
	}
	_, err = Open(t.Context(), Config{URL: s.URL(), APIKey: testKey, IndexUID: "other"}, fastRetry)
	if err == nil || !strings.Contains(err.Error(), `primary key "uid"`) {
		t.Errorf("err = %v, want a primary key mismatch", err)
	}
}

func TestOpenBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no URL", Config{}, "empty meilisearch URL"},
		{"bad scheme", Config{URL: "ftp://host"}, "scheme must be http or https"},
		{"no host", Config{URL: "http://"}, "no host"},
		{"bad uid", Config{URL: "http://localhost:7700", IndexUID: "a b"}, "index uid"},
	}
	for _, tt := range tests {
		if _, err := Open(t.Context(), tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}
