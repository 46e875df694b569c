package nlp

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

var update = flag.Bool("update", false, "rewrite golden files")

// extracted returns the fixture articles as the crawler's golden files
// hold them, keyed by path below testdata/golden/extract.
func extracted(t testing.TB) map[string]*ottwatch.Article {
	t.Helper()
	files, err := filepath.Glob("../testdata/golden/extract/*/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no extraction golden files: %v", err)
	}
	out := make(map[string]*ottwatch.Article)
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var a ottwatch.Article
		if err := json.Unmarshal(data, &a); err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel("../testdata/golden/extract", f)
		out[filepath.ToSlash(rel)] = &a
	}
	return out
}

// goldenTags is what golden files pin of an enriched article.
type goldenTags struct {
	Lang     string             `json:"lang"`
	Entities []ottwatch.Mention `json:"entities"`
	Topics   []string           `json:"topics"`
}

func TestEnrichFixtures(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	for path, a := range extracted(t) {
		t.Run(path, func(t *testing.T) {
			e.Enrich(a)
			if want := a.HTMLLang[:2]; a.Lang != want {
				t.Errorf("lang = %q (%.2f), page says %q", a.Lang, a.LangConfidence, a.HTMLLang)
			}
			if a.LangConfidence < 0.5 {
				t.Errorf("confidence %.2f on a whole article", a.LangConfidence)
			}
			got, err := json.MarshalIndent(goldenTags{a.Lang, a.Entities, a.Topics}, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("..", "testdata", "golden", "tags", path)
			if *update {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if string(got) != string(want) {
				t.Errorf("%s differs (run go test -update and review the diff):\n%s", golden, got)
			}
		})
	}
}

func TestEnrichSeeds(t *testing.T) {
	e, err := New()
	if err != nil {
		t.Fatal(err)
	}
	articles := extracted(t)
	tests := []struct {
		path   string
		lang   string
		has    []string
		hasNot []string
	}{
		{"it/amazon-autorizzazione-mise-telecomunicazioni.json", "it",
			[]string{"amazon", "amazon-connect", "prime-video", "mgm", "agcom", "mimit", "iliad", "poste-italiane"}, nil},
		{"fr/amazon-support-client-cour-justice-ue.json", "fr",
			[]string{"amazon", "cjeu", "european-union", "jeff-bezos"}, []string{"poste-italiane", "la-poste"}},
	}
	for _, tt := range tests {
		a := articles[tt.path]
		if a == nil {
			t.Fatalf("no fixture %s", tt.path)
		}
		e.Enrich(a)
		ids := a.EntityIDs()
		if a.Lang != tt.lang {
			t.Errorf("%s: lang %q", tt.path, a.Lang)
		}
		for _, id := range tt.has {
			if !slices.Contains(ids, id) {
				t.Errorf("%s: entities %v lack %q", tt.path, ids, id)
			}
		}
		for _, id := range tt.hasNot {
			if slices.Contains(ids, id) {
				t.Errorf("%s: entities %v have %q", tt.path, ids, id)
			}
		}
	}
}

func BenchmarkEnrich(b *testing.B) {
	e, err := New()
	if err != nil {
		b.Fatal(err)
	}
	var articles []*ottwatch.Article
	var size int64
	for _, a := range extracted(b) {
		articles = append(articles, a)
		size += int64(len(a.Title) + len(a.Body))
	}
	e.Enrich(articles[0]) // load the language models outside the timing
	b.SetBytes(size)
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range articles {
			e.Enrich(a)
		}
	}
	b.ReportMetric(float64(b.N*len(articles))/b.Elapsed().Seconds(), "articles/s")
}

func BenchmarkTag(b *testing.B) {
	g := DefaultGazetteer()
	var texts []string
	for _, a := range extracted(b) {
		texts = append(texts, a.HTMLLang[:2]+"\x00"+a.Title+"\n\n"+a.Body)
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, t := range texts {
			lang, text, _ := strings.Cut(t, "\x00")
			g.Tag(text, lang)
		}
	}
	b.ReportMetric(float64(b.N*len(texts))/b.Elapsed().Seconds(), "articles/s")
}
