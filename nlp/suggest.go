package nlp

import (
	"cmp"
	"slices"
	"strings"

	"github.com/agnivade/levenshtein"
)

// maxSuggestions is how many ids Suggest and SuggestTopics return at most.
const maxSuggestions = 3

// Suggest returns the ids of up to three entities whose id, name or an
// alias is closest to s, for an error message about an unknown entity:
// "amazn" suggests amazon, "telefonika" telefonica. It returns none when
// nothing is close.
func (g *Gazetteer) Suggest(s string) []string {
	var cands []candidate
	for _, e := range g.entities {
		names := append([]string{e.ID, e.Name}, e.Aliases...)
		cands = append(cands, candidate{e.ID, names})
	}
	return closest(s, cands)
}

// SuggestTopics returns the ids of up to three topics whose id or name is
// closest to s.
func (g *Gazetteer) SuggestTopics(s string) []string {
	var cands []candidate
	for _, t := range g.topics {
		cands = append(cands, candidate{t.ID, []string{t.ID, t.Name}})
	}
	return closest(s, cands)
}

// EntitiesNamed returns the ids of the entities that text, a query's words
// in any language, names: "Amazon fine" names amazon. Aliases restricted
// to some languages are not used. It makes the gazetteer an
// index.EntityNamer.
func (g *Gazetteer) EntitiesNamed(text string) []string {
	var ids []string
	for _, m := range g.Match(text, "") {
		ids = append(ids, m.ID)
	}
	return ids
}

// Topic returns the topic with the given id.
func (g *Gazetteer) Topic(id string) (Topic, bool) {
	i := slices.IndexFunc(g.topics, func(t Topic) bool { return t.ID == id })
	if i < 0 {
		return Topic{}, false
	}
	return g.topics[i], true
}

type candidate struct {
	id    string
	names []string
}

// closest ranks the candidates by the smallest edit distance between s and
// one of their names, folded, or by a name that starts with s, and keeps
// those within a third of the length of s.
func closest(s string, cands []candidate) []string {
	key := joinFolded(tokenize(s))
	if key == "" {
		return nil
	}
	type scored struct {
		id   string
		dist int
	}
	limit := max(1, len([]rune(key))/3)
	var found []scored
	for _, c := range cands {
		best := -1
		for _, n := range c.names {
			f := joinFolded(tokenize(n))
			d := levenshtein.ComputeDistance(key, f)
			if strings.HasPrefix(f, key) || strings.HasPrefix(key, f) && len(f) >= 3 {
				d = min(d, 1)
			}
			if best < 0 || d < best {
				best = d
			}
		}
		if best >= 0 && best <= limit {
			found = append(found, scored{c.id, best})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return cmp.Compare(a.dist, b.dist) })
	var ids []string
	for _, f := range found {
		if !slices.Contains(ids, f.id) {
			ids = append(ids, f.id)
		}
		if len(ids) == maxSuggestions {
			break
		}
	}
	return ids
}
