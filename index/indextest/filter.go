package indextest

import (
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

// matchCase is a query and the fixtures it must find, in any order.
type matchCase struct {
	name string
	q    ottwatch.Query
	want []string
}

// runMatches runs each case on x and checks the set of hits and Total.
func runMatches(t *testing.T, x ottwatch.Index, byID map[string]string, cases []matchCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Limit = 100
			res := search(t, x, q)
			got := sorted(hitNames(res, byID))
			if want := sorted(tt.want); !slices.Equal(got, want) {
				t.Errorf("Search(%+v) = %v, want %v", tt.q, got, want)
			}
			if res.Total != len(tt.want) {
				t.Errorf("Search(%+v): Total = %d, want %d", tt.q, res.Total, len(tt.want))
			}
		})
	}
}

func testFilters(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	runMatches(t, x, byID, []matchCase{
		{"all", ottwatch.Query{}, names},
		{"lang", ottwatch.Query{Langs: []string{"it"}}, []string{It1, It2}},
		{"langs any", ottwatch.Query{Langs: []string{"it", "fr"}}, []string{It1, It2, Fr1}},
		{"lang unknown", ottwatch.Query{Langs: []string{"nl"}}, nil},
		{"entity", ottwatch.Query{Entities: []string{"tim"}}, []string{It1, It2}},
		{"entities all", ottwatch.Query{Entities: []string{"tim", "agcom"}}, []string{It1}},
		{"entities disjoint", ottwatch.Query{Entities: []string{"tim", "arcep"}}, nil},
		{"source", ottwatch.Query{Sources: []string{"lesechos.fr"}}, []string{Fr1}},
		{"sources any", ottwatch.Query{Sources: []string{"lesechos.fr", "lightreading.com"}}, []string{Fr1, En1, En2}},
		{"topic", ottwatch.Query{Topics: []string{"regulation"}}, []string{It1, Fr1, De1}},
		{"topics any", ottwatch.Query{Topics: []string{"m&a", "ott"}}, []string{Es1, En1}},
		{"text and lang", ottwatch.Query{Text: "Agcom", Langs: []string{"it"}}, []string{It1, It2}},
		{"text and entity", ottwatch.Query{Text: "Agcom", Entities: []string{"agcom"}}, []string{It1}},
		{"text and other lang", ottwatch.Query{Text: "Agcom", Langs: []string{"fr"}}, nil},
		{"unknown text and lang", ottwatch.Query{Text: "zzyzzyva", Langs: []string{"it"}}, nil},
		{"all filters", ottwatch.Query{
			Langs: []string{"it", "de"}, Entities: []string{"tim"}, Sources: []string{"key4biz.it"},
			Topics: []string{"fiber"}, Since: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
		}, []string{It2}},
	})
}

func testDateRange(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 0, 0, 0, 0, time.UTC) }
	dated := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return n == En1 })
	runMatches(t, x, byID, []matchCase{
		{"since inclusive", ottwatch.Query{Since: day(3, 15)}, []string{It2, Es1, Xx1}},
		{"since other zone", ottwatch.Query{Since: time.Date(2024, 3, 15, 1, 0, 0, 0, cet)}, []string{It2, Es1, Xx1}},
		{"since just after", ottwatch.Query{Since: day(3, 15).Add(time.Second)}, []string{Es1, Xx1}},
		{"until exclusive", ottwatch.Query{Until: day(3, 15)}, []string{It1, En2, Fr1, De1}},
		{"until just after", ottwatch.Query{Until: day(3, 15).Add(time.Second)}, []string{It1, It2, En2, Fr1, De1}},
		{"window", ottwatch.Query{Since: time.Date(2024, 3, 10, 9, 0, 0, 0, time.UTC), Until: day(4, 1)}, []string{It1, It2}},
		{"wide since skips undated", ottwatch.Query{Since: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}, dated},
		{"wide until skips undated", ottwatch.Query{Until: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}, dated},
		{"empty window", ottwatch.Query{Since: day(6, 1), Until: day(7, 1)}, nil},
		{"with text", ottwatch.Query{Text: "streaming", Since: day(1, 1)}, []string{En2}},
	})
}
