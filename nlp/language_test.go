package nlp

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

func TestDetect(t *testing.T) {
	d, err := NewDetector(ottwatch.Languages)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, prior, want string
	}{
		{"italian", "L'Autorità per le garanzie nelle comunicazioni ha avviato un'istruttoria sulle offerte degli operatori di telefonia mobile.", "", "it"},
		{"french", "L'Autorité de régulation des communications électroniques a publié son rapport annuel sur le déploiement de la fibre optique.", "", "fr"},
		{"spanish", "La Comisión Nacional de los Mercados y la Competencia ha abierto un expediente a los operadores de telefonía.", "", "es"},
		{"german", "Die Bundesnetzagentur hat die Vergabe der Frequenzen für den Mobilfunk verschoben.", "", "de"},
		{"english", "The European Commission has opened an investigation into the network fees proposed by telecom operators.", "", "en"},
		{"portuguese", "A Anacom aprovou as novas regras para o leilão de frequências das operadoras de telecomunicações.", "", "pt"},
		{"short text follows the page", "Agcom", "it-IT", "it"},
		{"short text, other prior", "Agcom", "fr", "fr"},
		{"long text beats a wrong prior", "Die Bundesnetzagentur hat die Vergabe der Frequenzen für den Mobilfunk verschoben, weil die Betreiber mehr Zeit verlangen.", "en", "de"},
		{"unsupported prior ignored", "La Comisión Nacional de los Mercados y la Competencia ha abierto un expediente.", "ja", "es"},
		{"page language confirmed by the words", "L'Autorità per le garanzie nelle comunicazioni ha avviato un'istruttoria sulle offerte degli operatori di telefonia mobile, che dovranno rispondere entro trenta giorni alle richieste di chiarimento sulle nuove tariffe.", "it", "it"},
		{"word pair told by its words", "nuova rete", "", "it"},
		{"word pair told with statistics", "tarifa móvil", "", "es"},
		{"headline", "la justice européenne donne raison à Amazon", "", "fr"},
		{"no letters, no prior", "2026 — 42", "", ""},
		{"no letters, prior", "2026 — 42", "de", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conf := d.Detect(tt.text, tt.prior)
			if got != tt.want {
				t.Errorf("Detect(%q, %q) = %q (%.2f), want %q", tt.text, tt.prior, got, conf, tt.want)
			}
			if conf < 0 || conf > 1 {
				t.Errorf("confidence %v out of [0,1]", conf)
			}
		})
	}
}

func TestNewDetectorErrors(t *testing.T) {
	if _, err := NewDetector(nil); err == nil {
		t.Error("no languages: want an error")
	}
	if _, err := NewDetector([]string{"it", "zz"}); err == nil || !strings.Contains(err.Error(), "zz") {
		t.Errorf("unknown code: err = %v", err)
	}
	d, err := NewDetector([]string{"it"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Detect("whatever text", ""); got != "it" {
		t.Errorf("single language: got %q", got)
	}
}

func TestTruncateRunes(t *testing.T) {
	s := strings.Repeat("città ", 1000)
	got := truncateRunes(s, 2000)
	if n := len([]rune(got)); n > 2000 || n < 1900 {
		t.Errorf("truncated to %d runes", n)
	}
	if strings.HasSuffix(got, "citt") {
		t.Errorf("cut inside a word: %q", got[len(got)-10:])
	}
	if truncateRunes("short", 10) != "short" {
		t.Error("short text changed")
	}
}

// The share of testdata/nlp/short.tsv the detector must get right with no
// prior: of its word pairs and of its headlines over all languages, and of
// the word pairs of each language.
const (
	minShortAccuracy       = 0.90
	minShortAccuracyByLang = 0.88
)

// shortSample is one line of testdata/nlp/short.tsv.
type shortSample struct {
	line       int
	lang, text string
}

func readShortTexts(t testing.TB) []shortSample {
	t.Helper()
	path := filepath.Join("..", "testdata", "nlp", "short.tsv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []shortSample
	for n, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		lang, text, ok := strings.Cut(line, "\t")
		if !ok || !slices.Contains(ottwatch.Languages, lang) {
			t.Fatalf("%s:%d: want a language of ottwatch.Languages, a tab and the text", path, n+1)
		}
		out = append(out, shortSample{line: n + 1, lang: lang, text: text})
	}
	return out
}

// accuracy counts right answers by group.
type accuracy map[string][2]int

func (a accuracy) add(group string, right bool) {
	c := a[group]
	c[1]++
	if right {
		c[0]++
	}
	a[group] = c
}

func (a accuracy) of(group string) float64 {
	c := a[group]
	return float64(c[0]) / float64(c[1])
}

func TestShortTextAccuracy(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	d := e.Detector()
	acc := accuracy{}
	for _, s := range readShortTexts(t) {
		kind := "pairs"
		if len(strings.Fields(s.text)) > 2 {
			kind = "headlines"
		}
		got, _ := d.Detect(s.text, "")
		acc.add(kind, got == s.lang)
		acc.add(kind+" "+s.lang, got == s.lang)
		if got != s.lang {
			t.Logf("line %d: %q is %s, detected %q", s.line, s.text, s.lang, got)
		}
	}
	for _, kind := range []string{"pairs", "headlines"} {
		if acc[kind][1] == 0 {
			t.Fatalf("no %s in the labelled set", kind)
		}
		t.Logf("%s: %.1f%% of %d", kind, 100*acc.of(kind), acc[kind][1])
		if acc.of(kind) < minShortAccuracy {
			t.Errorf("%s: accuracy %.1f%%, want at least %.0f%%", kind, 100*acc.of(kind), 100*minShortAccuracy)
		}
		for _, l := range ottwatch.Languages {
			g := kind + " " + l
			t.Logf("%s: %.1f%% of %d", g, 100*acc.of(g), acc[g][1])
			if kind == "pairs" && acc[g][1] < 100 {
				t.Errorf("%s: %d word pairs, want at least 100", g, acc[g][1])
			}
			if kind == "pairs" && acc.of(g) < minShortAccuracyByLang {
				t.Errorf("%s: accuracy %.1f%%, want at least %.0f%%", g, 100*acc.of(g), 100*minShortAccuracyByLang)
			}
		}
	}
}

// TestSentenceLanguages checks detection without a prior on the labelled
// sentences of the entity tagger, each a sentence or two long.
func TestSentenceLanguages(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	acc := accuracy{}
	for _, l := range readLabelled(t) {
		got, _ := e.Detector().Detect(l.text, "")
		acc.add("all", got == l.lang)
		if got != l.lang {
			t.Logf("line %d: %s sentence detected as %q: %s", l.line, l.lang, got, l.text)
		}
	}
	t.Logf("%.1f%% of %d sentences", 100*acc.of("all"), acc["all"][1])
	if acc.of("all") < 0.98 {
		t.Errorf("accuracy %.1f%%, want at least 98%%", 100*acc.of("all"))
	}
}

func TestWordCheck(t *testing.T) {
	c := newWordCheck(ottwatch.Languages, map[string][]string{"it": {"rete unica"}, "fr": {"réseau"}})
	tests := []struct {
		text string
		want string // the language with the most evidence
	}{
		{"della rete", "it"},
		{"des opérateurs", "fr"},
		{"la subida de los precios", "es"},
		{"die Preise steigen", "de"},
		{"the price of the network", "en"},
		{"aumento dos preços", "pt"},
		{"nuova rete", "it"},     // the vocabulary
		{"autorizzazione", "it"}, // an ending
		{"Straße", "de"},         // a letter
		{"leilão das frequências", "pt"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			scores := c.scores(tt.text)
			best := 0
			for i := range scores {
				if scores[i] > scores[best] {
					best = i
				}
			}
			if got := ottwatch.Languages[best]; got != tt.want || slices.Max(scores) == 0 {
				t.Errorf("scores(%q) = %v, best %s, want %s", tt.text, scores, got, tt.want)
			}
		})
	}
	if got := c.scores("2026 — 42"); slices.Max(got) != 0 {
		t.Errorf("no words: scores %v", got)
	}
	if newWordCheck([]string{"it", "nl"}, nil) != nil {
		t.Error("a language without word lists: want no word check")
	}
}

func BenchmarkDetectShort(b *testing.B) {
	d, err := NewDetector(ottwatch.Languages, DefaultGazetteer().Vocabulary())
	if err != nil {
		b.Fatal(err)
	}
	samples := readShortTexts(b)
	d.Detect(samples[0].text, "") // load the models
	for i := 0; b.Loop(); i++ {
		d.Detect(samples[i%len(samples)].text, "")
	}
}

// BenchmarkDetectLong detects the language of texts of about
// maxDetectRunes, made of the labelled sentences of one language, with the
// page's language as a prior (as the crawl has it) and without.
func BenchmarkDetectLong(b *testing.B) {
	d, err := NewDetector(ottwatch.Languages, DefaultGazetteer().Vocabulary())
	if err != nil {
		b.Fatal(err)
	}
	byLang := make(map[string][]string)
	for _, l := range readLabelled(b) {
		byLang[l.lang] = append(byLang[l.lang], l.text)
	}
	type page struct{ lang, text string }
	var pages []page
	for _, lang := range ottwatch.Languages {
		text := strings.Join(byLang[lang], " ")
		pages = append(pages, page{lang, truncateRunes(text, maxDetectRunes)})
	}
	d.Detect(pages[0].text, "") // load the models
	for _, prior := range []bool{true, false} {
		name := "no prior"
		if prior {
			name = "page language"
		}
		b.Run(name, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				p := pages[i%len(pages)]
				if prior {
					d.Detect(p.text, p.lang)
				} else {
					d.Detect(p.text, "")
				}
			}
		})
	}
}

func TestDominant(t *testing.T) {
	c := newWordCheck(ottwatch.Languages, nil)
	tests := []struct {
		name, text, want string
	}{
		{"italian", strings.Repeat("Il governo ha detto che la rete degli operatori non è pronta e che gli investimenti sono ancora pochi. ", 3), "it"},
		{"german", strings.Repeat("Die Bundesnetzagentur hat die Vergabe der Frequenzen für den Mobilfunk verschoben, weil sie noch nicht bereit ist. ", 2), "de"},
		{"too few words", "Il governo ha detto che la rete non è pronta.", ""},
		{"two languages alike", strings.Repeat("Il governo ha detto che gli operatori sono pronti. The government said that the operators were ready. ", 3), ""},
		{"no function words", strings.Repeat("Iliad TIM Vodafone Agcom 5G FTTH ", 10), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conf := c.dominant(tt.text)
			if got != tt.want || (got != "" && (conf <= 0 || conf > 1)) {
				t.Errorf("dominant = %q (%.2f), want %q", got, conf, tt.want)
			}
		})
	}
}
