package meili

import (
	"strings"
	"testing"

	"github.com/meilisearch/meilisearch-go"

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
