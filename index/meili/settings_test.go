package meili

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

func TestSettingsAppliedOnce(t *testing.T) {
	s := meilitest.NewProxy(t, meilitest.Shared(t).URL)
	uid := newUID()
	cfg := Config{URL: s.URL, APIKey: meilitest.MasterKey, IndexUID: uid, Synonyms: map[string][]string{"tim": {"telecom italia"}}}
	open := func() {
		t.Helper()
		x, err := Open(t.Context(), cfg, fastRetry, WithLogger(testLogger(t)))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		x.Close()
	}
	settingsPath := "/indexes/" + uid + "/settings"
	open()
	if n := s.Count("PATCH", settingsPath); n != 1 {
		t.Fatalf("first Open: %d settings updates, want 1", n)
	}
	if n := s.Count("POST", "/indexes"); n != 1 {
		t.Errorf("first Open: %d index creations, want 1", n)
	}
	open()
	if n := s.Count("PATCH", settingsPath); n != 1 {
		t.Errorf("second Open: %d settings updates in all, want still 1", n)
	}
	if n := s.Count("POST", "/indexes"); n != 1 {
		t.Errorf("second Open created the index again")
	}
	// New synonyms are applied; no synonyms at all clears them.
	cfg.Synonyms = map[string][]string{"tim": {"telecom italia"}, "dt": {"deutsche telekom"}}
	open()
	if n := s.Count("PATCH", settingsPath); n != 2 {
		t.Errorf("changed synonyms: %d settings updates in all, want 2", n)
	}
	cfg.Synonyms = nil
	open()
	if n := s.Count("DELETE", settingsPath+"/synonyms"); n != 1 {
		t.Errorf("removed synonyms: %d resets, want 1", n)
	}
	open()
	if n := s.Count("PATCH", settingsPath); n != 3 {
		t.Errorf("after clearing synonyms: %d settings updates in all, want 3", n)
	}
}

func TestOpenWrongPrimaryKey(t *testing.T) {
	s := meilitest.Shared(t)
	uid := newUID()
	if err := s.Await(s.Client().CreateIndexWithContext(t.Context(), &meilisearch.IndexConfig{Uid: uid, PrimaryKey: "uid"})); err != nil {
		t.Fatal(err)
	}
	_, err := Open(t.Context(), Config{URL: s.URL, APIKey: meilitest.MasterKey, IndexUID: uid}, fastRetry)
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

func TestSettingsOnServer(t *testing.T) {
	s := meilitest.Shared(t)
	syn := map[string][]string{"watchdog": {"agcom"}}
	x, err := Open(t.Context(), Config{URL: s.URL, APIKey: meilitest.MasterKey, IndexUID: newUID(), Synonyms: syn}, fastRetry)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	got, err := s.Client().Index(x.UID()).GetSettingsWithContext(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	sa := got.SearchableAttributes
	if sa[0] != "title_it" || !strings.HasPrefix(sa[7], "description_") || sa[len(sa)-1] != "entity_names" {
		t.Errorf("searchableAttributes = %v", sa)
	}
	sameSet := func(a, b []string) bool {
		return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
	}
	tests := []struct {
		name      string
		got, want []string
	}{
		{"displayed", got.DisplayedAttributes, []string{"*"}},
		{"filterable", got.FilterableAttributes, []string{"lang", "source", "entities", "entity_names", "entity_types", "country", "topics", "published_at", "cluster", "fetched_at"}},
		{"sortable", got.SortableAttributes, []string{"published_at", "published"}},
		{"ranking", got.RankingRules, []string{"sort", "words", "typo", "proximity", "attribute", "exactness", "published_at:desc"}},
	}
	for _, tt := range tests {
		if !sameSet(tt.got, tt.want) {
			t.Errorf("%s = %v, want %v", tt.name, tt.got, tt.want)
		}
	}
	if !slices.Equal(got.RankingRules, tests[3].want) {
		t.Errorf("ranking rules in the order %v", got.RankingRules)
	}
	var locs []string
	for _, l := range got.LocalizedAttributes {
		locs = append(locs, l.AttributePatterns[0]+"="+l.Locales[0])
	}
	if want := []string{"*_it=ita", "*_fr=fra", "*_es=spa", "*_de=deu", "*_en=eng", "*_pt=por"}; !slices.Equal(locs, want) {
		t.Errorf("localizedAttributes = %v, want %v", locs, want)
	}
	if f := got.Faceting; f == nil || f.SortFacetValuesBy["*"] != meilisearch.SortFacetTypeCount || f.MaxValuesPerFacet != maxValuesPerFacet {
		t.Errorf("faceting = %+v", got.Faceting)
	}
	if tt := got.TypoTolerance; tt == nil || !tt.Enabled || tt.MinWordSizeForTypos.OneTypo != DefaultOneTypo || tt.MinWordSizeForTypos.TwoTypos != DefaultTwoTypos {
		t.Errorf("typoTolerance = %+v", got.TypoTolerance)
	}
	if !slices.Equal(got.Synonyms["watchdog"], syn["watchdog"]) {
		t.Errorf("synonyms = %v", got.Synonyms)
	}
	if got.Pagination == nil || got.Pagination.MaxTotalHits != MaxOffset+MaxLimit {
		t.Errorf("pagination = %+v", got.Pagination)
	}

	// The settings work: synonyms, typos, the dashboard's filters and sorts.
	list, byID := indextestAll()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	idx := s.Client().Index(x.UID())
	for _, tt := range []struct {
		name string
		req  meilisearch.SearchRequest
		want []string
	}{
		{"synonym", meilisearch.SearchRequest{Query: "watchdog", Sort: []string{"published:asc"}}, []string{indextest.It1, indextest.It2}},
		{"no typo under 9 letters", meilisearch.SearchRequest{Query: "Agcomm"}, nil},
		{"one typo from 9 letters", meilisearch.SearchRequest{Query: "Telefonika"}, []string{indextest.Es1}},
		{"entity name filter", meilisearch.SearchRequest{Filter: `entity_names = "Agcom"`}, []string{indextest.It1}},
		{"country filter", meilisearch.SearchRequest{Filter: `country = "IT"`}, []string{indextest.It1}},
	} {
		res, err := idx.SearchWithContext(t.Context(), tt.req.Query, &tt.req)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		var names []string
		for _, h := range res.Hits {
			var id string
			_ = json.Unmarshal(h["id"], &id)
			names = append(names, byID[id])
		}
		if !slices.Equal(names, tt.want) {
			t.Errorf("%s: %v, want %v", tt.name, names, tt.want)
		}
	}
}

// TestStoredOrder fetches documents from the server over HTTP: they list
// the reader's fields first, also after a first document without image.
func TestStoredOrder(t *testing.T) {
	s := meilitest.Shared(t)
	x := openAt(t, s.URL)
	fx := indextest.Fixtures()
	for _, name := range []string{indextest.It2, indextest.It1} {
		if err := x.Upsert(t.Context(), []*ottwatch.Article{fx[name]}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{indextest.It1, indextest.It2} {
		req, _ := http.NewRequestWithContext(t.Context(), "GET", s.URL+"/indexes/"+x.UID()+"/documents/"+fx[name].ID, nil)
		req.Header.Set("Authorization", "Bearer "+s.Key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("GET document: %d %v", resp.StatusCode, err)
		}
		if keys := keyOrder(t, raw); !slices.Equal(keys[:len(readerOrder)], readerOrder) {
			t.Errorf("%s stored as %v, want %v first", name, keys, readerOrder)
		}
		var doc map[string]any
		_ = json.Unmarshal(raw, &doc)
		if doc["image"] != nilIfEmpty(fx[name].Image) || doc["title"] != fx[name].Title {
			t.Errorf("%s: image %v, title %v", name, doc["image"], doc["title"])
		}
	}
}

// nilIfEmpty is s, or nil for "", as JSON null decodes.
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}
