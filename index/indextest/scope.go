package indextest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// tree is a synthetic entity hierarchy over the fixtures' entities: a
// group "regulators" above agcom, arcep and bnetza, and agcom above a
// "agcom-board" no fixture names.
type tree map[string][]string

func (t tree) Descendants(id string) []string {
	var out []string
	for _, c := range t[id] {
		out = append(out, c)
		out = append(out, t.Descendants(c)...)
	}
	return out
}

func (t tree) Ancestors(id string) []string {
	for parent, kids := range t {
		if slices.Contains(kids, id) {
			return append([]string{parent}, t.Ancestors(parent)...)
		}
	}
	return nil
}

var scopeTree = tree{"regulators": {"agcom", "arcep", "bnetza"}, "agcom": {"agcom-board"}}

// testEntityScope checks that index.ScopedSearch widens an entity filter to
// the entities under it, on every backend, and that Exact does not.
func testEntityScope(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	scoped := scopedIndex{x}
	runMatches(t, scoped, byID, []matchCase{
		{"group", ottwatch.Query{Entities: []string{"regulators"}}, []string{It1, Fr1, De1}},
		{"group exact", ottwatch.Query{Entities: []string{"regulators"}, Exact: true}, nil},
		{"group and entity", ottwatch.Query{Entities: []string{"regulators", "tim"}}, []string{It1}},
		{"group and text", ottwatch.Query{Text: "consommateurs", Entities: []string{"regulators"}}, []string{Fr1}},
		{"leaf", ottwatch.Query{Entities: []string{"arcep"}}, []string{Fr1}},
		{"entity with an unnamed child", ottwatch.Query{Entities: []string{"agcom"}}, []string{It1}},
	})
	t.Run("facets roll up", func(t *testing.T) {
		res, err := scoped.Search(t.Context(), ottwatch.Query{Facets: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, c := range res.Facets[ottwatch.FacetEntity] {
			counts[c.Value] = c.Count
		}
		if counts["regulators"] != 3 || counts["agcom"] != 1 || counts["tim"] != 2 {
			t.Errorf("entity facet = %v, want regulators 3, agcom 1, tim 2", res.Facets[ottwatch.FacetEntity])
		}
		res, err = scoped.Search(t.Context(), ottwatch.Query{Facets: true, Exact: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Facets[ottwatch.FacetEntity] {
			if c.Value == "regulators" {
				t.Errorf("an exact query's facet counts the group: %v", res.Facets[ottwatch.FacetEntity])
			}
		}
	})
}

// scopedIndex searches an index through index.ScopedSearch with scopeTree.
type scopedIndex struct{ ottwatch.Index }

func (s scopedIndex) Search(ctx context.Context, q ottwatch.Query) (*ottwatch.Results, error) {
	return index.ScopedSearch(ctx, s.Index, scopeTree, q)
}

// namingTree is scopeTree that also says which entities query words name.
// "Agcom" is made to name open-fiber, which only It2 is tagged with, so
// that grouping visibly reverses the backends' own order (It1 has Agcom in
// its title and twice in its text).
type namingTree struct{ tree }

func (namingTree) EntitiesNamed(text string) []string {
	if strings.Contains(strings.ToLower(text), "agcom") {
		return []string{"open-fiber"}
	}
	return nil
}

// rankedIndex searches an index through index.ScopedSearch with namingTree.
type rankedIndex struct{ ottwatch.Index }

func (s rankedIndex) Search(ctx context.Context, q ottwatch.Query) (*ottwatch.Results, error) {
	return index.ScopedSearch(ctx, s.Index, namingTree{scopeTree}, q)
}

// testEntityRanking checks that the articles tagged with an entity the
// query names come first, on every backend, through every page.
func testEntityRanking(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	plain := search(t, x, ottwatch.Query{Text: "Agcom"})
	if got := hitNames(plain, byID); !slices.Equal(got, []string{It1, It2}) {
		t.Fatalf("the backend ranks %v for Agcom, want It1 first (the test relies on it)", got)
	}
	ranked := rankedIndex{x}
	tests := []struct {
		name string
		q    ottwatch.Query
		want []string
	}{
		{"relevance", ottwatch.Query{Text: "Agcom"}, []string{It2, It1}},
		{"mixed", ottwatch.Query{Text: "Agcom", Sort: ottwatch.SortMixed}, []string{It2, It1}},
		{"date is not grouped", ottwatch.Query{Text: "Agcom", Sort: ottwatch.SortDate}, []string{It2, It1}},
		{"first page", ottwatch.Query{Text: "Agcom", Limit: 1}, []string{It2}},
		{"second page", ottwatch.Query{Text: "Agcom", Limit: 1, Offset: 1}, []string{It1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ranked.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := hitNames(res, byID)
			if !slices.Equal(got, tt.want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, tt.want)
			}
			if res.Total != 2 {
				t.Errorf("Search(%+v): Total = %d, want 2", tt.q, res.Total)
			}
		})
	}
	t.Run("mixed without a named entity is newest first", func(t *testing.T) {
		res, err := ranked.Search(t.Context(), ottwatch.Query{Text: "TIM", Sort: ottwatch.SortMixed})
		if err != nil {
			t.Fatal(err)
		}
		if got := hitNames(res, byID); !slices.Equal(got, []string{It2, It1}) {
			t.Errorf("mixed TIM = %v, want It2 (15 March) before It1 (10 March)", got)
		}
	})
}
