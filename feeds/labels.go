package feeds

import (
	"context"
	"strings"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/ottwatch/ottwatch"
)

// maxSiteNames is how many site names the server remembers.
const maxSiteNames = 10_000

// langName names a language for people ("Italian" for it), or returns the
// code when it is not one.
func langName(code string) string {
	tag, err := language.Parse(code)
	if err != nil || code == "" {
		return code
	}
	if name := display.English.Languages().Name(tag); name != "" {
		return name
	}
	return code
}

// langNames names each of codes (see langName).
func langNames(codes []string) []string {
	out := make([]string, len(codes))
	for i, c := range codes {
		out[i] = langName(c)
	}
	return out
}

// countryName names an ISO 3166-1 country for people ("Italy" for IT), or
// returns the code when it is not one.
func countryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.English.Regions().Name(r); name != "" {
		return name
	}
	return code
}

// typeName names an entity type for people: "Regulator".
func typeName(t ottwatch.EntityType) string {
	s := string(t)
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// siteNames remembers the name each source host gives itself
// (og:site_name), as the articles the server reads tell it, so that
// sources show as "Corriere delle Comunicazioni" rather than a host even
// in facets, which count hosts.
type siteNames struct{ cache *lru.Cache[string, string] }

func newSiteNames() (*siteNames, error) {
	c, err := lru.New[string, string](maxSiteNames)
	if err != nil {
		return nil, err
	}
	return &siteNames{cache: c}, nil
}

// note remembers the site name of a's source, or that it gives none.
func (n *siteNames) note(a *ottwatch.Article) {
	if a == nil || a.Source == "" {
		return
	}
	host := ottwatch.SourceHost(a.Source)
	if name := strings.TrimSpace(a.SiteName); name != "" {
		n.cache.Add(host, name)
	} else if !n.cache.Contains(host) {
		n.cache.Add(host, "")
	}
}

// known reports whether an article of host was seen.
func (n *siteNames) known(host string) bool { return n.cache.Contains(ottwatch.SourceHost(host)) }

// name returns the site name of host, or host when none is known.
func (n *siteNames) name(host string) string {
	if name, ok := n.cache.Get(ottwatch.SourceHost(host)); ok && name != "" {
		return name
	}
	return host
}

// learnSites reads one article of each of hosts whose site name is not
// known yet, so that they show under their names: a source costs one
// search once.
func (s *Server) learnSites(ctx context.Context, counts []ottwatch.FacetCount) {
	for _, c := range counts {
		if s.sites.known(c.Value) {
			continue
		}
		res, err := s.idx.Search(ctx, ottwatch.Query{Sources: []string{c.Value}, Limit: 1})
		if err != nil {
			s.log.Warn("site name", "source", c.Value, "err", err)
			return
		}
		for _, h := range res.Hits {
			s.sites.note(h.Article)
		}
	}
}
