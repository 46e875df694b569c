package indextest

import (
	"context"
	"slices"
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
