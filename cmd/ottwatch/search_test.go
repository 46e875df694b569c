package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch/feeds"
)

const (
	italianSeed = "amazon-autorizzazione-mise-telecomunicazioni"
	frenchSeed  = "amazon-support-client-cour-justice-ue"
)

func TestSearchAcceptance(t *testing.T) {
	dir := crawledDataDir(t)
	tests := []struct {
		name     string
		args     []string
		seed     string   // URL part of the hit that must be found
		lang     string   // its language
		has      []string // entity ids it must carry
		hasNot   []string // entity ids it must not carry
		onlyLang string   // every hit must be in this language
	}{
		{name: "Agcom", args: []string{"Agcom"}, seed: italianSeed, lang: "it",
			has: []string{"amazon", "agcom", "iliad", "poste-italiane", "mgm"}},
		{name: "Amazon in French", args: []string{"Amazon", "--lang", "fr"}, seed: frenchSeed, lang: "fr",
			has: []string{"amazon", "cjeu"}, hasNot: []string{"poste-italiane"}, onlyLang: "fr"},
		{name: "Italian stemming", args: []string{"telecomunicazione"}, seed: italianSeed, lang: "it"},
		{name: "entity filter by name", args: []string{"Amazon", "--entity", "Poste Italiane"}, seed: italianSeed, lang: "it"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := run(t, "", append([]string{"--data-dir", dir, "search", "--json", "--limit", "50"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			res := decode[resultsJSON](t, stdout)
			found := false
			for _, h := range res.Hits {
				if tt.onlyLang != "" && h.Lang != tt.onlyLang {
					t.Errorf("hit %s has lang %q, want only %q", h.URL, h.Lang, tt.onlyLang)
				}
				if !strings.Contains(h.URL, tt.seed) {
					continue
				}
				found = true
				if h.Lang != tt.lang {
					t.Errorf("lang = %q, want %q", h.Lang, tt.lang)
				}
				var ids []string
				for _, e := range h.Entities {
					ids = append(ids, e.ID)
				}
				for _, id := range tt.has {
					if !slices.Contains(ids, id) {
						t.Errorf("entities %v lack %q", ids, id)
					}
				}
				for _, id := range tt.hasNot {
					if slices.Contains(ids, id) {
						t.Errorf("entities %v have %q", ids, id)
					}
				}
			}
			if !found {
				t.Errorf("no hit for %s among %d results:\n%s", tt.seed, res.Total, stdout)
			}
		})
	}
}

func TestSearchTableAndFacets(t *testing.T) {
	dir := crawledDataDir(t)
	stdout, _, err := run(t, "", "--data-dir", dir, "search", "Amazon", "--facets", "--sort", "date")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"results for \"Amazon\"", "PUBLISHED", "lang: ", "entity: ", "amazon ("} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
}

func TestSearchErrors(t *testing.T) {
	dir := crawledDataDir(t)
	empty := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"empty query", []string{"--data-dir", dir, "search", "  "}, "empty query"},
		{"no index yet", []string{"--data-dir", empty, "search", "Agcom"}, "no index"},
		{"unknown entity", []string{"--data-dir", dir, "search", "x", "--entity", "nobody"}, "no such entity"},
		{"bad since", []string{"--data-dir", dir, "search", "x", "--since", "yesterday"}, "--since"},
		{"bad sort", []string{"--data-dir", dir, "search", "x", "--sort", "random"}, "--sort"},
		{"bad flag", []string{"--data-dir", dir, "search", "x", "--nope"}, "unknown flag"},
		{"no words and no filter", []string{"--data-dir", dir, "search"}, "give words to search for or a filter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		err  bool
	}{
		{"", time.Time{}, false},
		{"30d", now.AddDate(0, 0, -30), false},
		{"2w", now.AddDate(0, 0, -14), false},
		{"24h", now.Add(-24 * time.Hour), false},
		{"2026-01-01", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"2026-01-01T10:00:00+01:00", time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC), false},
		{"yesterday", time.Time{}, true},
		{"-3d", time.Time{}, true},
	}
	for _, tt := range tests {
		got, err := feeds.ParseWhen(tt.in, now)
		if (err != nil) != tt.err || !got.Equal(tt.want) {
			t.Errorf("feeds.ParseWhen(%q) = %v, %v; want %v, error %t", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// TestSearchCollapse checks --collapse on the fixture site, whose articles
// are all different stories: the same hits, each with its own cluster.
func TestSearchCollapse(t *testing.T) {
	dir := crawledDataDir(t)
	results := map[bool]resultsJSON{}
	for _, collapse := range []bool{false, true} {
		args := []string{"--data-dir", dir, "search", "Amazon", "--json", "--sort", "date", "--limit", "50"}
		if collapse {
			args = append(args, "--collapse")
		}
		stdout, _, err := run(t, "", args...)
		if err != nil {
			t.Fatal(err)
		}
		results[collapse] = decode[resultsJSON](t, stdout)
	}
	plain, collapsed := results[false], results[true]
	if plain.Total == 0 || collapsed.Total != plain.Total || len(collapsed.Hits) != len(plain.Hits) {
		t.Errorf("collapsed: %d of %d hits, plain: %d of %d", len(collapsed.Hits), collapsed.Total, len(plain.Hits), plain.Total)
	}
	for _, h := range collapsed.Hits {
		if h.Cluster != h.ID {
			t.Errorf("hit %s: cluster %q, want its own id", h.URL, h.Cluster)
		}
	}
}
