package meili

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch"
)

func TestSnippet(t *testing.T) {
	a := &ottwatch.Article{
		Lang: "it", Title: "Il titolo", Description: "La descrizione.",
		Body: "Il corpo\n\ndell'articolo.",
	}
	f := func(pairs ...string) map[string]json.RawMessage {
		m := map[string]json.RawMessage{}
		for i := 0; i+1 < len(pairs); i += 2 {
			m[pairs[i]], _ = json.Marshal(pairs[i+1])
		}
		return m
	}
	long := strings.Repeat("parola ", 60) + "**trovata** " + strings.Repeat("altra ", 60)
	tests := []struct {
		name      string
		formatted map[string]json.RawMessage
		want      string
	}{
		{"body first", f("body_it", "…il **corpo**\n\ndi…", "title_it", "Il **corpo**"), "…il **corpo** di…"},
		{"then description", f("body_it", "Il corpo", "description_it", "La **descrizione**."), "La **descrizione**."},
		{"then title", f("title_it", "Il **titolo**"), "Il **titolo**"},
		{"phrase marks merge", f("body_it", "la **rete** **unica** e"), "la **rete unica** e"},
		{"no match: description", f("body_it", "Il corpo"), "La descrizione."},
		{"no text", nil, "La descrizione."},
	}
	for _, tt := range tests {
		if got := snippet(a, tt.formatted); got != tt.want {
			t.Errorf("%s: snippet = %q, want %q", tt.name, got, tt.want)
		}
	}
	got := snippet(a, f("body_it", long))
	if n := utf8.RuneCountInString(got); n > 300 || !strings.Contains(got, "**trovata**") || strings.Count(got, "**")%2 != 0 {
		t.Errorf("long snippet (%d runes): %q", n, got)
	}
	b := &ottwatch.Article{Body: strings.Repeat("lungo ", 100)}
	if got := snippet(b, nil); utf8.RuneCountInString(got) > 210 || !strings.HasSuffix(got, "…") {
		t.Errorf("lead of the body: %q", got)
	}
}
