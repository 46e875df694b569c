package nlp

import (
	"slices"
	"strings"
	"testing"
)

const testGazetteer = `
entities:
  - id: amazon
    name: Amazon
    type: company
    aliases:
      - text: Amazon
        not_after: ["in the"]
        not_before: [rainforest]
  - id: prime-video
    name: Prime Video
    type: product
    parent: amazon
    aliases: [Prime Video]
  - id: amazon-prime
    name: Amazon Prime
    type: product
    parent: amazon
    aliases:
      - Amazon Prime
      - {text: Prime, case: exact, not_sentence_start: true}
  - id: poste-italiane
    name: Poste Italiane
    type: company
    aliases:
      - Poste Italiane
      - {text: Poste, case: exact, langs: [it]}
  - id: la-poste
    name: La Poste
    type: company
    aliases: [La Poste]
  - id: agcom
    name: Agcom
    type: regulator
    aliases: [Agcom]
  - id: one-and-one
    name: 1&1
    type: company
    aliases: ["1&1"]
  - id: canal-plus
    name: Canal+
    type: company
    aliases: ["Canal+"]
  - id: telefonica
    name: Telefónica
    type: company
    aliases: [Telefónica]
topics:
  - id: licensing
    name: Licences
    terms:
      it: [autorizzazione]
      fr: [autorisation]
`

func testGaz(t *testing.T) *Gazetteer {
	t.Helper()
	g, err := LoadGazetteer(strings.NewReader(testGazetteer))
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestMatchRules(t *testing.T) {
	g := testGaz(t)
	tests := []struct {
		name, lang, text string
		want             []string
	}{
		{"elision curly", "it", "Secondo l’Agcom e all’Agcom", []string{"agcom"}},
		{"elision straight", "fr", "d'Amazon", []string{"amazon"}},
		{"longest wins", "it", "il pacchetto prime video", []string{"prime-video"}},
		{"lowercase prime is a word", "it", "le prime settimane", nil},
		{"exact Prime mid-sentence", "it", "abbonamenti Prime tutto incluso", []string{"amazon-prime"}},
		{"Prime at sentence start", "it", "Prime indiscrezioni sul mercato.", nil},
		{"Poste only in Italian", "fr", "Le Poste de directeur", nil},
		{"Poste in Italian", "it", "lo sbarco di Poste nel mercato", []string{"poste-italiane"}},
		{"Poste needs a known language", "", "lo sbarco di Poste nel mercato", nil},
		{"full name insensitive", "fr", "poste italiane", []string{"poste-italiane"}},
		{"not after", "en", "fires in the Amazon", nil},
		{"not before", "en", "the Amazon rainforest", nil},
		{"company", "en", "Amazon bought MGM", []string{"amazon"}},
		{"different token", "es", "la Amazonía", nil},
		{"ampersand", "de", "1&1 startet", []string{"one-and-one"}},
		{"plus", "fr", "Canal+ et", []string{"canal-plus"}},
		{"accents folded", "es", "Telefonica y TELEFÓNICA", []string{"telefonica"}},
		{"no partial words", "it", "Agcomm Amazonas", nil},
		{"a pattern starting inside a word hides nothing", "it", "il piano della Poste", []string{"poste-italiane"}},
		{"La Poste is not Poste Italiane", "it", "La Poste", []string{"la-poste"}},
		{"order of first mention", "it", "Agcom multa Amazon", []string{"agcom", "amazon"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range g.Match(tt.text, tt.lang) {
				got = append(got, m.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Match(%q, %q) = %v, want %v", tt.text, tt.lang, got, tt.want)
			}
		})
	}
}

func TestMatchCountsAndSurfaces(t *testing.T) {
	g := testGaz(t)
	m := g.Match("Agcom, poi l’Agcom e AGCOM.", "it")
	if len(m) != 1 || m[0].Count != 3 || !slices.Equal(m[0].Surfaces, []string{"Agcom", "AGCOM"}) {
		t.Fatalf("got %+v", m)
	}
	if m[0].Name != "Agcom" || m[0].Type != "regulator" {
		t.Errorf("name/type = %q/%q", m[0].Name, m[0].Type)
	}
}

func TestTopics(t *testing.T) {
	g := testGaz(t)
	if got := g.Topics("la richiesta di autorizzazione", "it"); !slices.Equal(got, []string{"licensing"}) {
		t.Errorf("it: %v", got)
	}
	if got := g.Topics("la richiesta di autorizzazione", "fr"); len(got) != 0 {
		t.Errorf("terms are per language: %v", got)
	}
}

func TestLoadGazetteerErrors(t *testing.T) {
	tests := []struct{ name, yaml, want string }{
		{"bad slug", "entities: [{id: Amazon, name: A, type: company, aliases: [A]}]", "slug"},
		{"bad type", "entities: [{id: a, name: A, type: shop, aliases: [A]}]", "unknown type"},
		{"no aliases", "entities: [{id: a, name: A, type: company}]", "no aliases"},
		{"unknown parent", "entities: [{id: a, name: A, type: company, parent: b, aliases: [A]}]", "unknown parent"},
		{"duplicate id", "entities: [{id: a, name: A, type: company, aliases: [A]}, {id: a, name: B, type: company, aliases: [B]}]", "twice"},
		{"shared alias", "entities: [{id: a, name: A, type: company, aliases: [Alpha]}, {id: b, name: B, type: company, aliases: [alpha]}]", "belongs to both"},
		{"bad case", "entities: [{id: a, name: A, type: company, aliases: [{text: A, case: upper}]}]", "case must be"},
		{"unknown field", "entities: [{id: a, name: A, type: company, alias: [A]}]", "not found"},
		{"bad wikidata", "entities: [{id: a, name: A, type: company, wikidata: X1, aliases: [A]}]", "wikidata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := LoadGazetteer(strings.NewReader(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"all’Agcom", "all agcom"},
		{"Amazon.com, Inc.", "amazon.com inc"},
		{"1&1 e Canal+.", "1&1 e canal+"},
		{"Metro-Goldwyn-Mayer", "metro goldwyn mayer"},
		{"Télécoms «Arcep»", "telecoms arcep"},
		{"Europäischen Gerichtshof", "europaischen gerichtshof"},
	}
	for _, tt := range tests {
		if got := joinFolded(tokenize(tt.in)); got != tt.want {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSynonyms(t *testing.T) {
	g, err := LoadGazetteer(strings.NewReader(`
entities:
  - {id: agcom, name: Agcom, type: regulator, aliases: [Agcom, AGCOM, Autorità per le garanzie nelle comunicazioni]}
  - {id: amazon-prime, name: Amazon Prime, type: product, aliases: [Amazon Prime, {text: Prime, case: exact}]}
`))
	if err != nil {
		t.Fatal(err)
	}
	syn := g.Synonyms()
	if got := syn["agcom"]; !slices.Equal(got, []string{"autorità per le garanzie nelle comunicazioni"}) {
		t.Errorf("synonyms of agcom = %q", got)
	}
	if _, ok := syn["prime"]; ok {
		t.Error("an alias with rules became a synonym")
	}
	if _, ok := syn["amazon prime"]; ok {
		t.Error("an entity with a single plain alias has synonyms")
	}
}

// TestLookUpMatchesAutomaton checks that the two ways of finding patterns,
// looking up runs of words (short texts) and the automaton (long ones),
// find the same occurrences: on every labelled sentence, and on all of
// them as one text.
func TestLookUpMatchesAutomaton(t *testing.T) {
	g := DefaultGazetteer()
	var texts, all []string
	for _, l := range readLabelled(t) {
		texts = append(texts, l.text)
		all = append(all, l.text)
	}
	texts = append(texts, strings.Join(all, " "), "", "Poste Italiane Poste Italiane Poste")
	type occ struct{ first, last, pattern int }
	collect := func(toks []token, scan func([]token, func(int, int, int))) []occ {
		var out []occ
		scan(toks, func(first, last, pattern int) { out = append(out, occ{first, last, pattern}) })
		return out
	}
	automaton := func(toks []token, found func(int, int, int)) {
		long := append(slices.Clone(toks), make([]token, shortScan+1)...) // past shortScan
		g.occurrences(long, func(first, last, pattern int) {
			if last < len(toks) {
				found(first, last, pattern)
			}
		})
	}
	found := 0
	for _, text := range texts {
		toks := tokenize(text)
		want := collect(toks, automaton)
		got := collect(toks, g.lookUp)
		if !slices.Equal(got, want) {
			t.Errorf("%.60q: looked up %v, automaton %v", text, got, want)
		}
		found += len(got)
	}
	if found < len(texts) {
		t.Errorf("%d occurrences in %d texts: too few to compare", found, len(texts))
	}
}

// BenchmarkLoadGazetteer measures what every command that tags or
// searches pays at start: reading the embedded gazetteer and tagging a
// query (which does not build the automaton).
func BenchmarkLoadGazetteer(b *testing.B) {
	for b.Loop() {
		g, err := LoadGazetteer(strings.NewReader(string(defaultGazetteerYAML)))
		if err != nil {
			b.Fatal(err)
		}
		g.EntitiesNamed("Iliad multa")
	}
}
