package bleve

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch/index"
)

// locs returns a span for each [start, end) pair.
func locs(pairs ...int) []span {
	var m []span
	for i := 0; i+1 < len(pairs); i += 2 {
		m = append(m, span{pairs[i], pairs[i+1]})
	}
	return m
}

func TestHighlight(t *testing.T) {
	long := strings.Repeat("parola ", 60) + "Agcom decide.\n\n" + strings.Repeat("altra ", 60)
	at := strings.Index(long, "Agcom")
	tests := []struct {
		name string
		text string
		locs []span
		want string // exact, or with prefix "~" a substring
	}{
		{"short", "La rete unica.", locs(3, 7), "La **rete** unica."},
		{"phrase merged", "La rete unica.", locs(3, 7, 8, 13), "La **rete unica**."},
		{"overlap merged", "La rete unica.", locs(3, 7, 5, 13), "La **rete unica**."},
		{"newlines collapsed", "Prima riga\n\n  seconda\triga", locs(14, 21), "Prima riga **seconda** riga"},
		{"accented", "È città già nota", locs(3, 9), "È **città** già nota"},
		{"middle of long", long, locs(at, at+5), "~ parola **Agcom** decide. altra "},
		{"out of range dropped", "breve", locs(2, 99), ""},
		{"mid-rune dropped", "città", locs(5, 6), ""},
		{"empty span dropped", "città", locs(2, 2), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spans := mergeSpans(tt.locs, tt.text)
			got := ""
			if len(spans) > 0 {
				got = highlight(tt.text, spans)
			}
			if sub, ok := strings.CutPrefix(tt.want, "~"); ok {
				if !strings.Contains(got, sub) {
					t.Errorf("highlight = %q, want it to contain %q", got, sub)
				}
			} else if got != tt.want {
				t.Errorf("highlight = %q, want %q", got, tt.want)
			}
			if n := utf8.RuneCountInString(got); n > index.SnippetRunes+20 {
				t.Errorf("highlight = %d characters, want about %d", n, index.SnippetRunes)
			}
		})
	}
}

func TestHighlightPicksDensestWindow(t *testing.T) {
	text := "Agcom apre. " + strings.Repeat("niente ", 80) + "Agcom e TIM e Agcom. " + strings.Repeat("fine ", 80)
	var pairs []int
	for i := 0; ; {
		j := strings.Index(text[i:], "Agcom")
		if j < 0 {
			break
		}
		pairs = append(pairs, i+j, i+j+5)
		i += j + 5
	}
	got := highlight(text, mergeSpans(locs(pairs...), text))
	if !strings.Contains(got, "**Agcom** e TIM e **Agcom**") || strings.HasPrefix(got, "**Agcom** apre") {
		t.Errorf("highlight = %q, want the window with two matches", got)
	}
}

func TestLead(t *testing.T) {
	tests := []struct{ text, want string }{
		{"", ""},
		{"  Breve\n testo. ", "Breve testo."},
		{strings.Repeat("abc ", 100), strings.TrimSpace(strings.Repeat("abc ", 50)) + index.Ellipsis},
		{strings.Repeat("x", 300), strings.Repeat("x", index.SnippetRunes) + index.Ellipsis},
	}
	for _, tt := range tests {
		if got := index.Lead(tt.text); got != tt.want {
			t.Errorf("index.Lead(%.20q…) = %q, want %q", tt.text, got, tt.want)
		}
	}
}
