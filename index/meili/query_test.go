package meili

import (
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

func TestNormalizeText(t *testing.T) {
	tests := []struct {
		in, want  string
		matchable bool
	}{
		{"rete unica", "rete unica", true},
		{"“rete unica”", `"rete unica"`, true},
		{"«rete unica» giugno", `"rete unica" giugno`, true},
		{`"rete unica`, ` rete unica`, true},
		{`"rete" unica"`, `"rete" unica `, true},
		{"dell’Agcom", "Agcom", true},
		{"l'Arcep e dell'Agcom", "Arcep e Agcom", true},
		{"qu’il", "il", true},
		{"Netflix's", "Netflix's", true},
		{"rock'n'roll", "rock'n'roll", true},
		{"l'", "l'", true},
		{"?!…", "?!…", false},
		{`""`, `""`, false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := normalizeText(tt.in)
		if got != tt.want || ok != tt.matchable {
			t.Errorf("normalizeText(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.matchable)
		}
	}
}

func TestPageFor(t *testing.T) {
	for offset := 0; offset <= 300; offset += 7 {
		for _, limit := range []int{1, 2, 3, 5, 10, 33, 1000} {
			page, per, skip := pageFor(offset, limit)
			start := int(page-1) * int(per)
			if per < int64(limit) || start+skip != offset || start+int(per) < offset+limit || skip < 0 {
				t.Fatalf("pageFor(%d, %d) = page %d of %d, skip %d", offset, limit, page, per, skip)
			}
		}
	}
	if page, per, skip := pageFor(20, 10); page != 3 || per != 10 || skip != 0 {
		t.Errorf("pageFor(20, 10) = %d %d %d", page, per, skip)
	}
}

func TestFilterExpr(t *testing.T) {
	day := time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		q    ottwatch.Query
		want string
	}{
		{ottwatch.Query{}, ""},
		{ottwatch.Query{Langs: []string{"it", "", "fr"}}, `lang IN ["it", "fr"]`},
		{ottwatch.Query{Langs: []string{""}}, ""},
		{ottwatch.Query{Entities: []string{"tim", "agcom"}}, `entities = "tim" AND entities = "agcom"`},
		{ottwatch.Query{Sources: []string{`we"ird\src`}}, `source IN ["we\"ird\\src"]`},
		{ottwatch.Query{Topics: []string{"m&a"}, Since: day, Until: day.Add(time.Hour)},
			`topics IN ["m&a"] AND published_at >= 1710460800 AND published_at < 1710464400`},
		{ottwatch.Query{Until: day.Add(-time.Nanosecond)}, `published_at < 1710460799`},
	}
	for _, tt := range tests {
		if got := filterExpr(tt.q); got != tt.want {
			t.Errorf("filterExpr(%+v) =\n %s\nwant\n %s", tt.q, got, tt.want)
		}
	}
}

// TestFilterEscaping checks, against the server's filter parser, that no
// value can break out of its quotes.
func TestFilterEscaping(t *testing.T) {
	x := openShared(t)
	sources := []string{`we"ird`, `back\slash`, `end\`, `x" OR source = "y`, `it's`}
	var list []*ottwatch.Article
	for i, src := range sources {
		list = append(list, &ottwatch.Article{ID: "a" + string(rune('0'+i)), Source: src, Title: "t"})
	}
	list = append(list, &ottwatch.Article{ID: "y", Source: "y", Title: "t"})
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	for i, src := range sources {
		res, err := x.Search(t.Context(), ottwatch.Query{Sources: []string{src}})
		if err != nil {
			t.Errorf("source %q: %v", src, err)
			continue
		}
		if res.Total != 1 || res.Hits[0].Article.ID != list[i].ID {
			t.Errorf("source %q: %d hits", src, res.Total)
		}
	}
}
