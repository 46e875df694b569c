package feeds

import (
	"bytes"
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// link is a labelled link of a page, with a count for facets.
type link struct {
	Label  string
	URL    string
	Key    string // the parameter it sets, or the facet it belongs to
	Value  string
	Count  int
	Active bool
	Title  string // said on hover and to screen readers
	Depth  int    // how far under another entity of the list it is
}

// resultView is one article of a page.
type resultView struct {
	ID         string
	Title      string
	Link       string
	Source     string // the host
	SourceName string // the site's own name, else the host
	Published  time.Time
	Lang       string
	LangName   string
	Snippet    string
	Entities   []link
	Story      string    // the story page, for an article in a story
	Coverage   *coverage // the rest of its story, on the search page's story cards
}

// coverage is what a story card shows of the rest of its story.
type coverage struct {
	Articles int // all the story's articles, this one included
	Other    int // Articles less this one
	Outlets  int
	Langs    []string // names
	Others   []resultView
	More     int  // the story's other articles not listed
	AtLeast  bool // the story has more articles than were read
}

// feedLinks are the three feeds of a watchlist or a search.
type feedLinks struct {
	Title, RSS, Atom, JSON string
}

// maxEntityLinks is how many entities a result lists.
const maxEntityLinks = 8

// article returns the view of a (and remembers its site's name).
func (s *Server) article(a *ottwatch.Article, snippet string) resultView {
	s.sites.note(a)
	rv := resultView{ID: a.ID, Title: cmp.Or(textnorm.OneLine(a.Title), a.ID), Link: articleLink(a),
		Source: a.Source, SourceName: s.sites.name(a.Source), Published: a.Published, Lang: a.Lang,
		LangName: langName(a.Lang), Snippet: textnorm.OneLine(snippet)}
	if a.Cluster != "" {
		rv.Story = storyPath(a.Cluster)
	}
	for i, m := range byCount(a.Entities) {
		if i == maxEntityLinks {
			break
		}
		rv.Entities = append(rv.Entities, link{Label: m.Name, URL: entityPath(m.ID)})
	}
	return rv
}

// entityPath is the page of the entity id.
func entityPath(id string) string { return "/entities/" + url.PathEscape(id) }

// storyPath is the page of the story id.
func storyPath(id string) string { return "/stories/" + url.PathEscape(id) }

// page renders one of the server's pages and sends it.
func (s *Server) page(w http.ResponseWriter, r *http.Request, status int, name string, data any, lastMod time.Time) {
	send(w, r, s.render(status, name, data, lastMod))
}

// render renders one of the server's pages.
func (s *Server) render(status int, name string, data any, lastMod time.Time) response {
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, data); err != nil {
		s.log.Error("render page", "page", name, "err", err)
		return textResponse(http.StatusInternalServerError, "the page could not be rendered; see the server's log")
	}
	return response{status: status, contentType: "text/html; charset=utf-8", body: buf.Bytes(),
		lastModified: lastMod, cacheControl: cachePage}
}

// searchError is a failed search with the status it is answered with.
type searchError struct {
	status int
	msg    string
}

func (e searchError) Error() string { return e.msg }

// feedsOf returns the links to the three feeds at path (without extension)
// with params.
func feedsOf(title, path string, params url.Values) feedLinks {
	return feedLinks{Title: title, RSS: withParams(path+".rss", params), Atom: withParams(path+".atom", params),
		JSON: withParams(path+".json", params)}
}

// without returns a copy of v without the value val of key, or without key
// when val is empty, and without the page offset.
func without(v url.Values, key, val string) url.Values {
	out := cloneValues(v)
	if val == "" {
		out.Del(key)
	} else {
		out[key] = slices.DeleteFunc(slices.Clone(out[key]), func(x string) bool { return x == val })
		if len(out[key]) == 0 {
			delete(out, key)
		}
	}
	return out
}

// cloneValues returns a copy of v without the page offset.
func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, list := range v {
		if k != "offset" {
			out[k] = slices.Clone(list)
		}
	}
	return out
}

// with returns a copy of v (without the page offset) with key set to val,
// or without key when val is empty.
func with(v url.Values, key, val string) url.Values {
	out := cloneValues(v)
	out.Del(key)
	if val != "" {
		out.Set(key, val)
	}
	return out
}
