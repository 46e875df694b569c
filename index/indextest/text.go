package indextest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch"
)

// marked returns the parts of a snippet wrapped in **.
func marked(snippet string) []string {
	parts := strings.Split(snippet, "**")
	var out []string
	for i := 1; i < len(parts); i += 2 {
		out = append(out, parts[i])
	}
	return out
}

// markedContains reports whether some marked part of snippet contains sub,
// ignoring case.
func markedContains(snippet, sub string) bool {
	for _, m := range marked(snippet) {
		if strings.Contains(strings.ToLower(m), strings.ToLower(sub)) {
			return true
		}
	}
	return false
}

// hitOf returns the hit of the named fixture in res, or fails the test.
func hitOf(t *testing.T, res *ottwatch.Results, byID map[string]string, name string) ottwatch.Hit {
	t.Helper()
	for _, h := range res.Hits {
		if h.Article != nil && byID[h.Article.ID] == name {
			return h
		}
	}
	t.Fatalf("no hit for %s among %v", name, hitNames(res, byID))
	return ottwatch.Hit{}
}

func testSnippets(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	tests := []struct {
		name   string
		q      ottwatch.Query
		hit    string
		marked []string // each must be inside some marked part
		prefix string   // the snippet must start with it, when set
	}{
		{"body", ottwatch.Query{Text: "telecomunicazione"}, It1, []string{"telecomunicazioni"}, ""},
		{"curly apostrophe", ottwatch.Query{Text: "Agcom", Langs: []string{"it"}}, It1, []string{"Agcom"}, ""},
		{"straight apostrophe", ottwatch.Query{Text: "Agcom"}, It2, []string{"Agcom"}, ""},
		{"title only", ottwatch.Query{Text: "accelera"}, It2, []string{"accelera"}, ""},
		{"phrase", ottwatch.Query{Text: `"rete unica"`}, It1, []string{"rete", "unica"}, ""},
		{"browse uses description", ottwatch.Query{Langs: []string{"it"}}, It1, nil, "L'autorità interviene sul mercato"},
		{"browse without description uses body", ottwatch.Query{Langs: []string{"es"}}, Es1, nil, "La compañía Telefónica ha completado"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := search(t, x, tt.q)
			for _, h := range res.Hits {
				s := h.Snippet
				if strings.ContainsAny(s, "\n\r\t<>") || utf8.RuneCountInString(s) > 300 || s == "" {
					t.Errorf("snippet %q: want one non-empty line of plain text, about 200 characters", s)
				}
			}
			s := hitOf(t, res, byID, tt.hit).Snippet
			for _, m := range tt.marked {
				if !markedContains(s, m) {
					t.Errorf("snippet %q: want %q marked with **", s, m)
				}
			}
			if tt.marked == nil && strings.Contains(s, "**") {
				t.Errorf("snippet %q: want no marks without text", s)
			}
			if !strings.HasPrefix(s, tt.prefix) {
				t.Errorf("snippet %q: want it to start %q", s, tt.prefix)
			}
		})
	}
}

func testStemming(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	runMatches(t, x, byID, []matchCase{
		{"italian", ottwatch.Query{Text: "telecomunicazione"}, []string{It1}},
		{"french", ottwatch.Query{Text: "consommateur"}, []string{Fr1}},
		{"spanish", ottwatch.Query{Text: "operador"}, []string{Es1}},
		{"german", ottwatch.Query{Text: "Netzbetreiber"}, []string{De1}},
		{"english", ottwatch.Query{Text: "regulator"}, []string{En1}},
	})
}

func testUnicode(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	runMatches(t, x, byID, []matchCase{
		{"both apostrophes", ottwatch.Query{Text: "Agcom"}, []string{It1, It2}},
		{"lowercase", ottwatch.Query{Text: "agcom"}, []string{It1, It2}},
		{"elided query", ottwatch.Query{Text: "dell’Agcom"}, []string{It1, It2}},
		{"french elision", ottwatch.Query{Text: "Arcep"}, []string{Fr1}},
		{"accent dropped", ottwatch.Query{Text: "Telefonica"}, []string{Es1}},
		{"accent kept", ottwatch.Query{Text: "Telefónica"}, []string{Es1}},
		{"german umlaut dropped", ottwatch.Query{Text: "Gebuhren"}, []string{De1}},
		{"french accent dropped", ottwatch.Query{Text: "regulateur"}, []string{Fr1}},
		{"uppercase", ottwatch.Query{Text: "NETFLIX"}, []string{En1}},
		{"punctuation only", ottwatch.Query{Text: "?!…"}, nil},
	})
}

func testPhrase(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	runMatches(t, x, byID, []matchCase{
		// it2 has both words, apart.
		{"words", ottwatch.Query{Text: "rete unica"}, []string{It1, It2}},
		{"phrase", ottwatch.Query{Text: `"rete unica"`}, []string{It1}},
		{"curly quotes", ottwatch.Query{Text: "“rete unica”"}, []string{It1}},
		{"phrase and word", ottwatch.Query{Text: `"rete unica" giugno`}, []string{It1}},
		{"phrase missing", ottwatch.Query{Text: `"unica rete"`}, nil},
	})
}

// testQueryLanguage runs the query language (see ottwatch.ParseQueryText)
// that both backends answer alike; alternatives joined by OR are among the
// differences.
func testQueryLanguage(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	runMatches(t, x, byID, []matchCase{
		{"every word", ottwatch.Query{Text: "Agcom TIM"}, []string{It1, It2}},
		{"no article has every word", ottwatch.Query{Text: "Telekom Vodafone"}, nil},
		{"plus signs", ottwatch.Query{Text: "+Agcom +fibra"}, []string{It2}},
		{"AND", ottwatch.Query{Text: "Agcom AND fibra"}, []string{It2}},
		{"excluded word", ottwatch.Query{Text: "Agcom -fibra"}, []string{It1}},
		{"excluded phrase", ottwatch.Query{Text: `Agcom -"rete unica"`}, []string{It2}},
		{"only an exclusion, with a filter", ottwatch.Query{Text: "-fibra", Langs: []string{"it"}}, []string{It1}},
		{"language in the text", ottwatch.Query{Text: "TIM lang:it"}, []string{It1, It2}},
		{"language in the text, elsewhere", ottwatch.Query{Text: "Agcom lang:fr"}, nil},
		{"entity in the text", ottwatch.Query{Text: "entity:netflix"}, []string{En1}},
		{"word and entity in the text", ottwatch.Query{Text: "streaming entity:netflix"}, []string{En1}},
		{"no words, a filter", ottwatch.Query{Entities: []string{"tim"}}, []string{It1, It2}},
	})
	// An exclusion only ever takes hits away.
	all := hitNames(search(t, x, ottwatch.Query{Text: "TIM", Limit: 100}), byID)
	some := hitNames(search(t, x, ottwatch.Query{Text: "TIM -fibra", Limit: 100}), byID)
	for _, h := range some {
		if !slices.Contains(all, h) {
			t.Errorf("TIM -fibra found %s, which TIM does not", h)
		}
	}
	if len(some) >= len(all) {
		t.Errorf("TIM -fibra = %v, TIM = %v: want fewer", some, all)
	}
}

func testEntityNames(t *testing.T, open Opener) {
	x, byID := loaded(t, open)
	// "Deutsche" is only in the name of an entity de1 mentions.
	runMatches(t, x, byID, []matchCase{
		{"name", ottwatch.Query{Text: "Deutsche"}, []string{De1}},
		{"full name", ottwatch.Query{Text: "deutsche telekom"}, []string{De1}},
	})
}

func testCanceled(t *testing.T, open Opener) {
	x := open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	list, _ := all()
	if err := x.Upsert(ctx, list); !errors.Is(err, context.Canceled) {
		t.Errorf("Upsert: err = %v, want context.Canceled", err)
	}
	if _, err := x.Search(ctx, ottwatch.Query{Text: "Agcom"}); !errors.Is(err, context.Canceled) {
		t.Errorf("Search: err = %v, want context.Canceled", err)
	}
	if n := count(t, x); n != 0 {
		t.Errorf("Count after canceled Upsert = %d, want 0", n)
	}
}
