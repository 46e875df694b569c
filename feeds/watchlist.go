package feeds

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/ottwatch/ottwatch"
)

// LookupFunc finds an entity of the gazetteer by id or by name, as
// (*nlp.Gazetteer).Lookup does.
type LookupFunc func(idOrName string) (ottwatch.Entity, bool)

// SearchName is the name the server gives ad-hoc searches
// (/feeds/search.rss); no watchlist may take it.
const SearchName = "search"

// slug is the shape of a watchlist name: it is part of feed URLs.
var slug = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// maxNameLen is the longest watchlist name.
const maxNameLen = 64

// ValidateWatchlist checks a watchlist and returns it normalised: entities
// given by name become ids, languages, sources and topics are lowercased,
// blanks and repeats dropped. Its name must be a slug (amazon-telecom), its
// entities known to lookup, and it must have a query or at least one filter.
func ValidateWatchlist(w ottwatch.Watchlist, lookup LookupFunc) (ottwatch.Watchlist, error) {
	out := ottwatch.Watchlist{
		Name:        strings.TrimSpace(w.Name),
		Title:       strings.TrimSpace(w.Title),
		Query:       strings.TrimSpace(w.Query),
		Sources:     lowerSet(w.Sources),
		Topics:      lowerSet(w.Topics),
		MinMentions: w.MinMentions,
	}
	switch {
	case out.Name == "":
		return out, errors.New("watchlist without a name")
	case len(out.Name) > maxNameLen || !slug.MatchString(out.Name):
		return out, fmt.Errorf("watchlist %q: the name must be a slug of lowercase letters, digits and hyphens, such as amazon-telecom", out.Name)
	case out.Name == SearchName:
		return out, fmt.Errorf("watchlist %q: the name is reserved for ad-hoc searches", out.Name)
	case out.MinMentions < 0:
		return out, fmt.Errorf("watchlist %q: min_mentions %d is negative", out.Name, out.MinMentions)
	}
	var err error
	if out.Langs, err = checkLangs(w.Langs); err != nil {
		return out, fmt.Errorf("watchlist %q: %w", out.Name, err)
	}
	if out.Entities, err = resolveEntities(w.Entities, lookup); err != nil {
		return out, fmt.Errorf("watchlist %q: %w", out.Name, err)
	}
	if out.Webhooks, err = validateWebhooks(w.Webhooks); err != nil {
		return out, fmt.Errorf("watchlist %q: %w", out.Name, err)
	}
	if _, err := (ottwatch.Query{Text: out.Query, Langs: out.Langs, Entities: out.Entities,
		Sources: out.Sources, Topics: out.Topics}).Check(); err != nil {
		return out, fmt.Errorf("watchlist %q: %w", out.Name, err)
	}
	if out.Query == "" && len(out.Entities)+len(out.Langs)+len(out.Sources)+len(out.Topics) == 0 {
		return out, fmt.Errorf("watchlist %q: give it a query or at least one of entities, langs, sources, topics", out.Name)
	}
	return out, nil
}

// ValidateWatchlists validates each watchlist (see ValidateWatchlist) and
// checks that no two share a name.
func ValidateWatchlists(ws []ottwatch.Watchlist, lookup LookupFunc) ([]ottwatch.Watchlist, error) {
	out := make([]ottwatch.Watchlist, 0, len(ws))
	seen := make(map[string]bool, len(ws))
	for i, w := range ws {
		v, err := ValidateWatchlist(w, lookup)
		if err != nil {
			return nil, fmt.Errorf("watchlist %d of %d: %w", i+1, len(ws), err)
		}
		if seen[v.Name] {
			return nil, fmt.Errorf("watchlist %d of %d: name %q is used twice", i+1, len(ws), v.Name)
		}
		seen[v.Name] = true
		out = append(out, v)
	}
	return out, nil
}

// checkLangs returns languages lowercased, each a two-letter code.
func checkLangs(langs []string) ([]string, error) {
	out := lowerSet(langs)
	for _, l := range out {
		if len(l) != 2 || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz") != "" {
			return nil, fmt.Errorf("language %q is not a two-letter code such as it or fr", l)
		}
	}
	return out, nil
}

// resolveEntities returns the ids of the entities named by id or name,
// each once.
func resolveEntities(names []string, lookup LookupFunc) ([]string, error) {
	var ids []string
	for _, e := range names {
		if strings.TrimSpace(e) == "" {
			continue
		}
		if lookup == nil {
			return nil, fmt.Errorf("no gazetteer to look entity %q up in", e)
		}
		ent, ok := lookup(e)
		if !ok {
			return nil, fmt.Errorf("entity %q is not in the gazetteer", e)
		}
		if !slices.Contains(ids, ent.ID) {
			ids = append(ids, ent.ID)
		}
	}
	return ids, nil
}

// FindWatchlist returns the watchlist called name.
func FindWatchlist(ws []ottwatch.Watchlist, name string) (ottwatch.Watchlist, bool) {
	for _, w := range ws {
		if w.Name == name {
			return w, true
		}
	}
	return ottwatch.Watchlist{}, false
}

// DisplayTitle returns the title of a watchlist, or its name when it has
// none.
func DisplayTitle(w ottwatch.Watchlist) string {
	if w.Title != "" {
		return w.Title
	}
	return w.Name
}

// lowerSet returns values trimmed and lowercased, without blanks and
// repeats, in their first order.
func lowerSet(values []string) []string {
	var out []string
	for _, v := range values {
		v = strings.ToLower(strings.TrimSpace(v))
		if v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
