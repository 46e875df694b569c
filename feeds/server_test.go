package feeds_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/nlp"
)

// now is the clock of the test servers: a week after the last fixture
// article.
var now = day.Add(14 * 24 * time.Hour)

var italyRegulators = ottwatch.Watchlist{Name: "italy-regulators", Title: "Italian regulators",
	Entities: []string{"agcom", "agcm", "mimit"}}

// newServer starts the server over a fresh index holding articles.
func newServer(t *testing.T, articles []*ottwatch.Article, opts ...feeds.ServerOption) *httptest.Server {
	t.Helper()
	idx := scoped{openIndex(t, articles)}
	var topics []feeds.Topic
	for _, t := range nlp.DefaultGazetteer().TopicList() {
		topics = append(topics, feeds.Topic{ID: t.ID, Name: t.Name})
	}
	opts = append([]feeds.ServerOption{feeds.WithClock(func() time.Time { return now }), feeds.WithTopics(topics)}, opts...)
	s, err := feeds.NewServer(idx, []ottwatch.Watchlist{amazonTelecom, italyRegulators}, lookup, opts...)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// get requests path with the given headers and returns the response with
// its body read (and unzipped when it came gzipped).
func get(t *testing.T, srv *httptest.Server, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	// Ask for gzip ourselves, so that the transport does not unzip silently.
	if req.Header.Get("Accept-Encoding") == "" {
		req.Header.Set("Accept-Encoding", "identity")
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatalf("bad gzip: %v", err)
		}
		r = zr
	}
	body, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return res, string(body)
}

func TestServerRoutes(t *testing.T) {
	srv := newServer(t, fixtureArticles())
	tests := []struct {
		path        string
		status      int
		contentType string
		contains    []string
		lacks       []string
	}{
		{"/healthz", 200, "text/plain", []string{"ok: 5 articles"}, nil},
		{"/feeds/amazon-telecom.rss", 200, "application/rss+xml", []string{"<rss", "urn:ottwatch:story:" + storyCluster}, nil},
		{"/feeds/amazon-telecom.atom", 200, "application/atom+xml", []string{"<feed", "<published>"}, nil},
		{"/feeds/amazon-telecom.json", 200, "application/feed+json", []string{"https://jsonfeed.org/version/1.1"}, nil},
		{"/feeds/italy-regulators.rss", 200, "application/rss+xml", []string{"Amazon chiede al Mise"}, nil},
		{"/feeds/search.rss?q=LaLiga", 200, "application/rss+xml", []string{"Prime Video se hace con los derechos de LaLiga"}, nil},
		{"/feeds/search.atom?entity=Agcom&lang=it", 200, "application/atom+xml", []string{"Amazon chiede al Mise"}, nil},
		{"/feeds/search.json?entity=cjeu&since=30d", 200, "application/feed+json", []string{"CJUE"}, nil},
		{"/feeds/nope.rss", 404, "text/plain", []string{`no watchlist "nope"`}, nil},
		{"/feeds/amazon-telecom.xml", 404, "text/plain", []string{"want .rss, .atom or .json"}, nil},
		{"/feeds/search.rss?entity=nobody", 400, "text/plain", []string{`entity "nobody" is not in the gazetteer`}, nil},
		{"/feeds/search.rss?lang=italian", 400, "text/plain", []string{"two-letter code"}, nil},
		{"/feeds/amazon-telecom.rss?since=yesterday", 400, "text/plain", []string{"since:"}, nil},
		{"/", 200, "text/html", []string{`<form class="search"`, "Amazon in telecom", "/feeds/amazon-telecom.rss"}, nil},
		{"/?q=Amazon", 200, "text/html", []string{"of 3 stories", `data-facet="lang"`, `data-facet="entity"`, `data-facet="source"`,
			"/feeds/search.rss?q=Amazon", "Also covered in 2 other articles · 3 outlets · Italian", `href="/stories/` + storyCluster + `"`,
			`<span class="count">5</span></li>
<li class="under depth-1"><a class="facet" data-facet="entity" data-value="prime-video"`}, nil},
		{"/?q=Amazon&view=articles", 200, "text/html", []string{"of 5 results", `<span class="on" aria-current="true">Every article</span>`}, []string{"Also covered"}},
		{"/?q=Amazon&lang=fr", 200, "text/html", []string{"of 1 story", "Amazon n’a pas à fournir", `aria-label="Remove the filter French"`}, nil},
		{"/?q=Amazon&sort=date&view=articles&entity=amazon", 200, "text/html", []string{
			`<input type="hidden" name="sort" value="date">`, `<input type="hidden" name="view" value="articles">`,
			"Only Amazon itself", "/feeds/search.rss?entity=amazon&amp;q=Amazon\""}, []string{"search.rss?entity=amazon&amp;q=Amazon&amp;sort"}},
		{"/?entity=amazon&exact=1", 200, "text/html", []string{"of 3 stories", "Include Amazon Web Services, Amazon Connect, Prime Video and 3 more", "/feeds/search.rss?entity=amazon&amp;exact=1"}, nil},
		{"/?q=Amazon&since=yesterday", 400, "text/html", []string{`id="error"`, "since:", "neither a duration", `href="/?q=Amazon"`},
			[]string{`href=""`, "Subscribe", "No stories"}},
		{"/?q=Amazon&lang=de", 200, "text/html", []string{"Nothing matches", "without “German”"}, []string{`href=""`}},
		{"/?q=Amazon+zzyzzyva", 200, "text/html", []string{"Nothing matches", "fewer words"}, nil},
		{"/?topic=licensing", 200, "text/html", []string{"of 1 story", `<option value="licensing" selected>`}, nil},
		{"/?lang=klingon", 400, "text/html", []string{"two-letter code", "without the language filter"}, nil},
		{"/?view=cards", 400, "text/html", []string{"want stories or articles"}, nil},
		{"/?entity=amazon&exact=maybe", 400, "text/html", []string{`exact &#34;maybe&#34;`, "without “only this entity”", `href="/?entity=amazon"`}, nil},
		{"/?q=Amazon&offset=-3", 400, "text/html", []string{`offset &#34;-3&#34;`, "without the page number"}, nil},
		{"/?q=Amazon&since=2026-11-12&until=2026-11-11", 400, "text/html", []string{"ends", "without the dates"}, []string{`href=""`}},
		{"/?since=2026-11-11&until=2026-11-13", 200, "text/html", []string{"of 2 stories", `value="2026-11-11"`, `value="2026-11-13"`, "since 2026-11-11"}, nil},
		{"/entities/arcep", 200, "text/html", []string{"No dated article names Arcep yet", "its stories will show here"}, []string{`href=""`}},
		{"/stories/" + storyCluster, 200, "text/html", []string{"3 articles from 3 outlets in Italian", "Amazon chiede al Mise", `id="lang-it"`,
			"tlcweek.example", "2026-11-11 10:30 UTC", `href="/entities/mimit"`}, nil},
		{"/stories/0123abcd", 404, "text/html", []string{"No story 0123abcd"}, nil},
		{"/stories/..%2fetc", 404, "text/html", []string{"not a story id"}, nil},
		{"/entities/amazon", 200, "text/html", []string{"<svg", "<rect", "Week of 9 Nov 2026: 4 articles", "Prime Video se hace",
			`<dt>Includes</dt><dd id="children">`, `>Prime Video</a> <span class="count">1</span>`, `>Amazon Web Services</a>`, `>Amazon Leo</a>`,
			`id="co-mentioned"`, `href="/?entity=amazon&amp;entity=mimit"`, "Italian</a> <span class=\"count\">3", "5 articles in 3 stories"}, nil},
		{"/entities/nobody", 404, "text/html", []string{"No entity"}, nil},
		{"/nowhere", 404, "text/html", []string{"No such page"}, nil},
		{"/static/style.css", 200, "text/css", []string{".results"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			res, body := get(t, srv, tt.path)
			if res.StatusCode != tt.status {
				t.Errorf("status %d, want %d\n%s", res.StatusCode, tt.status, body)
			}
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.contentType) {
				t.Errorf("Content-Type %q, want %s", ct, tt.contentType)
			}
			for _, want := range tt.contains {
				if !strings.Contains(body, want) {
					t.Errorf("no %q in\n%s", want, body)
				}
			}
			for _, bad := range tt.lacks {
				if strings.Contains(body, bad) {
					t.Errorf("%q in\n%s", bad, body)
				}
			}
		})
	}
}

func TestServerEntityRedirect(t *testing.T) {
	srv := newServer(t, fixtureArticles())
	srv.Client().CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, _ := get(t, srv, "/entities/Poste%20Italiane")
	if res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != "/entities/poste-italiane" {
		t.Errorf("status %d, Location %q; want 301 to /entities/poste-italiane", res.StatusCode, res.Header.Get("Location"))
	}
}

func TestServerReadOnly(t *testing.T) {
	srv := newServer(t, fixtureArticles())
	for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete} {
		req, _ := http.NewRequest(method, srv.URL+"/feeds/amazon-telecom.rss", strings.NewReader("x"))
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("%s: status %d, want 405", method, res.StatusCode)
		}
	}
}

func TestFeedConditionalGet(t *testing.T) {
	srv := newServer(t, fixtureArticles())
	for _, path := range []string{"/feeds/amazon-telecom.rss", "/feeds/search.atom?q=Amazon", "/feeds/italy-regulators.json"} {
		t.Run(path, func(t *testing.T) {
			first, body := get(t, srv, path)
			etag, lastMod := first.Header.Get("ETag"), first.Header.Get("Last-Modified")
			if first.StatusCode != 200 || etag == "" || lastMod == "" {
				t.Fatalf("status %d, ETag %q, Last-Modified %q", first.StatusCode, etag, lastMod)
			}
			if cc := first.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
				t.Errorf("Cache-Control %q", cc)
			}
			second, body2 := get(t, srv, path, "If-None-Match", etag)
			if second.StatusCode != http.StatusNotModified || body2 != "" {
				t.Errorf("with If-None-Match: status %d, %d bytes; want 304 and no body", second.StatusCode, len(body2))
			}
			third, _ := get(t, srv, path, "If-Modified-Since", lastMod)
			if third.StatusCode != http.StatusNotModified {
				t.Errorf("with If-Modified-Since: status %d, want 304", third.StatusCode)
			}
			stale, body4 := get(t, srv, path, "If-None-Match", `"0123"`)
			if stale.StatusCode != 200 || body4 != body {
				t.Errorf("with a stale ETag: status %d, want 200 and the feed", stale.StatusCode)
			}
			zipped, body5 := get(t, srv, path, "Accept-Encoding", "gzip")
			if zipped.Header.Get("Content-Encoding") != "gzip" || body5 != body {
				t.Errorf("with Accept-Encoding gzip: Content-Encoding %q, same body %v", zipped.Header.Get("Content-Encoding"), body5 == body)
			}
			if !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("Vary %q", zipped.Header.Get("Vary"))
			}
			again, _ := get(t, srv, path, "Accept-Encoding", "gzip", "If-None-Match", zipped.Header.Get("ETag"))
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("gzipped, with If-None-Match: status %d, want 304", again.StatusCode)
			}
		})
	}
}

func TestServerSearchAPI(t *testing.T) {
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"q":"`+r.URL.Query().Get("q")+`"}`)
	})
	srv := newServer(t, fixtureArticles(), feeds.WithSearchAPI(api))
	res, body := get(t, srv, "/api/search?q=x")
	if res.StatusCode != 200 || body != `{"q":"x"}` {
		t.Errorf("status %d, body %s", res.StatusCode, body)
	}
}

func TestServerFeedIsStable(t *testing.T) {
	srv := newServer(t, fixtureArticles())
	_, a := get(t, srv, "/feeds/amazon-telecom.rss")
	_, b := get(t, srv, "/feeds/amazon-telecom.rss")
	if a != b {
		t.Error("the same feed differs between two requests")
	}
	if !bytes.Contains([]byte(a), []byte("corriere-tlc.example")) {
		t.Error("the other outlets of the story are not listed")
	}
}

// TestServerSiteNames checks that sources show under the names their sites
// give themselves, in facets too, even for sources with no article on the
// page shown.
func TestServerSiteNames(t *testing.T) {
	articles := fixtureArticles()
	for _, a := range articles {
		a.SiteName = "Site of " + a.Source
	}
	srv := newServer(t, articles)
	_, body := get(t, srv, "/?q=Amazon&view=articles&sort=date&offset=4")
	if !strings.Contains(body, "of 5 results") {
		t.Fatalf("not the last page of five results:\n%s", body)
	}
	for _, a := range articles {
		want := `data-value="` + a.Source + `" href="`
		i := strings.Index(body, want)
		if i < 0 {
			t.Errorf("no facet link for %s", a.Source)
			continue
		}
		if label := body[i : i+strings.Index(body[i:], "</a>")]; !strings.Contains(label, ">Site of "+a.Source) {
			t.Errorf("facet link for %s: %s", a.Source, label)
		}
	}
}
