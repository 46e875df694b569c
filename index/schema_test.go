package index

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

func TestLangSuffix(t *testing.T) {
	tests := []struct{ lang, want string }{
		{"it", "it"},
		{"IT", "it"},
		{" fr ", "fr"},
		{"pt-BR", "pt"},
		{"de_CH", "de"},
		{"nl", FallbackLang},
		{"", FallbackLang},
		{"italian", FallbackLang},
		{"-", FallbackLang},
	}
	for _, tt := range tests {
		if got := LangSuffix(tt.lang); got != tt.want {
			t.Errorf("LangSuffix(%q) = %q, want %q", tt.lang, got, tt.want)
		}
	}
}

func TestSuffixes(t *testing.T) {
	got := Suffixes()
	if want := []string{"it", "fr", "es", "de", "en", "pt", "xx"}; !slices.Equal(got, want) {
		t.Errorf("Suffixes() = %v, want %v", got, want)
	}
	got[0] = "changed"
	if ottwatch.Languages[0] != "it" {
		t.Errorf("Suffixes shares Languages")
	}
}

func TestDocument(t *testing.T) {
	cet := time.FixedZone("CET", 3600)
	full := &ottwatch.Article{
		ID: "a1", URL: "https://x.it/a", Source: "x.it", Lang: "it",
		Title: "Titolo", Description: "Desc", Body: "Corpo",
		Published: time.Date(2024, 3, 10, 10, 0, 0, 0, cet),
		Fetched:   time.Date(2024, 3, 12, 8, 0, 0, 0, cet),
		Entities: []ottwatch.Mention{
			{ID: "tim", Name: "TIM", Type: ottwatch.Company},
			{ID: "agcom", Name: "Agcom", Type: ottwatch.Regulator},
			{ID: "open-fiber", Name: "Open Fiber", Type: ottwatch.Company},
		},
		Topics:  []string{"fiber", ""},
		Cluster: "c0ffee",
	}
	tests := []struct {
		name string
		a    *ottwatch.Article
		want map[string]any // without FieldArticle
	}{
		{"full", full, map[string]any{
			FieldID: "a1", FieldURL: "https://x.it/a", FieldSource: "x.it", FieldLang: "it", FieldCluster: "c0ffee",
			"title_it": "Titolo", "description_it": "Desc", "body_it": "Corpo",
			FieldEntities:    []string{"tim", "agcom", "open-fiber"},
			FieldEntityNames: []string{"TIM", "Agcom", "Open Fiber"},
			FieldEntityTypes: []string{"company", "regulator"},
			FieldTopics:      []string{"fiber"},
			FieldPublished:   time.Date(2024, 3, 10, 9, 0, 0, 0, time.UTC),
			FieldFetched:     time.Date(2024, 3, 12, 7, 0, 0, 0, time.UTC),
		}},
		{"minimal", &ottwatch.Article{ID: "a2", Title: "Hello"}, map[string]any{
			FieldID: "a2", "title_xx": "Hello",
		}},
		{"unknown language", &ottwatch.Article{ID: "a3", Body: "Hallo", Lang: "nl"}, map[string]any{
			FieldID: "a3", "body_xx": "Hallo", FieldLang: "nl",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Document(tt.a)
			if err != nil {
				t.Fatal(err)
			}
			raw, ok := doc[FieldArticle].(string)
			if !ok {
				t.Fatalf("no %s in %v", FieldArticle, doc)
			}
			back, err := DecodeArticle([]byte(raw))
			if err != nil || back.ID != tt.a.ID || !back.Published.Equal(tt.a.Published) {
				t.Errorf("DecodeArticle = %+v, %v", back, err)
			}
			delete(doc, FieldArticle)
			if !reflect.DeepEqual(doc, tt.want) {
				t.Errorf("Document =\n %#v\nwant\n %#v", doc, tt.want)
			}
		})
	}
}

func TestDocumentRejects(t *testing.T) {
	for _, a := range []*ottwatch.Article{
		nil,
		{Title: "no id"},
		{ID: "  "},
		{ID: "x", Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		if doc, err := Document(a); err == nil {
			t.Errorf("Document(%+v) = %v, want an error", a, doc)
		}
	}
	if _, err := DecodeArticle([]byte("{")); err == nil {
		t.Errorf("DecodeArticle of bad JSON: no error")
	}
}
