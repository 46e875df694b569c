package ottwatch

import "testing"

func TestArticleID(t *testing.T) {
	a := ArticleID("https://www.example.com/a")
	if len(a) != 32 || a != ArticleID("https://www.example.com/a") {
		t.Errorf("ArticleID not a stable 32-hex id: %q", a)
	}
	if a == ArticleID("https://www.example.com/b") {
		t.Error("two URLs share an id")
	}
}

func TestEntityTypeValid(t *testing.T) {
	for _, tt := range []struct {
		t    EntityType
		want bool
	}{{Company, true}, {Regulator, true}, {Court, true}, {Government, true}, {Person, true}, {Product, true}, {"shop", false}, {"", false}} {
		if got := tt.t.Valid(); got != tt.want {
			t.Errorf("%q.Valid() = %t", tt.t, got)
		}
	}
}

func TestEntityIDs(t *testing.T) {
	a := &Article{Entities: []Mention{{ID: "amazon"}, {ID: "agcom"}}}
	if got := a.EntityIDs(); len(got) != 2 || got[0] != "amazon" || got[1] != "agcom" {
		t.Errorf("EntityIDs() = %v", got)
	}
}
