package indextest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/ottwatch/ottwatch"
)

func testEmptyIndex(t *testing.T, open Opener) {
	x := open(t)
	if n := count(t, x); n != 0 {
		t.Errorf("Count = %d, want 0", n)
	}
	for _, q := range []ottwatch.Query{
		{},
		{Text: "telecomunicazioni"},
		{Text: "Agcom", Langs: []string{"it"}, Facets: true, Sort: ottwatch.SortDate},
	} {
		res := search(t, x, q)
		if res.Total != 0 || len(res.Hits) != 0 {
			t.Errorf("Search(%+v) = %d total, %d hits; want none", q, res.Total, len(res.Hits))
		}
	}
}

func testUpsertIdempotent(t *testing.T, open Opener) {
	x := open(t)
	a := Fixtures()[It1]
	for i := range 2 {
		if err := x.Upsert(t.Context(), []*ottwatch.Article{a}); err != nil {
			t.Fatalf("Upsert #%d: %v", i+1, err)
		}
		if n := count(t, x); n != 1 {
			t.Fatalf("Count after upsert #%d = %d, want 1", i+1, n)
		}
	}
	list, _ := all()
	for i := range 2 {
		if err := x.Upsert(t.Context(), list); err != nil {
			t.Fatalf("Upsert all #%d: %v", i+1, err)
		}
		if n := count(t, x); n != len(list) {
			t.Fatalf("Count after upsert all #%d = %d, want %d", i+1, n, len(list))
		}
	}
	if res := search(t, x, ottwatch.Query{Text: "telecomunicazioni"}); res.Total != 1 {
		t.Errorf("telecomunicazioni: Total = %d, want 1", res.Total)
	}
	// Nothing to write is no error.
	if err := x.Upsert(t.Context(), nil); err != nil {
		t.Errorf("Upsert(nil): %v", err)
	}
}

func testUpdateReplaces(t *testing.T, open Opener) {
	x := open(t)
	a := Fixtures()[En2]
	a.Title = "Zebras of the fair share debate"
	if err := x.Upsert(t.Context(), []*ottwatch.Article{a}); err != nil {
		t.Fatal(err)
	}
	b := *a
	b.Title = "Giraffes of the fair share debate"
	b.Topics = []string{"policy"}
	if err := x.Upsert(t.Context(), []*ottwatch.Article{&b}); err != nil {
		t.Fatal(err)
	}
	if n := count(t, x); n != 1 {
		t.Errorf("Count = %d, want 1", n)
	}
	tests := []struct {
		q    ottwatch.Query
		want int
	}{
		{ottwatch.Query{Text: "giraffes"}, 1},
		{ottwatch.Query{Text: "zebras"}, 0},
		{ottwatch.Query{Topics: []string{"policy"}}, 1},
	}
	for _, tt := range tests {
		if res := search(t, x, tt.q); res.Total != tt.want {
			t.Errorf("Search(%+v): Total = %d, want %d", tt.q, res.Total, tt.want)
		}
	}
	got, err := x.Get(t.Context(), a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != b.Title {
		t.Errorf("Get: Title = %q, want %q", got.Title, b.Title)
	}
}

func testDelete(t *testing.T, open Opener) {
	x, _ := loaded(t, open)
	fx := Fixtures()
	if err := x.Delete(t.Context(), []string{fx[It1].ID, "no-such-id", ""}); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if n := count(t, x); n != len(names)-1 {
		t.Errorf("Count = %d, want %d", n, len(names)-1)
	}
	if _, err := x.Get(t.Context(), fx[It1].ID); !errors.Is(err, ottwatch.ErrNotFound) {
		t.Errorf("Get deleted: err = %v, want ErrNotFound", err)
	}
	if res := search(t, x, ottwatch.Query{Text: "telecomunicazioni"}); res.Total != 0 {
		t.Errorf("search deleted: Total = %d, want 0", res.Total)
	}
	if err := x.Delete(t.Context(), nil); err != nil {
		t.Errorf("Delete(nil): %v", err)
	}
}

func testGetRoundTrip(t *testing.T, open Opener) {
	x, _ := loaded(t, open)
	for name, want := range Fixtures() {
		t.Run(name, func(t *testing.T) {
			got, err := x.Get(t.Context(), want.ID)
			if err != nil {
				t.Fatalf("Get: %v", err)
			}
			if !got.Published.Equal(want.Published) || !got.Fetched.Equal(want.Fetched) {
				t.Errorf("times: got published %v fetched %v, want %v %v",
					got.Published, got.Fetched, want.Published, want.Fetched)
			}
			g, w := *got, *want
			g.Published, w.Published, g.Fetched, w.Fetched = g.Published.UTC(), w.Published.UTC(), g.Fetched.UTC(), w.Fetched.UTC()
			if !reflect.DeepEqual(g, w) {
				t.Errorf("Get:\n got %+v\nwant %+v", g, w)
			}
		})
	}
}

func testGetNotFound(t *testing.T, open Opener) {
	x, _ := loaded(t, open)
	for _, id := range []string{"no-such-id", ""} {
		a, err := x.Get(t.Context(), id)
		if !errors.Is(err, ottwatch.ErrNotFound) {
			t.Errorf("Get(%q) = %v, %v; want ErrNotFound", id, a, err)
		}
	}
}

func testReset(t *testing.T, open Opener) {
	x, _ := loaded(t, open)
	if err := x.Reset(t.Context()); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	if n := count(t, x); n != 0 {
		t.Errorf("Count after Reset = %d, want 0", n)
	}
	if res := search(t, x, ottwatch.Query{Text: "Agcom"}); res.Total != 0 {
		t.Errorf("search after Reset: %d hits", res.Total)
	}
	list, _ := all()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatalf("Upsert after Reset: %v", err)
	}
	if n := count(t, x); n != len(list) {
		t.Errorf("Count after Reset and Upsert = %d, want %d", n, len(list))
	}
}
