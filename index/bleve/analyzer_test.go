package bleve

import (
	"slices"
	"testing"

	"github.com/ottwatch/ottwatch/index"
)

// terms returns the terms the analyzer of suffix makes of text.
func terms(t *testing.T, analyzer, text string) []string {
	t.Helper()
	m, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed(analyzer)
	if a == nil {
		t.Fatalf("no analyzer %s", analyzer)
	}
	var out []string
	for _, tok := range a.Analyze([]byte(text)) {
		out = append(out, string(tok.Term))
	}
	return out
}

func TestAnalyzersConflate(t *testing.T) {
	tests := []struct {
		analyzer string
		a, b     string
	}{
		{analyzerName("it"), "telecomunicazione", "telecomunicazioni"},
		{analyzerName("it"), "Agcom", "all’Agcom"},
		{analyzerName("it"), "Agcom", "dell'Agcom"},
		{analyzerName("it"), "citta", "città"},
		{analyzerName("fr"), "consommateur", "consommateurs"},
		{analyzerName("fr"), "Arcep", "l’Arcep"},
		{analyzerName("fr"), "operateur", "opérateurs"},
		{analyzerName("es"), "Telefonica", "Telefónica"},
		{analyzerName("es"), "operador", "operadores"},
		{analyzerName("de"), "Netzbetreiber", "Netzbetreibern"},
		{analyzerName("de"), "Gebuhren", "Gebühren"},
		{analyzerName("en"), "regulator", "regulators"},
		{analyzerName("en"), "Telefonica", "Telefónica’s"},
		{analyzerName("pt"), "operadora", "operadoras"},
		{analyzerName(index.FallbackLang), "Telefonica", "Telefónica"},
		{nameAnalyzer, "telefonica", "Telefónica"},
	}
	for _, tt := range tests {
		t.Run(tt.analyzer+"/"+tt.a+"/"+tt.b, func(t *testing.T) {
			ta, tb := terms(t, tt.analyzer, tt.a), terms(t, tt.analyzer, tt.b)
			if len(ta) == 0 || !slices.Equal(ta, tb) {
				t.Errorf("%q → %q, %q → %q: want equal, non-empty", tt.a, ta, tt.b, tb)
			}
		})
	}
}
