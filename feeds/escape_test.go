package feeds_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

const (
	script      = `<script>alert(1)</script>`
	hostileText = script + ` Amazon "quoted" & <b>bold</b>`
)

// hostileArticles are fixture articles whose title, source and snippet carry
// markup and quotes, and one whose URL is a javascript: URL.
func hostileArticles() []*ottwatch.Article {
	as := fixtureArticles()
	as[0].Title = hostileText
	as[0].Description = hostileText
	as[3].Title = `"` + script + `"`
	as[3].Source = `evil.example"><script>alert(1)</script>`
	as[4].URL, as[4].CanonicalURL = "javascript:alert(1)", ""
	return as
}

// hostileDigest is a digest of hostileArticles for a watchlist whose query
// carries markup and quotes.
func hostileDigest() *feeds.Digest {
	w := amazonTelecom
	w.Title = `Amazon "telecom" ` + script
	w.Query = `"rete unica" ` + script
	var hits []ottwatch.Hit
	for _, a := range hostileArticles() {
		hits = append(hits, ottwatch.Hit{Article: a, Snippet: "before **" + script + "** after \"quote\""})
	}
	return feeds.Build(w, fixtureWindow, hits, feeds.Options{Lookup: lookup, Link: "http://127.0.0.1:8080/?q=" + url.QueryEscape(script)})
}

// noMarkup fails when html, an HTML fragment or document, holds a <script>
// or <b> element that came from an article (the renderers' own <b> is
// allowed only where they put it: not around "bold").
func noMarkup(t *testing.T, where, html string) {
	t.Helper()
	_, tags := htmlText(t, []byte(html))
	if slices.Contains(tags, "script") {
		t.Errorf("%s: a <script> element:\n%s", where, html)
	}
	if strings.Contains(html, "<b>bold</b>") {
		t.Errorf("%s: the article's <b> became markup:\n%s", where, html)
	}
}

func TestEscapedInEveryFormat(t *testing.T) {
	d := hostileDigest()
	for _, f := range feeds.Formats {
		t.Run(string(f), func(t *testing.T) {
			body := render(t, d, f)
			if bytes.Contains(body, []byte("<script")) {
				t.Fatalf("raw <script in the %s output:\n%s", f, body)
			}
			if bytes.Contains(body, []byte("javascript:")) {
				t.Errorf("a javascript: URL in the %s output", f)
			}
			switch f {
			case feeds.FormatRSS, feeds.FormatAtom, feeds.FormatJSON:
				// A reader gets the titles back as they were, and descriptions
				// that hold no markup from the article.
				_, items := parseFeed(t, body)
				titles := make([]string, len(items))
				for i, it := range items {
					titles[i] = it.Title
				}
				if !slices.Contains(titles, hostileText) || !slices.Contains(titles, `"`+script+`"`) {
					t.Errorf("titles read back %q, want %q among them", titles, hostileText)
				}
				for _, desc := range descriptions(t, f, body) {
					noMarkup(t, "description", desc)
				}
			case feeds.FormatHTML:
				noMarkup(t, "page", string(body))
				for _, want := range []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&#34;quoted&#34;", "&amp;"} {
					if !bytes.Contains(body, []byte(want)) {
						t.Errorf("no %s in the page", want)
					}
				}
			case feeds.FormatMarkdown:
				noMarkup(t, "markdown", string(body))
				for _, want := range []string{"&lt;script&gt;alert\\(1)&lt;/script&gt;", "&quot;quoted&quot;", "&quot;rete unica&quot;"} {
					if !bytes.Contains(body, []byte(strings.ReplaceAll(want, `\(`, "("))) {
						t.Errorf("no %s in the Markdown:\n%s", want, body)
					}
				}
			}
		})
	}
}

// descriptions returns the HTML descriptions of a feed's items, decoded
// from the feed's own escaping.
func descriptions(t *testing.T, f feeds.Format, body []byte) []string {
	t.Helper()
	var out []string
	switch f {
	case feeds.FormatJSON:
		var doc struct {
			Items []struct {
				ContentHTML string `json:"content_html"`
			} `json:"items"`
		}
		if err := json.Unmarshal(body, &doc); err != nil {
			t.Fatal(err)
		}
		for _, it := range doc.Items {
			out = append(out, it.ContentHTML)
		}
	default:
		dec := xml.NewDecoder(bytes.NewReader(body))
		var in bool
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				in = tok.Name.Local == "description" || tok.Name.Local == "summary"
			case xml.CharData:
				if in {
					out = append(out, string(tok))
				}
			case xml.EndElement:
				in = false
			}
		}
	}
	if len(out) == 0 {
		t.Fatalf("no descriptions in\n%s", body)
	}
	return out
}

func TestEscapedInEveryPage(t *testing.T) {
	srv := newServer(t, hostileArticles())
	q := url.QueryEscape(`Amazon "` + script)
	for _, path := range []string{
		"/?q=" + q,
		"/?q=Amazon&source=" + url.QueryEscape(`evil.example"><script>alert(1)</script>`),
		"/?q=" + q + "&lang=" + url.QueryEscape(script),
		"/entities/amazon",
		"/entities/" + url.PathEscape(script),
		"/feeds/search.rss?q=" + q,
		"/feeds/search.atom?q=" + q,
		"/feeds/search.json?q=" + q,
		"/feeds/search.rss?entity=" + url.QueryEscape(script),
		"/feeds/amazon-telecom.rss",
		"/feeds/amazon-telecom.json",
		"/" + url.PathEscape(script),
	} {
		t.Run(path, func(t *testing.T) {
			res, body := get(t, srv, path)
			plain := strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain")
			if strings.Contains(body, "<script") && !plain { // plain text with nosniff is never run
				t.Errorf("status %d: raw <script in\n%s", res.StatusCode, body)
			}
			if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				noMarkup(t, path, body)
				if res.Header.Get("Content-Security-Policy") == "" {
					t.Error("no Content-Security-Policy")
				}
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no X-Content-Type-Options: nosniff")
			}
		})
	}
}
