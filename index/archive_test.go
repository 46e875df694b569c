package index

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
)

func newArticle(n int, body string) *ottwatch.Article {
	u := fmt.Sprintf("https://news.example/a/%d", n)
	return &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Title: fmt.Sprintf("Article %d", n),
		Body: body, Lang: "it", Fetched: time.Now()}
}

func openTestArchive(t *testing.T) *Archive {
	t.Helper()
	ar, err := OpenArchive(filepath.Join(t.TempDir(), "archive.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ar.Close() })
	return ar
}

func put(t *testing.T, ar *Archive, articles ...*ottwatch.Article) PutStats {
	t.Helper()
	pages := make([]Page, len(articles))
	for i, a := range articles {
		pages[i] = Page{Article: a}
	}
	st, err := ar.Put(pages)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestArchiveVersions(t *testing.T) {
	ar := openTestArchive(t)
	a1, a2 := newArticle(1, "uno"), newArticle(2, "due")
	if st := put(t, ar, a1, a2); st != (PutStats{Added: 2}) {
		t.Fatalf("first put: %+v", st)
	}
	refetched := *a1
	refetched.Fetched = a1.Fetched.Add(time.Hour)
	refetched.URL += "?utm_source=x"
	changed := newArticle(2, "due, riveduto")
	tests := []struct {
		name    string
		article *ottwatch.Article
		want    PutStats
		lastSeq uint64
	}{
		{"re-fetched unchanged", &refetched, PutStats{Unchanged: 1}, 2},
		{"changed body", changed, PutStats{Updated: 1}, 3},
		{"new", newArticle(3, "tre"), PutStats{Added: 1}, 4},
	}
	for _, tt := range tests {
		if st := put(t, ar, tt.article); st != tt.want {
			t.Errorf("%s: %+v, want %+v", tt.name, st, tt.want)
		}
		if seq, _ := ar.LastSeq(); seq != tt.lastSeq {
			t.Errorf("%s: last sequence %d, want %d", tt.name, seq, tt.lastSeq)
		}
	}
	entries, err := ar.After(0, 10)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, e := range entries {
		order = append(order, fmt.Sprintf("%d:%s", e.Seq, e.Article.Body))
	}
	if want := "[1:uno 3:due, riveduto 4:tre]"; fmt.Sprint(order) != want {
		t.Errorf("After(0) = %v, want %s", order, want)
	}
	if n, _ := ar.Count(); n != 3 {
		t.Errorf("Count = %d", n)
	}
	if got, err := ar.Get(a2.ID); err != nil || got.Body != "due, riveduto" {
		t.Errorf("Get = %+v, %v", got, err)
	}
	if _, err := ar.Get("nope"); !errors.Is(err, ottwatch.ErrNotFound) {
		t.Errorf("Get(missing) err = %v", err)
	}
	if err := ar.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	if !ar.HasURL(a1.URL) || !ar.HasURL(a1.CanonicalURL) || ar.HasURL("https://news.example/a/99") {
		t.Error("HasURL is wrong")
	}
}

func TestArchiveHTMLAndCursors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	ar, err := OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	a := newArticle(1, "uno")
	page := []byte("<html><body><p>caffè</p></body></html>")
	if _, err := ar.Put([]Page{{Article: a, HTML: page, ContentType: "text/html; charset=utf-8"}}); err != nil {
		t.Fatal(err)
	}
	if err := ar.SetCursor("bleve", 1); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenArchive(path); !errors.Is(err, ErrArchiveBusy) {
		t.Errorf("second open: err = %v, want ErrArchiveBusy", err)
	}
	ar.Close()

	ar, err = OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	got, ct, err := ar.HTML(a.ID)
	if err != nil || string(got) != string(page) || ct != "text/html; charset=utf-8" {
		t.Errorf("HTML = %q, %q, %v", got, ct, err)
	}
	if got, _, _ := ar.HTML("other"); got != nil {
		t.Errorf("HTML of an article without page = %q", got)
	}
	if c, _ := ar.Cursor("bleve"); c != 1 {
		t.Errorf("cursor after reopen = %d", c)
	}
	if c, _ := ar.Cursor("meili"); c != 0 {
		t.Errorf("unknown cursor = %d", c)
	}
}

// flakyIndex is an in-memory ottwatch.Index whose Upsert fails when told.
type flakyIndex struct {
	ottwatch.Index
	received map[string]int
	failAt   int // fail the failAt-th Upsert call (1-based); 0 never
	calls    int
}

func (f *flakyIndex) Upsert(_ context.Context, articles []*ottwatch.Article) error {
	f.calls++
	if f.calls == f.failAt {
		return errors.New("connection refused")
	}
	for _, a := range articles {
		f.received[a.ID]++
	}
	return nil
}

func TestSync(t *testing.T) {
	ar := openTestArchive(t)
	for i := range 10 {
		put(t, ar, newArticle(i, "corpo"))
	}
	idx := &flakyIndex{received: make(map[string]int), failAt: 3}
	st, err := Sync(t.Context(), ar, "test", idx, 3)
	if err == nil {
		t.Fatal("want the third batch to fail")
	}
	if st.Delivered != 6 || st.Cursor != 6 || st.Waiting != 4 {
		t.Errorf("after failure: %+v", st)
	}
	if w, _ := Waiting(ar, "test"); w != 4 {
		t.Errorf("Waiting = %d", w)
	}
	st, err = Sync(t.Context(), ar, "test", idx, 3)
	if err != nil || st.Delivered != 4 || st.Cursor != 10 {
		t.Fatalf("resume: %+v, %v", st, err)
	}
	if len(idx.received) != 10 {
		t.Errorf("%d articles delivered, want 10", len(idx.received))
	}
	for id, n := range idx.received {
		if n != 1 {
			t.Errorf("article %s delivered %d times", id, n)
		}
	}
	put(t, ar, newArticle(3, "corpo nuovo"))
	if st, err := Sync(t.Context(), ar, "test", idx, 3); err != nil || st.Delivered != 1 {
		t.Errorf("after an update: %+v, %v", st, err)
	}
}

// TestArchiveKeepsOtherSitesArticles writes an article that claims the id
// of another site's article: the archive keeps the first site's article,
// its page and its URL, and counts the write as refused.
func TestArchiveKeepsOtherSitesArticles(t *testing.T) {
	ar := openTestArchive(t)
	real := newArticle(1, "la notizia vera")
	real.Source = "news.example"
	put(t, ar, real)
	spoof := *real
	spoof.Title, spoof.Body, spoof.Source, spoof.URL = "SPOOFED", "falso", "spoof.example", "https://spoof.example/a/1"
	if st := put(t, ar, &spoof); st != (PutStats{Refused: 1}) {
		t.Errorf("put of the spoofing article: %+v, want it refused", st)
	}
	got, err := ar.Get(real.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != real.Title || got.Source != "news.example" {
		t.Errorf("archived article %q from %s, want %q from news.example", got.Title, got.Source, real.Title)
	}
}

// TestArchiveKeepsFirstFetch checks that an article fetched again keeps
// when ottwatch first fetched it, whether or not its content changed.
func TestArchiveKeepsFirstFetch(t *testing.T) {
	first := time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)
	tests := []struct {
		name          string
		before, again time.Time
		body          string
		want          time.Time
	}{
		{"unchanged", first, first.Add(24 * time.Hour), "uno", first},
		{"changed", first, first.Add(24 * time.Hour), "uno, riveduto", first},
		{"first fetch unknown", time.Time{}, first, "uno, riveduto", first},
		{"fetch time lost", first, time.Time{}, "uno, riveduto", first},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar := openTestArchive(t)
			a := newArticle(1, "uno")
			a.Fetched = tt.before
			put(t, ar, a)
			b := newArticle(1, tt.body)
			b.Fetched = tt.again
			put(t, ar, b)
			got, err := ar.Get(a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Fetched.Equal(tt.want) || got.Body != tt.body {
				t.Errorf("fetched %v, body %q; want %v, %q", got.Fetched, got.Body, tt.want, tt.body)
			}
		})
	}
}

// A kept page is read back only within the body limit the archive was
// opened with (MaxPage), however well it compresses.
func TestArchivePageLimit(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	ar, err := OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	a := newArticle(1, "uno")
	page := bytes.Repeat([]byte("<p>zero</p>"), 10_000) // 110 KB, a few hundred bytes packed
	if _, err := ar.Put([]Page{{Article: a, HTML: page, ContentType: "text/html"}}); err != nil {
		t.Fatal(err)
	}
	ar.Close()
	tests := []struct {
		name string
		opts []ArchiveOption
		ok   bool
	}{
		{"default limit", nil, true},
		{"limit above the page", []ArchiveOption{MaxPage(len(page))}, true},
		{"limit below the page", []ArchiveOption{MaxPage(len(page) - 2000)}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar, err := OpenArchive(path, append(tt.opts, ReadOnly())...)
			if err != nil {
				t.Fatal(err)
			}
			defer ar.Close()
			got, _, err := ar.HTML(a.ID)
			if tt.ok && (err != nil || !bytes.Equal(got, page)) {
				t.Errorf("HTML = %d bytes, %v; want the page", len(got), err)
			}
			if !tt.ok && err == nil {
				t.Errorf("HTML = %d bytes, want an error past the limit", len(got))
			}
		})
	}
}
