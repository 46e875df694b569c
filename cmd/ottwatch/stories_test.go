package main

import (
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

// TestStories lists the stories of the crawled fixture site: each story
// once, with its articles, the JSON carrying the story record, and the
// filters applied.
func TestStories(t *testing.T) {
	dir := crawledDataDir(t)
	out, _, err := run(t, "", "--data-dir", dir, "stories", "--limit", "0", "--json")
	if err != nil {
		t.Fatal(err)
	}
	stories := decode[[]ottwatch.Story](t, out)
	if len(stories) == 0 {
		t.Fatal("no stories")
	}
	seen := map[string]bool{}
	for _, s := range stories {
		if s.ID == "" || s.Headline == "" || len(s.Articles) == 0 || s.FirstSeen.IsZero() || s.Updated.Before(s.FirstSeen) {
			t.Errorf("story %+v: incomplete", s)
		}
		for _, id := range s.Articles {
			if seen[id] {
				t.Errorf("article %s in two stories", id)
			}
			seen[id] = true
		}
	}
	tests := []struct {
		name string
		args []string
		want string // in the output; "" for an error
	}{
		{"table", []string{"stories"}, "HEADLINE"},
		{"unknown entity", []string{"stories", "--entity", "nosuchthing"}, ""},
		{"bad since", []string{"stories", "--since", "yesterday-ish"}, ""},
		{"negative limit", []string{"stories", "--limit", "-1"}, ""},
		{"nothing in the future", []string{"stories", "--since", "2999-01-01"}, "no stories"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, _, err := run(t, "", append([]string{"--data-dir", dir}, tt.args...)...)
			if tt.want == "" {
				if err == nil {
					t.Errorf("no error; printed %q", out)
				}
				return
			}
			if err != nil || !strings.Contains(out, tt.want) {
				t.Errorf("err %v, output %q, want %q in it", err, out, tt.want)
			}
		})
	}
}
