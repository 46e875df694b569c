package index

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

func TestAmountsIn(t *testing.T) {
	tests := []struct {
		text, lang string
		want       []string
	}{
		{"una multa di 1,2 milioni di euro", "it", []string{"1.2e+06"}},
		{"a fine of 1.2 million euros", "en", []string{"1.2e+06"}},
		{"une amende de 1,16 million d'euros", "fr", []string{"1.2e+06"}},
		{"ein Bußgeld von 800.000 Euro", "de", []string{"800000"}},
		{"an 800,000 euro fine", "en", []string{"800000"}},
		{"una sanzione da 800 mila euro", "it", []string{"800000"}},
		{"une amende de 800 000 euros", "fr", []string{"800000"}},
		{"17.000 millones de euros", "es", []string{"1.7e+10"}},
		{"17 miliardi di euro", "it", []string{"1.7e+10"}},
		{"€1.5bn", "en", []string{"1.5e+09"}},
		{"il 29,65% del capitale", "it", []string{"%30"}},
		{"29.65 percent", "en", []string{"%30"}},
		{"entro il 2027, dal 15 settembre, tre clienti, 40 giorni", "it", nil},
	}
	for _, tt := range tests {
		got := amountsIn(strings.ToLower(textnorm.Fold(tt.text)), tt.lang)
		if !slices.Equal(got, tt.want) {
			t.Errorf("amountsIn(%q, %s) = %q, want %q", tt.text, tt.lang, got, tt.want)
		}
	}
}

func TestDatesIn(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"la delibera del 3 novembre", []string{"11-03"}},
		{"la décision du 1er octobre", []string{"10-01"}},
		{"la resolución del 15 de septiembre", []string{"09-15"}},
		{"die Entscheidung vom 3. November", []string{"11-03"}},
		{"a filing dated September 5 and 5 September", []string{"09-05"}},
		{"in May, 2025 and 42 march", nil},
	}
	for _, tt := range tests {
		if got := datesIn(strings.ToLower(textnorm.Fold(tt.text))); !slices.Equal(got, tt.want) {
			t.Errorf("datesIn(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestSameEvent(t *testing.T) {
	fine := func(lang string, t int64, amounts ...string) *evidence {
		return &evidence{Lang: lang, Time: t, Entities: map[string]int{"agcom": 2, "iliad": 3},
			Topics: []string{"fines-sanctions"}, Amounts: amounts}
	}
	day := int64(86400)
	tests := []struct {
		name string
		a, b *evidence
		same bool
	}{
		{"same fine, two languages", fine("it", 0, "1.2e+06"), fine("fr", day/2, "1.2e+06"), true},
		{"another fine two months later", fine("it", 0, "1.2e+06"), fine("it", 60*day, "800000"), false},
		{"another amount the same week", fine("it", 0, "1.2e+06"), fine("en", day, "800000"), false},
		{"one entity in common", &evidence{Entities: map[string]int{"iliad": 1}}, &evidence{Entities: map[string]int{"iliad": 3, "fibercop": 3}}, false},
	}
	for _, tt := range tests {
		if got := sameEvent(tt.a, tt.b); (got >= EventThreshold) != tt.same {
			t.Errorf("%s: score %.2f", tt.name, got)
		}
	}
}

func TestTermCountsJSON(t *testing.T) {
	tests := []struct {
		name, raw string
		want      termCounts
		bad       bool
	}{
		{"as written", `"agcom:3 iliad:1 multa:2"`, termCounts{{"agcom", 3}, {"iliad", 1}, {"multa", 2}}, false},
		{"empty", `""`, termCounts{}, false},
		{"object of archives before", `{"multa":2,"agcom":3,"iliad":1}`, termCounts{{"agcom", 3}, {"iliad", 1}, {"multa", 2}}, false},
		{"no count", `"agcom iliad:1"`, nil, true},
		{"count not a number", `"agcom:x"`, nil, true},
		{"not a string", `[1, 2]`, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got termCounts
			err := got.UnmarshalJSON([]byte(tt.raw))
			if tt.bad {
				if err == nil {
					t.Errorf("read %s as %v, want an error", tt.raw, got)
				}
				return
			}
			if err != nil || !slices.Equal(got, tt.want) {
				t.Fatalf("read %s as %v, %v; want %v", tt.raw, got, err, tt.want)
			}
			raw, err := got.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			var again termCounts
			if err := again.UnmarshalJSON(raw); err != nil || !slices.Equal(again, got) {
				t.Errorf("%s read back as %v, %v", raw, again, err)
			}
		})
	}
}

func TestCosine(t *testing.T) {
	tests := []struct {
		a, b termCounts
		want float64
	}{
		{termCounts{{"agcom", 1}, {"multa", 1}}, termCounts{{"agcom", 1}, {"multa", 1}}, 1},
		{termCounts{{"agcom", 1}}, termCounts{{"iliad", 1}}, 0},
		{termCounts{{"agcom", 2}, {"iliad", 1}}, termCounts{{"iliad", 2}}, 2 / math.Sqrt(5*4)},
		{termCounts{{"agcom", 1}}, nil, 0},
	}
	for _, tt := range tests {
		if got := cosine(tt.a, tt.b); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("cosine(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
