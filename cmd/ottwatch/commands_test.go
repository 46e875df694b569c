package main

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

func TestTag(t *testing.T) {
	tests := []struct {
		name, text string
		args       []string
		lang       string
		want       []string
	}{
		{"French job is not La Poste", "Le poste de directeur est vacant.", nil, "fr", nil},
		{"Italian operators", "Iliad e Poste Italiane contro TIM", nil, "it", []string{"iliad", "poste-italiane", "tim"}},
		{"given language", "Iliad e Poste Italiane contro TIM", []string{"--lang", "it"}, "it", []string{"iliad", "poste-italiane", "tim"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, _, err := run(t, tt.text, append([]string{"tag", "--json"}, tt.args...)...)
			if err != nil {
				t.Fatal(err)
			}
			res := decode[tagResult](t, stdout)
			if res.Lang != tt.lang {
				t.Errorf("lang = %q, want %q", res.Lang, tt.lang)
			}
			var ids []string
			for _, m := range res.Entities {
				ids = append(ids, m.ID)
			}
			slices.Sort(ids)
			if !slices.Equal(ids, tt.want) {
				t.Errorf("entities = %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestTagTable(t *testing.T) {
	stdout, _, err := run(t, "Secondo l’Agcom, Amazon connect è un servizio telefonico.", "tag")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"language: it", "agcom", "amazon-connect", "Amazon connect"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	if _, _, err := run(t, "  \n", "tag"); err == nil || !strings.Contains(err.Error(), "no text") {
		t.Errorf("empty stdin: err = %v", err)
	}
}

func TestEntities(t *testing.T) {
	stdout, _, err := run(t, "", "entities", "--json")
	if err != nil {
		t.Fatal(err)
	}
	type entity struct{ ID, Name, Type, Parent string }
	list := decode[[]entity](t, stdout)
	byID := make(map[string]entity)
	for _, e := range list {
		byID[e.ID] = e
	}
	for id, parent := range map[string]string{"amazon": "", "prime-video": "amazon", "amazon-connect": "amazon",
		"postemobile": "poste-italiane", "agcom": "", "cjeu": "", "jeff-bezos": ""} {
		e, ok := byID[id]
		if !ok {
			t.Errorf("no entity %q", id)
		} else if e.Parent != parent {
			t.Errorf("%s: parent %q, want %q", id, e.Parent, parent)
		}
	}
	stdout, _, err = run(t, "", "entities", "--type", "court")
	if err != nil || !strings.Contains(stdout, "cjeu") || strings.Contains(stdout, "amazon") {
		t.Errorf("--type court: %v\n%s", err, stdout)
	}
}

func TestShowAndExtract(t *testing.T) {
	dir := crawledDataDir(t)
	stdout, _, err := run(t, "", "--data-dir", dir, "search", "Agcom", "--json")
	if err != nil {
		t.Fatal(err)
	}
	res := decode[resultsJSON](t, stdout)
	if len(res.Hits) == 0 {
		t.Fatal("no hits")
	}
	id := res.Hits[0].ID
	stdout, _, err = run(t, "", "--data-dir", dir, "show", id)
	if err != nil || !strings.Contains(stdout, "id:         "+id) || !strings.Contains(stdout, "entities:") {
		t.Errorf("show: %v\n%s", err, stdout)
	}
	page := filepath.Join(siteDir(t), "it", italianSeed+".html")
	stdout, _, err = run(t, "", "extract", page, "--json")
	if err != nil {
		t.Fatal(err)
	}
	type article struct {
		ID, Title, Lang, Body string
	}
	type extraction struct {
		Article   *article
		Verdict   struct{ Article bool }
		Extracted *article
	}
	e := decode[extraction](t, stdout)
	if a := e.Article; a == nil || !e.Verdict.Article || e.Extracted != nil || a.Lang != "it" || !strings.Contains(a.Body, "Amazon connect") || a.ID == "" {
		t.Errorf("extract: %+v", e)
	}
	stdout, _, err = run(t, "", "extract", filepath.Join(siteDir(t), "it", "index.html"), "--json")
	if err != nil {
		t.Fatal(err)
	}
	if e := decode[extraction](t, stdout); e.Article != nil || e.Verdict.Article || e.Extracted == nil || e.Extracted.Body == "" {
		t.Errorf("extract of a section page: %+v", e)
	}
}

func TestBadInput(t *testing.T) {
	corrupt := t.TempDir()
	if err := os.MkdirAll(filepath.Join(corrupt, "bleve"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(corrupt, "bleve", "index_meta.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String() + "/"
	ln.Close()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"missing file", []string{"--data-dir", t.TempDir(), "crawl", "/no/such/site"}, "no such file"},
		{"missing file to extract", []string{"extract", "/no/such/page.html"}, "no such file"},
		{"unreachable URL", []string{"--data-dir", t.TempDir(), "crawl", "--timeout", "2s", closed}, "connection refused"},
		{"corrupt data dir", []string{"--data-dir", corrupt, "search", "Agcom"}, "bleve"},
		{"corrupt data dir crawl", []string{"--data-dir", corrupt, "crawl", siteDir(t)}, "bleve"},
		{"unknown show id", []string{"--data-dir", crawledDataDir(t), "show", "0123"}, "no article"},
		{"unsupported scheme", []string{"extract", "ftp://example.com/a"}, "unsupported scheme"},
		{"bad languages", []string{"tag", "--langs", "it,xx"}, "unknown language"},
		{"unknown flag", []string{"search", "x", "--nope"}, "unknown flag: --nope (see 'ottwatch search --help')"},
		{"unknown flag of a subcommand", []string{"archive", "recover", "--to", "x"}, "unknown flag: --to (see 'ottwatch archive recover --help')"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "text", tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
			if msg := textnorm.OneLine(err.Error()); strings.Contains(msg, "goroutine") || strings.Contains(msg, "panic") {
				t.Errorf("error looks like a crash: %s", msg)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	stdout, _, err := run(t, "", "version")
	if err != nil || !strings.HasPrefix(stdout, "ottwatch ") {
		t.Errorf("version: %v %q", err, stdout)
	}
}
