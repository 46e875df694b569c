package bleve

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
)

// loadedTemp returns a temporary index holding every fixture.
func loadedTemp(t *testing.T) *Index {
	t.Helper()
	x := openTemp(t)
	var list []*ottwatch.Article
	for _, a := range indextest.Fixtures() {
		list = append(list, a)
	}
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	return x
}

func TestSearchRejects(t *testing.T) {
	x := loadedTemp(t)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		q    ottwatch.Query
	}{
		{"negative limit", ottwatch.Query{Limit: -1}},
		{"negative offset", ottwatch.Query{Offset: -1}},
		{"huge offset", ottwatch.Query{Offset: MaxOffset + 1}},
		{"unknown sort", ottwatch.Query{Sort: "popularity"}},
		{"until before since", ottwatch.Query{Since: day, Until: day.Add(-time.Hour)}},
		{"until equals since", ottwatch.Query{Since: day, Until: day}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if res, err := x.Search(t.Context(), tt.q); err == nil {
				t.Errorf("Search(%+v) = %d hits, want an error", tt.q, len(res.Hits))
			}
		})
	}
}

func TestSearchEdges(t *testing.T) {
	x := loadedTemp(t)
	tests := []struct {
		name      string
		q         ottwatch.Query
		wantTotal int
	}{
		// Text that analyses to no term must not widen to the filter alone.
		{"stop word and filter", ottwatch.Query{Text: "il", Langs: []string{"it"}}, 0},
		{"punctuation and filter", ottwatch.Query{Text: "?!", Langs: []string{"it"}}, 0},
		{"stop word phrase and filter", ottwatch.Query{Text: `"il la"`, Langs: []string{"it"}}, 0},
		{"blank text browses", ottwatch.Query{Text: "  \n", Langs: []string{"it"}}, 2},
		{"limit capped", ottwatch.Query{Limit: MaxLimit * 10}, 8},
		{"offset past the end", ottwatch.Query{Offset: 100}, 8},
		{"empty filter values ignored", ottwatch.Query{Langs: []string{""}, Entities: []string{""}}, 8},
		{"ancient since", ottwatch.Query{Since: time.Date(2, 1, 1, 0, 0, 0, 0, time.UTC)}, 7},
		{"far until", ottwatch.Query{Until: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)}, 7},
		{"far since", ottwatch.Query{Since: time.Date(9000, 1, 1, 0, 0, 0, 0, time.UTC)}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := x.Search(t.Context(), tt.q)
			if err != nil {
				t.Fatalf("Search(%+v): %v", tt.q, err)
			}
			if res.Total != tt.wantTotal {
				t.Errorf("Search(%+v): Total = %d, want %d", tt.q, res.Total, tt.wantTotal)
			}
		})
	}
}

func TestUpsertRejects(t *testing.T) {
	good := indextest.Fixtures()[indextest.It1]
	tests := []struct {
		name string
		list []*ottwatch.Article
	}{
		{"nil article", []*ottwatch.Article{good, nil}},
		{"empty id", []*ottwatch.Article{good, {Title: "no id"}}},
		{"unencodable date", []*ottwatch.Article{good, {ID: "x", Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x := openTemp(t)
			if err := x.Upsert(t.Context(), tt.list); err == nil {
				t.Errorf("Upsert: no error")
			}
			if n, _ := x.Count(t.Context()); n != 0 {
				t.Errorf("Count = %d after a rejected Upsert, want 0", n)
			}
		})
	}
}

func TestOddDates(t *testing.T) {
	x := openTemp(t)
	old := &ottwatch.Article{ID: "old", Title: "Marco Polo", Lang: "it",
		Published: time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC)}
	if err := x.Upsert(t.Context(), []*ottwatch.Article{old}); err != nil {
		t.Fatal(err)
	}
	got, err := x.Get(t.Context(), "old")
	if err != nil || !got.Published.Equal(old.Published) {
		t.Fatalf("Get = %v, %v", got, err)
	}
	res, err := x.Search(t.Context(), ottwatch.Query{Since: time.Date(1000, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || res.Total != 0 {
		t.Errorf("date filter over an unindexable date = %+v, %v; want no hit", res, err)
	}
}

func TestLocked(t *testing.T) {
	dir := t.TempDir()
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	start := time.Now()
	y, err := Open(dir, WithLockTimeout(100*time.Millisecond))
	if err == nil {
		y.Close()
		t.Fatal("second Open: no error")
	}
	if !errors.Is(err, ErrLocked) || errors.Is(err, ErrNotIndex) {
		t.Errorf("second Open: %v; want ErrLocked", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("second Open took %v", d)
	}
	t.Log(err)
}

func TestConcurrent(t *testing.T) {
	x := openTemp(t)
	fx := indextest.Fixtures()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 5 {
				a := *fx[indextest.It1]
				a.ID = fmt.Sprintf("w%d-%d", i, j)
				if err := x.Upsert(t.Context(), []*ottwatch.Article{&a}); err != nil {
					t.Error(err)
				}
				if _, err := x.Search(t.Context(), ottwatch.Query{Text: "Agcom", Facets: true}); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n, err := x.Count(t.Context()); err != nil || n != 20 {
		t.Errorf("Count = %d, %v; want 20", n, err)
	}
}

func TestSnippetOfLongBody(t *testing.T) {
	x := openTemp(t)
	body := strings.Repeat("Il mercato delle reti cresce piano.\n", 30) +
		"Il caso Agcom riguarda la rete unica.\n\n" +
		strings.Repeat("Gli operatori attendono la decisione finale.\t", 30)
	a := &ottwatch.Article{ID: "long", Title: "Lungo", Body: body, Lang: "it"}
	if err := x.Upsert(t.Context(), []*ottwatch.Article{a}); err != nil {
		t.Fatal(err)
	}
	res, err := x.Search(t.Context(), ottwatch.Query{Text: `agcom "rete unica"`})
	if err != nil || len(res.Hits) != 1 {
		t.Fatalf("Search = %+v, %v", res, err)
	}
	s := res.Hits[0].Snippet
	want := "Il caso **Agcom** riguarda la **rete unica**."
	if !strings.Contains(s, want) || !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet %q: want …%s…", s, want)
	}
	if n := len([]rune(s)); n < 150 || n > 230 {
		t.Errorf("snippet %q: %d characters, want about 200", s, n)
	}
	if strings.ContainsAny(s, "\n\t") || strings.Contains(s, "  ") {
		t.Errorf("snippet %q: want one line, single spaces", s)
	}
}

func TestEachHit(t *testing.T) {
	for _, n := range []int{0, 1, parallelHits - 1, parallelHits, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			seen := make([]atomic.Int32, n)
			if err := eachHit(n, func(i int) error { seen[i].Add(1); return nil }); err != nil {
				t.Fatal(err)
			}
			for i := range seen {
				if c := seen[i].Load(); c != 1 {
					t.Fatalf("hit %d done %d times", i, c)
				}
			}
			if n == 0 {
				return
			}
			bad := errors.New("bad hit")
			if err := eachHit(n, func(i int) error {
				if i == n-1 {
					return bad
				}
				return nil
			}); !errors.Is(err, bad) {
				t.Errorf("error of the last hit: got %v", err)
			}
		})
	}
}
