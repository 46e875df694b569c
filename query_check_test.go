package ottwatch

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseQueryText(t *testing.T) {
	tests := []struct {
		text    string
		want    string // the parsed text, written back
		filters TextFilters
		err     string // part of the error, when the text is refused
	}{
		{"", "", TextFilters{}, ""},
		{"  rete   unica ", "rete unica", TextFilters{}, ""},
		{`"rete unica"`, `"rete unica"`, TextFilters{}, ""},
		{`Tim "rete unica" Open Fiber`, `Tim "rete unica" Open Fiber`, TextFilters{}, ""},
		{`“rete  unica” e «service universel»`, `"rete unica" e "service universel"`, TextFilters{}, ""},
		{`a"b"c`, `a "b" c`, TextFilters{}, ""},
		{`"" tim`, "tim", TextFilters{}, ""},
		{`"rete unica`, "rete unica", TextFilters{}, ""},
		{"amazon Amazon AMAZON, amazon", "amazon", TextFilters{}, ""},
		{"Iliad -Poste", "Iliad -Poste", TextFilters{}, ""},
		{`Iliad -"Poste Italiane" -poste`, `Iliad -"Poste Italiane" -poste`, TextFilters{}, ""},
		{"+Iliad +multa", "Iliad multa", TextFilters{}, ""},
		{"Iliad AND multa", "Iliad multa", TextFilters{}, ""},
		{"iliad OR free fibra", "iliad OR free fibra", TextFilters{}, ""},
		{`fibra "rete unica" OR FiberCop OR fibercop`, `fibra "rete unica" OR FiberCop`, TextFilters{}, ""},
		{"multa entity:iliad lang:IT source:www.x.it topic:fines", "multa",
			TextFilters{Entities: []string{"iliad"}, Langs: []string{"it"}, Sources: []string{"www.x.it"}, Topics: []string{"fines"}}, ""},
		{"entity:=amazon", "", TextFilters{Entities: []string{"amazon"}, Exact: true}, ""},
		{"ore 10:30 a.m.", "ore 10:30 a.m.", TextFilters{}, ""},
		{"- Iliad", "Iliad", TextFilters{}, ""},
		{"++Iliad --Poste +-TIM -+Vodafone", "Iliad -Poste -TIM -Vodafone", TextFilters{}, ""},
		{"Iliad ++ --", "Iliad", TextFilters{}, ""},
		{"OR Iliad", "", TextFilters{}, `"OR" (at character 1)`},
		{"Iliad OR", "", TextFilters{}, `"OR" (at character 7)`},
		{"Iliad OR OR free", "", TextFilters{}, "OR needs"},
		{"Iliad OR -free", "", TextFilters{}, "OR needs"},
		{"Iliad lang:", "", TextFilters{}, `"lang:" (at character 7): lang: needs a value`},
		{"Iliad lang:1x", "", TextFilters{}, "not a language"},
		{"Iliad lang:=it", "", TextFilters{}, "only entity:"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			tq, f, err := ParseQueryText(tt.text)
			if tt.err != "" {
				if err == nil || !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("ParseQueryText(%q) error %v, want one saying %q", tt.text, err, tt.err)
				}
				return
			}
			if err != nil || tq.String() != tt.want || !reflect.DeepEqual(f, tt.filters) {
				t.Errorf("ParseQueryText(%q) = %q, %+v, %v; want %q, %+v", tt.text, tq.String(), f, err, tt.want, tt.filters)
			}
			if again, _, _ := ParseQueryText(tq.String()); !reflect.DeepEqual(again, tq) {
				t.Errorf("%q read back as %+v, not %+v", tq.String(), again, tq)
			}
		})
	}
}

func TestQueryCheckLanguages(t *testing.T) {
	if q, err := (Query{Langs: []string{"IT", " fr"}}).Check(); err != nil || !slices.Equal(q.Langs, []string{"it", "fr"}) {
		t.Errorf("langs %v, %v", q.Langs, err)
	}
	if _, err := (Query{Langs: []string{"1x"}}).Check(); err == nil || !strings.Contains(err.Error(), `"1x" is not a language`) {
		t.Errorf("lang 1x: %v", err)
	}
}

func TestQueryCheckSources(t *testing.T) {
	q, err := Query{Sources: []string{"www.Repubblica.it", "https://www.corriere.it/economia/", "ilsole24ore.com"}}.Check()
	if want := []string{"repubblica.it", "corriere.it", "ilsole24ore.com"}; err != nil || !slices.Equal(q.Sources, want) {
		t.Errorf("sources %v, %v; want %v", q.Sources, err, want)
	}
}

func TestQueryCheck(t *testing.T) {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	many := make([]string, MaxFilterValues+1)
	for i := range many {
		many[i] = "x"
	}
	distinct := make([]string, MaxWords+1)
	for i := range distinct {
		distinct[i] = "w" + strings.Repeat("x", i)
	}
	tests := []struct {
		name string
		q    Query
		want Query // when ok
		bad  bool
	}{
		{"defaults", Query{Text: "Agcom"}, Query{Text: "Agcom", Limit: DefaultLimit}, false},
		{"limit cut", Query{Limit: 5000}, Query{Limit: MaxLimit}, false},
		{"negative limit", Query{Limit: -1}, Query{}, true},
		{"negative offset", Query{Offset: -1}, Query{}, true},
		{"deep offset", Query{Offset: MaxOffset + 1}, Query{}, true},
		{"until before since", Query{Since: day, Until: day}, Query{}, true},
		{"seen until before seen since", Query{SeenSince: day, SeenUntil: day.Add(-time.Hour)}, Query{}, true},
		{"seen window", Query{SeenSince: day, SeenUntil: day.Add(time.Hour)},
			Query{SeenSince: day, SeenUntil: day.Add(time.Hour), Limit: DefaultLimit}, false},
		{"unknown sort", Query{Sort: "random"}, Query{}, true},
		{"too many entities", Query{Entities: many}, Query{}, true},
		{"too long", Query{Text: strings.Repeat("a", MaxTextBytes+1)}, Query{}, true},
		// item 5 of the reliability report: a word repeated a thousand
		// times is one word.
		{"repeated word", Query{Text: strings.Repeat("amazon ", 140)}, Query{Text: "amazon", Limit: DefaultLimit}, false},
		{"too many words", Query{Text: strings.Join(distinct, " ")}, Query{}, true},
		{"words of one token", Query{Text: strings.Repeat("a-", MaxWords+1)}, Query{}, true},
		{"phrases in order, straight quotes", Query{Text: `tim «rete unica» tim "fibra"`},
			Query{Text: `tim "rete unica" "fibra"`, Limit: DefaultLimit}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.q.Check()
			if tt.bad {
				if !errors.Is(err, ErrBadQuery) {
					t.Fatalf("Check() error = %v, want ErrBadQuery", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Check(): %v", err)
			}
			if got.Text != tt.want.Text || got.Limit != tt.want.Limit || got.Offset != tt.want.Offset {
				t.Errorf("Check() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// FuzzQueryCheck checks that any text either is refused as a bad query or
// is normalised to a text within the limits that normalises to itself.
func FuzzQueryCheck(f *testing.F) {
	for _, s := range []string{"", "Agcom", `tim "rete unica" fibra`, `“rete unica” e «service universel»`,
		`"a" "b`, `a"b"c`, "amazon amazon amazon", "dell’Agcom l'Iliad", "a-b-c-d", "\xff\xfe\"x",
		"日本語 テキスト", "Ça va? ß ø"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		q, err := Query{Text: text}.Check()
		if err != nil {
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Check(%q): %v does not wrap ErrBadQuery", text, err)
			}
			return
		}
		if len(q.Text) > MaxTextBytes {
			return // quotes set apart by spaces may make it longer
		}
		again, err := Query{Text: q.Text}.Check()
		if err != nil {
			t.Fatalf("Check(%q) = %q, which is refused: %v", text, q.Text, err)
		}
		if again.Text != q.Text {
			t.Errorf("Check(%q) = %q, then %q", text, q.Text, again.Text)
		}
	})
}

func TestSourceHost(t *testing.T) {
	for in, want := range map[string]string{
		"www.Repubblica.it":                 "repubblica.it",
		"https://www.corriere.it/economia/": "corriere.it",
		"ilsole24ore.com":                   "ilsole24ore.com",
		"127.0.0.1:8080":                    "127.0.0.1",
		"http://news.example:8443/a?b=c":    "news.example",
	} {
		if got := SourceHost(in); got != want {
			t.Errorf("SourceHost(%q) = %q, want %q", in, got, want)
		}
	}
}
