package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/mmcdole/gofeed"
	gofeedjson "github.com/mmcdole/gofeed/json"
	"golang.org/x/net/html"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/bleve"
)

// feedItem is what a feed reader reads of an item.
type feedItem struct {
	Title, Link, GUID, Lang string
	Published               time.Time
	Categories              []string
}

// readFeed parses a feed back with gofeed.
func readFeed(t *testing.T, body string) (string, []feedItem) {
	t.Helper()
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	f, err := p.ParseString(body)
	if err != nil {
		t.Fatalf("gofeed cannot read the feed: %v\n%s", err, body)
	}
	var items []feedItem
	for i, it := range f.Items {
		fi := feedItem{Title: it.Title, Link: it.Link, GUID: it.GUID, Categories: it.Categories}
		if it.PublishedParsed != nil {
			fi.Published = it.PublishedParsed.UTC()
		}
		switch f.FeedType {
		case "rss":
			if it.DublinCoreExt != nil && len(it.DublinCoreExt.Language) > 0 {
				fi.Lang = it.DublinCoreExt.Language[0]
			}
		case "atom":
			if l := it.Extensions["dc"]["language"]; len(l) > 0 {
				fi.Lang = l[0].Value
			}
		case "json":
			fi.Lang = f.OriginalFeed().(*gofeedjson.Feed).Items[i].Language
		}
		items = append(items, fi)
	}
	return f.FeedType, items
}

// seedItem is what the digest of amazon-telecom must say of one of the two
// seed articles.
type seedItem struct {
	path      string // in the link
	lang      string
	published time.Time
}

var seedItems = []seedItem{
	{italianSeed, "it", time.Date(2026, 11, 10, 8, 30, 0, 0, time.UTC)},
	{frenchSeed, "fr", time.Date(2026, 11, 12, 7, 15, 0, 0, time.UTC)},
}

// TestDigestAcceptance renders the amazon-telecom digest of the fixture
// site in each feed format, reads it back as a feed reader does, and checks
// the items: both seed articles, with their titles, links, dates, guids,
// languages and categories, and the same guids on a second run.
func TestDigestAcceptance(t *testing.T) {
	dir := crawledDataDir(t)
	cfg := writeConfig(t, readmeWatchlists)
	args := func(format string) []string {
		return []string{"--data-dir", dir, "--config", cfg, "digest", "amazon-telecom", "--since", "2026-01-01", "--format", format}
	}
	var guids [][]string
	for _, format := range []string{"rss", "atom", "json"} {
		t.Run(format, func(t *testing.T) {
			stdout, _, err := run(t, "", args(format)...)
			if err != nil {
				t.Fatal(err)
			}
			typ, items := readFeed(t, stdout)
			if typ != format {
				t.Errorf("read as %s", typ)
			}
			if len(items) < 2 {
				t.Fatalf("%d items, want both seed articles at least", len(items))
			}
			var ids []string
			for _, it := range items {
				ids = append(ids, it.GUID)
				if it.Title == "" || !strings.HasPrefix(it.Link, "https://") || !strings.HasPrefix(it.GUID, "urn:ottwatch:story:") ||
					it.Published.IsZero() || it.Lang == "" || !slices.Contains(it.Categories, "Amazon") {
					t.Errorf("incomplete item %+v", it)
				}
			}
			guids = append(guids, ids)
			for _, seed := range seedItems {
				i := slices.IndexFunc(items, func(it feedItem) bool { return strings.Contains(it.Link, seed.path) })
				if i < 0 {
					t.Errorf("no item for %s in %+v", seed.path, items)
					continue
				}
				it := items[i]
				if it.Lang != seed.lang || !it.Published.Equal(seed.published) {
					t.Errorf("%s: lang %q published %v, want %q %v", seed.path, it.Lang, it.Published, seed.lang, seed.published)
				}
				if !strings.Contains(it.Title, "Amazon") {
					t.Errorf("%s: title %q", seed.path, it.Title)
				}
			}
			again, _, err := run(t, "", args(format)...)
			if err != nil {
				t.Fatal(err)
			}
			_, items2 := readFeed(t, again)
			for i := range items {
				if items[i].GUID != items2[i].GUID {
					t.Errorf("item %d: guid %s, then %s", i, items[i].GUID, items2[i].GUID)
				}
			}
		})
	}
	for i := 1; i < len(guids); i++ {
		if !slices.Equal(guids[i], guids[0]) {
			t.Errorf("the formats disagree on guids: %v and %v", guids[0], guids[i])
		}
	}
	for _, format := range []string{"md", "html"} {
		t.Run(format, func(t *testing.T) {
			stdout, _, err := run(t, "", args(format)...)
			if err != nil {
				t.Fatal(err)
			}
			if format == "html" {
				if _, err := html.Parse(strings.NewReader(stdout)); err != nil {
					t.Fatal(err)
				}
			}
			z := html.NewTokenizer(strings.NewReader(stdout))
			for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
				if name, _ := z.TagName(); tt == html.StartTagToken && string(name) == "script" {
					t.Error("a <script> element")
				}
			}
			if len(guids) > 0 {
				for _, g := range guids[0] {
					if !strings.Contains(stdout, g) {
						t.Errorf("no item %s", g)
					}
				}
			}
			for _, seed := range seedItems {
				if !strings.Contains(stdout, seed.path) {
					t.Errorf("no link to %s", seed.path)
				}
			}
		})
	}
}

// storyDataDir returns a data directory whose Bleve index holds three
// copies of one story from three outlets (one cluster) and one other
// article.
func storyDataDir(t *testing.T, titles ...string) string {
	t.Helper()
	dir := t.TempDir()
	idx, err := bleve.Open(filepath.Join(dir, "bleve"))
	if err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 10, 8, 0, 0, 0, time.UTC)
	amazon := []ottwatch.Mention{{ID: "amazon", Name: "Amazon", Type: ottwatch.Company, Count: 3, Surfaces: []string{"Amazon"}}}
	var articles []*ottwatch.Article
	for i, src := range []string{"first.example", "second.example", "third.example", "other.example"} {
		a := &ottwatch.Article{ID: strings.Repeat(string(rune('a'+i)), 32), URL: "https://www." + src + "/amazon",
			Source: src, Title: "Amazon chiede la licenza di operatore", Body: "Amazon chiede al Mise la licenza.",
			Published: day.Add(time.Duration(i) * time.Hour), Lang: "it", Entities: amazon, Topics: []string{"licensing"},
			Cluster: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}
		if i == 3 {
			a.Cluster, a.Title, a.Published = "", "Amazon e le telecomunicazioni", day.Add(48*time.Hour)
		}
		if i < len(titles) {
			a.Title = titles[i]
		}
		articles = append(articles, a)
	}
	if err := idx.Upsert(context.Background(), articles); err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestDigestOneItemPerStory(t *testing.T) {
	dir := storyDataDir(t)
	stdout, _, err := run(t, "", "--data-dir", dir, "--config", "", "digest", "--query", "Amazon", "--since", "2026-01-01", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	doc := decode[struct {
		Items []struct {
			ID       string `json:"id"`
			URL      string `json:"url"`
			Ottwatch struct {
				Others []struct {
					Source string `json:"source"`
					URL    string `json:"url"`
				} `json:"others"`
			} `json:"_ottwatch"`
		} `json:"items"`
	}](t, stdout)
	if len(doc.Items) != 2 {
		t.Fatalf("%d items, want 2 (the story and the other article):\n%s", len(doc.Items), stdout)
	}
	story := doc.Items[1]
	if story.ID != "urn:ottwatch:story:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" || story.URL != "https://www.first.example/amazon" {
		t.Errorf("story item %s %s, want the cluster's guid and the earliest article", story.ID, story.URL)
	}
	var others []string
	for _, o := range story.Ottwatch.Others {
		others = append(others, o.Source+" "+o.URL)
	}
	if want := []string{"second.example https://www.second.example/amazon", "third.example https://www.third.example/amazon"}; !slices.Equal(others, want) {
		t.Errorf("others %q, want %q", others, want)
	}
}

func TestDigestEscapes(t *testing.T) {
	const script = `<script>alert(1)</script>`
	dir := storyDataDir(t, script+` "Amazon"`, "", "", `"quoted" `+script)
	for _, format := range []string{"rss", "atom", "json", "md", "html"} {
		stdout, _, err := run(t, "", "--data-dir", dir, "--config", "", "digest", "--query", `Amazon "`+script,
			"--since", "2026-01-01", "--format", format)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if strings.Contains(stdout, "<script") {
			t.Errorf("%s: raw <script in\n%s", format, stdout)
		}
		if format == "rss" || format == "atom" || format == "json" {
			_, items := readFeed(t, stdout)
			if len(items) != 2 || items[0].Title != `"quoted" `+script || items[1].Title != script+` "Amazon"` {
				t.Errorf("%s: titles read back %+v", format, items)
			}
		}
	}
}

func TestDigestOutputFile(t *testing.T) {
	dir := storyDataDir(t)
	out := filepath.Join(t.TempDir(), "digest.html")
	if err := os.WriteFile(out, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, err := run(t, "", "--data-dir", dir, "--config", "", "digest", "--query", "Amazon", "--since", "2026-01-01",
		"--format", "html", "-o", out)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(data, []byte("<!DOCTYPE html>")) {
		t.Fatalf("%s holds %.40q, %v", out, data, err)
	}
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the old file's 0600", fi.Mode().Perm())
	}
	if !strings.Contains(stderr, "2 stories from 4 articles written to") {
		t.Errorf("stderr %q", stderr)
	}
	// A failing digest leaves the file as it was.
	_, _, err = run(t, "", "--data-dir", dir, "--config", "", "digest", "--query", "Amazon", "--since", "nonsense", "-o", out)
	if err == nil {
		t.Fatal("no error")
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(again, data) {
		t.Error("a failed digest changed the file")
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	if len(entries) != 1 {
		t.Errorf("files left beside the digest: %v", entries)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "feed.rss")
	if err := os.WriteFile(path, []byte("old feed"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	err := writeFileAtomic(path, func(w io.Writer) error {
		io.WriteString(w, "half a fe")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Errorf("error %v, want it to wrap %v", err, boom)
	}
	if data, _ := os.ReadFile(path); string(data) != "old feed" {
		t.Errorf("the file holds %q after a failed write", data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(path)); len(entries) != 1 {
		t.Errorf("temporary files left: %v", entries)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new feed"); return err }); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(path); string(data) != "new feed" {
		t.Errorf("the file holds %q", data)
	}
	if err := writeFileAtomic(filepath.Join(t.TempDir(), "no", "such", "dir"), func(io.Writer) error { return nil }); err == nil {
		t.Error("no error for a missing directory")
	}
}

func TestDigestBadInput(t *testing.T) {
	dir := storyDataDir(t)
	cfg := writeConfig(t, readmeWatchlists)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"nothing", nil, "give a watchlist"},
		{"both", []string{"amazon-telecom", "--query", "x"}, "not both"},
		{"unknown watchlist", []string{"nope"}, `no watchlist "nope"`},
		{"bad format", []string{"--query", "x", "--format", "pdf"}, "--format"},
		{"bad group", []string{"--query", "x", "--group", "week"}, "--group"},
		{"bad since", []string{"--query", "x", "--since", "yesterday"}, "--since"},
		{"until before since", []string{"--query", "x", "--since", "2026-11-10", "--until", "2026-11-01"}, "before it starts"},
		{"two watchlists", []string{"a", "b"}, "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", append([]string{"--data-dir", dir, "--config", cfg, "digest"}, tt.args...)...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
	_, _, err := run(t, "", "--data-dir", t.TempDir(), "--config", cfg, "digest", "amazon-telecom")
	if err == nil || !strings.Contains(err.Error(), "run 'ottwatch crawl' first") {
		t.Errorf("no index: error %v", err)
	}
}

// TestDigestBaseURLAndSkipEmpty writes feeds with --base-url, whose home
// and self links must start with it (gofeed reads them back), and an empty
// digest with --skip-empty, which writes nothing and succeeds.
func TestDigestBaseURLAndSkipEmpty(t *testing.T) {
	dir := storyDataDir(t)
	for _, format := range []string{"rss", "atom", "json"} {
		stdout, _, err := run(t, "", "--data-dir", dir, "--config", "", "digest", "--query", "Amazon", "--since", "2026-01-01",
			"--format", format, "--base-url", "https://news.example.org/")
		if err != nil {
			t.Fatal(err)
		}
		f, err := gofeed.NewParser().ParseString(stdout)
		if err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		if f.Link != "https://news.example.org/" && !slices.Contains(f.Links, "https://news.example.org/") {
			t.Errorf("%s: home link %q %v, want https://news.example.org/", format, f.Link, f.Links)
		}
		if f.FeedLink != "https://news.example.org/feeds/search."+format+"?q=Amazon" {
			t.Errorf("%s: self link %q", format, f.FeedLink)
		}
	}
	out := filepath.Join(t.TempDir(), "empty.xml")
	_, stderr, err := run(t, "", "--data-dir", dir, "--config", "", "digest", "--query", "nothingmatchesthis", "--since", "2026-01-01",
		"--skip-empty", "-o", out)
	if err != nil || !strings.Contains(stderr, "nothing written") {
		t.Errorf("--skip-empty: %v %s", err, stderr)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("--skip-empty wrote %s: %v", out, err)
	}
	if _, _, err := run(t, "", "--data-dir", dir, "digest", "--query", "Amazon", "--base-url", "ftp://x"); err == nil || !strings.Contains(err.Error(), "--base-url") {
		t.Errorf("--base-url ftp://x: %v", err)
	}
}

// TestDigestFirstSeen runs the daily digest of a query from cron, on a
// fake clock, three mornings in a row: an article printed five days before
// ottwatch first fetched it is in the digest of the morning after it was
// fetched, and in no other.
func TestDigestFirstSeen(t *testing.T) {
	dir := t.TempDir()
	idx, err := bleve.Open(filepath.Join(dir, "bleve"))
	if err != nil {
		t.Fatal(err)
	}
	at := func(d, h int) time.Time { return time.Date(2026, 11, d, h, 0, 0, 0, time.UTC) }
	article := func(id, title string, published, fetched time.Time) *ottwatch.Article {
		return &ottwatch.Article{ID: strings.Repeat(id, 32), URL: "https://www.agenzia.example/" + id, Source: "agenzia.example",
			Lang: "it", Title: title, Body: title + ".", Published: published, Fetched: fetched}
	}
	err = idx.Upsert(context.Background(), []*ottwatch.Article{
		article("a", "Iliad ricorre al Tar contro la multa", at(15, 9), at(20, 6)),
		article("b", "Iliad lancia la fibra a 10 giga", at(20, 5), at(20, 6)),
		article("c", "Iliad e la rete unica", at(20, 23), at(21, 3)),
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		now  time.Time
		want []string // item titles, newest first
	}{
		{at(19, 7), nil},
		{at(20, 7), []string{"Iliad lancia la fibra a 10 giga", "Iliad ricorre al Tar contro la multa"}},
		{at(21, 7), []string{"Iliad e la rete unica"}},
	}
	for _, tt := range tests {
		t.Run(tt.now.Format(time.DateTime), func(t *testing.T) {
			var out, errOut bytes.Buffer
			cmd := newRootCmd(&streams{In: strings.NewReader(""), Out: &out, Err: &errOut}, clockwork.NewFakeClockAt(tt.now))
			cmd.SetArgs([]string{"--data-dir", dir, "--config", "", "digest", "--query", "Iliad", "--since", "24h", "--format", "json"})
			if err := cmd.ExecuteContext(context.Background()); err != nil {
				t.Fatalf("%v: %s", err, errOut.String())
			}
			doc := decode[struct {
				Items []struct {
					Title string `json:"title"`
				} `json:"items"`
			}](t, out.String())
			var got []string
			for _, it := range doc.Items {
				got = append(got, it.Title)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("items %q, want %q", got, tt.want)
			}
		})
	}
}
