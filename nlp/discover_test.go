package nlp

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

func discoverFixture(t *testing.T) []*ottwatch.Article {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "discover", "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var articles []*ottwatch.Article
	if err := json.Unmarshal(data, &articles); err != nil {
		t.Fatal(err)
	}
	return articles
}

// TestDiscover checks that Discover finds the organisations planted in a
// multilingual fixture, which the gazetteer does not know, and none of its
// ordinary words, places, people or known entities.
func TestDiscover(t *testing.T) {
	g := DefaultGazetteer()
	got := g.Discover(discoverFixture(t), DiscoverOptions{})
	var names []string
	for _, c := range got {
		names = append(names, c.Name)
	}
	for _, planted := range []string{"Nordlicht Netz", "Ondaverde Mobile"} {
		i := slices.Index(names, planted)
		if i < 0 {
			t.Errorf("Discover = %q, want %q", names, planted)
			continue
		}
		c := got[i]
		if c.Articles < 2 || len(c.Langs) < 2 || len(c.Examples) == 0 || c.FirstSeen.IsZero() {
			t.Errorf("%s: %+v, want 2 articles at least in 2 languages at least, examples and a first date", planted, c)
		}
		if !c.LegalForm {
			t.Errorf("%s: no legal form found (it is written with GmbH / S.r.l.)", planted)
		}
		if _, known := g.Lookup(planted); known {
			t.Errorf("%s is in the gazetteer: the fixture must plant unknown names", planted)
		}
	}
	for _, name := range names {
		if name != "Nordlicht Netz" && name != "Ondaverde Mobile" {
			t.Errorf("Discover found %q, which is no new organisation (all: %q)", name, names)
		}
	}
	if len(got) > 0 && !strings.Contains(strings.Join(got[0].Examples, " "), got[0].Name) {
		t.Errorf("the examples of %s do not name it: %q", got[0].Name, got[0].Examples)
	}
}

func TestSentences(t *testing.T) {
	got := sentences("La Ondaverde Mobile S.r.l. ha chiesto l'autorizzazione. Amazon.com vende.\nTitolo")
	want := []string{"La Ondaverde Mobile S.r.l. ha chiesto l'autorizzazione.", "Amazon.com vende.", "Titolo"}
	if !slices.Equal(got, want) {
		t.Errorf("sentences = %q, want %q", got, want)
	}
}

func TestAddToOverlay(t *testing.T) {
	nordlicht := ottwatch.Entity{ID: "nordlicht-netz", Name: "Nordlicht Netz", Type: ottwatch.Company, Country: "DE"}
	overlay, err := AddToOverlay(nil, nil, nordlicht)
	if err != nil {
		t.Fatal(err)
	}
	ondaverde := ottwatch.Entity{ID: "ondaverde-mobile", Name: "Ondaverde Mobile", Type: ottwatch.Product,
		Parent: "nordlicht-netz", Aliases: []string{"Ondaverde Mobile", "Ondaverde"}}
	if overlay, err = AddToOverlay(nil, overlay, ondaverde); err != nil {
		t.Fatal(err)
	}
	g, err := LoadOverlay(strings.NewReader(string(overlay)))
	if err != nil {
		t.Fatalf("%v\n%s", err, overlay)
	}
	got := g.Match("Die Nordlicht Netz GmbH und Ondaverde bauen das Netz aus.", "de")
	if len(got) != 2 || got[0].ID != "nordlicht-netz" || got[1].ID != "ondaverde-mobile" {
		t.Errorf("Match with the overlay = %+v", got)
	}
	if d := g.Descendants("nordlicht-netz"); !slices.Equal(d, []string{"ondaverde-mobile"}) {
		t.Errorf("Descendants = %v", d)
	}
	for _, bad := range []ottwatch.Entity{
		{ID: "amazon", Name: "Amazon again", Type: ottwatch.Company},
		{ID: "new-one", Name: "New", Type: ottwatch.Company, Parent: "nosuch"},
		{ID: "Bad Id", Name: "Bad", Type: ottwatch.Company},
		{ID: "agcom-two", Name: "Agcom", Type: ottwatch.Regulator},
	} {
		if _, err := AddToOverlay(nil, overlay, bad); err == nil {
			t.Errorf("AddToOverlay(%+v) accepted", bad)
		}
	}
}
