package nlp

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The precision and recall the embedded gazetteer must reach on the
// labelled sentences of testdata/entities, over all languages and in each.
const (
	minPrecision = 0.97
	minRecall    = 0.95
)

// labelled is one sentence of testdata/entities/labelled.tsv.
type labelled struct {
	line int
	lang string
	want []string
	trap string
	text string
}

func readLabelled(t testing.TB) []labelled {
	t.Helper()
	path := filepath.Join("..", "testdata", "entities", "labelled.tsv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []labelled
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 4 {
			t.Fatalf("%s:%d: %d fields, want 4 (lang, ids, trap, text)", path, n, len(fields))
		}
		l := labelled{line: n, lang: fields[0], trap: fields[2], text: fields[3]}
		if fields[1] != "-" {
			l.want = strings.Split(fields[1], ",")
		}
		if l.trap == "-" {
			l.trap = ""
		}
		out = append(out, l)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// score counts the entity tags of some sentences against their labels.
type score struct{ tp, fp, fn int }

func (s score) precision() float64 {
	if s.tp+s.fp == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fp)
}

func (s score) recall() float64 {
	if s.tp+s.fn == 0 {
		return 1
	}
	return float64(s.tp) / float64(s.tp+s.fn)
}

func (s score) String() string {
	return fmt.Sprintf("P %.3f R %.3f (tp %d, fp %d, fn %d)", s.precision(), s.recall(), s.tp, s.fp, s.fn)
}

// TestLabelledEntities measures the precision and recall of the embedded
// gazetteer on labelled sentences in five languages, traps included (brand
// names that are ordinary words, figures of speech), and fails below
// minPrecision or minRecall overall or in any language, or when a trap
// sentence is tagged wrongly. go test -v prints the scores and the traps.
func TestLabelledEntities(t *testing.T) {
	g := DefaultGazetteer()
	sentences := readLabelled(t)
	if len(sentences) < 200 {
		t.Fatalf("%d labelled sentences, want 200 at least", len(sentences))
	}
	var total score
	byLang := make(map[string]*score)
	traps := make(map[string][2]int) // trap -> passed, failed
	for _, s := range sentences {
		for _, id := range s.want {
			if _, ok := g.Entity(id); !ok {
				t.Errorf("line %d: unknown entity %q in the labels", s.line, id)
			}
		}
		var got []string
		for _, m := range g.Match(s.text, s.lang) {
			got = append(got, m.ID)
		}
		var sc score
		for _, id := range got {
			if slices.Contains(s.want, id) {
				sc.tp++
			} else {
				sc.fp++
			}
		}
		for _, id := range s.want {
			if !slices.Contains(got, id) {
				sc.fn++
			}
		}
		if sc.fp+sc.fn > 0 {
			t.Logf("line %d (%s): %q: got %v, want %v", s.line, s.lang, s.text, got, s.want)
		}
		if byLang[s.lang] == nil {
			byLang[s.lang] = &score{}
		}
		l := byLang[s.lang]
		l.tp, l.fp, l.fn = l.tp+sc.tp, l.fp+sc.fp, l.fn+sc.fn
		total.tp, total.fp, total.fn = total.tp+sc.tp, total.fp+sc.fp, total.fn+sc.fn
		if s.trap != "" {
			r := traps[s.trap]
			if sc.fp+sc.fn == 0 {
				r[0]++
			} else {
				r[1]++
				t.Errorf("trap %s, line %d (%s): %q: got %v, want %v", s.trap, s.line, s.lang, s.text, got, s.want)
			}
			traps[s.trap] = r
		}
	}
	for _, lang := range slices.Sorted(func(yield func(string) bool) {
		for l := range byLang {
			if !yield(l) {
				return
			}
		}
	}) {
		sc := *byLang[lang]
		t.Logf("%s: %v", lang, sc)
		if sc.precision() < minPrecision || sc.recall() < minRecall {
			t.Errorf("%s: %v, want P ≥ %.2f and R ≥ %.2f", lang, sc, minPrecision, minRecall)
		}
	}
	t.Logf("all: %v over %d sentences", total, len(sentences))
	if total.precision() < minPrecision || total.recall() < minRecall {
		t.Errorf("all: %v, want P ≥ %.2f and R ≥ %.2f", total, minPrecision, minRecall)
	}
	names := make([]string, 0, len(traps))
	for name := range traps {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		t.Logf("trap %s: %d passed, %d failed", name, traps[name][0], traps[name][1])
	}
}
