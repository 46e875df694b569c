package feeds

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"time"

	"github.com/ottwatch/ottwatch"
)

// storyID is what a story id looks like: the hex id of the article that
// started it.
var storyID = regexp.MustCompile(`^[0-9a-f]{1,64}$`)

// storyView is what a story page shows.
type storyView struct {
	Title     string
	Headline  string
	Lang      string // of the headline
	Articles  int
	Read      int
	Outlets   int
	Langs     []string // names, the most covered first
	First     time.Time
	Last      time.Time
	Groups    []langGroup
	Entities  []link
	Subscribe *feedLinks // none: a story is not a feed
}

// langGroup is the coverage of a story in one language.
type langGroup struct {
	Lang, Name string
	Articles   []resultView
}

// storyPage serves /stories/{id}: every article of the story, grouped by
// language, earliest first, rendered once per cache TTL.
func (s *Server) storyPage(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !storyID.MatchString(id) {
		s.pageError(w, r, http.StatusNotFound, fmt.Sprintf("%q is not a story id: story links come from the search page and the feeds.", id))
		return
	}
	s.answer(w, r, func(ctx context.Context) response { return s.renderStory(ctx, id) })
}

// renderStory renders the page of the story id from one search: its
// articles (up to maxServedHits) and their facets.
func (s *Server) renderStory(ctx context.Context, id string) response {
	res, err := s.idx.Search(ctx, ottwatch.Query{Stories: []string{id}, Sort: ottwatch.SortDate, Limit: maxServedHits, Facets: true})
	if err != nil {
		s.log.Error("story page", "story", id, "err", err)
		return s.errorPage(SearchFailure(err))
	}
	if res.Total == 0 {
		return s.errorPage(http.StatusNotFound, fmt.Sprintf("No story %s in the index: it may have joined another story since the link was made; search for its words instead.", id))
	}
	v := &storyView{Articles: res.Total, Outlets: len(res.Facets[ottwatch.FacetSource])}
	var earliest *ottwatch.Article
	groups := make(map[string]*langGroup)
	for i := len(res.Hits) - 1; i >= 0; i-- { // earliest first
		a := res.Hits[i].Article
		if a == nil {
			continue
		}
		v.Read++
		if earliest == nil || (!a.Published.IsZero() && (earliest.Published.IsZero() || a.Published.Before(earliest.Published))) {
			earliest = a
		}
		if !a.Published.IsZero() {
			if v.First.IsZero() || a.Published.Before(v.First) {
				v.First = a.Published
			}
			if a.Published.After(v.Last) {
				v.Last = a.Published
			}
		}
		g := groups[a.Lang]
		if g == nil {
			g = &langGroup{Lang: a.Lang, Name: cmp.Or(langName(a.Lang), "Language unknown")}
			groups[a.Lang] = g
		}
		g.Articles = append(g.Articles, s.article(a, ""))
	}
	if earliest == nil {
		return s.errorPage(http.StatusNotFound, fmt.Sprintf("No story %s in the index.", id))
	}
	v.Headline, v.Lang = s.article(earliest, "").Title, earliest.Lang
	v.Title = v.Headline + " – ottwatch story"
	for _, g := range groups {
		v.Groups = append(v.Groups, *g)
	}
	slices.SortFunc(v.Groups, func(a, b langGroup) int {
		return cmp.Or(cmp.Compare(len(b.Articles), len(a.Articles)), cmp.Compare(a.Name, b.Name))
	})
	for _, g := range v.Groups {
		v.Langs = append(v.Langs, g.Name)
	}
	for _, c := range res.Facets[ottwatch.FacetEntity] {
		if e, ok := s.lookup(c.Value); ok {
			v.Entities = append(v.Entities, link{Label: e.Name, URL: entityPath(e.ID), Count: c.Count})
		}
	}
	return s.render(http.StatusOK, "story", v, v.Last)
}
