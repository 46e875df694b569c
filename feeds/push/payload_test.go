package push

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// storyFixture is a story covered in Italian, French and English, and its
// articles, one of them undated.
func storyFixture() (*ottwatch.Story, []*ottwatch.Article) {
	at := func(s string) time.Time {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			panic(err)
		}
		return t
	}
	articles := []*ottwatch.Article{
		{ID: "a1", URL: "https://www.corrierecomunicazioni.it/amazon-autorizzazione?utm_source=x", CanonicalURL: "https://www.corrierecomunicazioni.it/amazon-autorizzazione",
			Title: "Amazon chiede al Mise l'autorizzazione per le telecomunicazioni", Lang: "it", Source: "corrierecomunicazioni.it",
			Published: at("2026-11-03T09:30:00+01:00")},
		{ID: "b2", URL: "https://www.lesechos.fr/tech/amazon-operateur", Title: "Amazon, opérateur télécoms en Italie <bientôt> & plus", Lang: "fr",
			Source: "lesechos.fr", Published: at("2026-11-03T14:00:00+01:00")},
		{ID: "c3", URL: "https://telecompaper.com/amazon-italy", Title: "Amazon seeks Italian telecom licence | report", Lang: "en", Source: "telecompaper.com"},
		{ID: "d4", URL: "https://www.repubblica.it/amazon-tlc", Title: "Amazon diventa operatore tlc", Lang: "it", Source: "repubblica.it",
			Published: at("2026-11-03T08:00:00Z")},
	}
	s := &ottwatch.Story{ID: "a1", Headline: "Amazon chiede al Mise l'autorizzazione per le telecomunicazioni", HeadlineLang: "it",
		Headlines: map[string]string{"it": "Amazon chiede al Mise l'autorizzazione per le telecomunicazioni",
			"fr": "Amazon, opérateur télécoms en Italie <bientôt> & plus", "en": "Amazon seeks Italian telecom licence | report"},
		FirstSeen: at("2026-11-03T10:00:00+01:00"), Updated: at("2026-11-04T07:15:00Z"), Published: at("2026-11-03T08:00:00Z"),
		Langs: []string{"it", "en", "fr"}, Sources: []string{"corrierecomunicazioni.it", "lesechos.fr", "repubblica.it", "telecompaper.com"},
		Entities: []string{"amazon", "mimit", "agcom"}, Topics: []string{"licensing"}, Articles: []string{"a1", "b2", "c3", "d4"}, Seq: 42}
	return s, articles
}

func TestPayloadGolden(t *testing.T) {
	s, articles := storyFixture()
	amazon := ottwatch.Watchlist{Name: "amazon-telecom", Title: "Amazon in telecom", Entities: []string{"amazon"}}
	french := ottwatch.Watchlist{Name: "amazon-fr", Entities: []string{"amazon"}, Langs: []string{"fr", "it"}}
	tests := []struct {
		golden string
		w      ottwatch.Watchlist
		format string
		told   []string
	}{
		{"new.json", amazon, ottwatch.WebhookJSON, nil},
		{"updated.json", amazon, ottwatch.WebhookJSON, []string{"a1", "d4"}},
		{"headline-in-watchlist-language.json", french, ottwatch.WebhookJSON, nil},
		{"slack-new.json", amazon, ottwatch.WebhookSlack, nil},
		{"slack-updated.json", amazon, ottwatch.WebhookSlack, []string{"a1", "d4"}},
		{"slack-one-article.json", amazon, ottwatch.WebhookSlack, nil},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			s, articles := s, articles
			if tt.golden == "slack-one-article.json" {
				one := *s
				one.Articles, one.Langs, one.Sources = one.Articles[:1], one.Langs[:1], one.Sources[:1]
				s, articles = &one, articles[:1]
			}
			p := NewPayload(tt.w, HookKey(tt.w, ottwatch.Webhook{Name: "team"}), s, articles, tt.told)
			body, err := Body(tt.format, p)
			if err != nil {
				t.Fatal(err)
			}
			// The same story gives the same bytes, whatever the order of
			// its articles.
			reversed := slices.Clone(articles)
			slices.Reverse(reversed)
			again, _ := Body(tt.format, NewPayload(tt.w, HookKey(tt.w, ottwatch.Webhook{Name: "team"}), s,
				reversed, tt.told))
			if !bytes.Equal(body, again) {
				t.Errorf("the order of the articles changes the body:\n%s\n%s", body, again)
			}
			var out bytes.Buffer
			if err := json.Indent(&out, body, "", "  "); err != nil {
				t.Fatalf("body is not JSON: %v\n%s", err, body)
			}
			out.WriteByte('\n')
			path := filepath.Join("testdata", "golden", tt.golden)
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, out.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./feeds/push -update writes it)", err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Errorf("%s differs (go test ./feeds/push -update rewrites it):\n%s", path, out.Bytes())
			}
		})
	}
}

func TestNoticeIDChangesWithCoverage(t *testing.T) {
	s, articles := storyFixture()
	w := ottwatch.Watchlist{Name: "amazon-telecom"}
	first := NewPayload(w, "k", s, articles, nil)
	retried := NewPayload(w, "k", s, articles, nil)
	more := *s
	more.Articles = append(append([]string{}, s.Articles...), "e5")
	grown := NewPayload(w, "k", &more, articles, s.Articles)
	other := NewPayload(w, "k2", s, articles, nil)
	switch {
	case first.Notice != retried.Notice:
		t.Errorf("the same notice has two ids: %s, %s", first.Notice, retried.Notice)
	case first.Notice == grown.Notice:
		t.Errorf("new coverage keeps the notice id %s", first.Notice)
	case first.Notice == other.Notice:
		t.Errorf("two webhooks share the notice id %s", first.Notice)
	}
}
