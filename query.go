package ottwatch

import (
	"context"
	"errors"
	"time"
)

// ErrNotFound is returned when an article is not in an index.
var ErrNotFound = errors.New("not found")

// Sort orders search results.
type Sort string

// The orders a search can ask for.
const (
	SortRelevance Sort = "relevance"
	SortDate      Sort = "date"
	// SortMixed puts first, as SortRelevance does, the articles tagged
	// with an entity the text names, and orders each of the two groups
	// newest first.
	SortMixed Sort = "mixed"
)

// Query is a search over indexed articles. Text is free text in any
// language; the other fields filter. An empty filter matches everything;
// Langs, Sources, Topics and Stories match any of their values, Entities all
// of them.
// An entity matches articles naming it or, unless Exact, any entity in
// Scopes under it (its subsidiaries, brands and products: see EntityTree).
// Since is inclusive, Until exclusive; they bound the publication date.
type Query struct {
	Text     string   `json:"text"`
	Langs    []string `json:"langs,omitempty"`
	Entities []string `json:"entities,omitempty"`
	Sources  []string `json:"sources,omitempty"`
	Topics   []string `json:"topics,omitempty"`
	// Stories keeps the articles of any of these stories (Article.Cluster):
	// a story's coverage, whatever its language or outlet.
	Stories []string `json:"stories,omitempty"`
	// Exact makes each of Entities match the entity itself only, not the
	// entities under it.
	Exact  bool      `json:"exact,omitempty"`
	Since  time.Time `json:"since,omitzero"`
	Until  time.Time `json:"until,omitzero"`
	Sort   Sort      `json:"sort,omitempty"`
	Limit  int       `json:"limit,omitempty"`
	Offset int       `json:"offset,omitempty"`
	Facets bool      `json:"facets,omitempty"`
	// Collapse keeps one hit per story cluster, the best ranked.
	Collapse bool `json:"collapse,omitempty"`
	// SeenSince (inclusive) and SeenUntil (exclusive) bound when ottwatch
	// first fetched an article (Article.Fetched), as Since and Until bound
	// its publication: an article printed days ago and crawled today was
	// first seen today. An article with no fetch time matches no bound.
	SeenSince time.Time `json:"seen_since,omitzero"`
	SeenUntil time.Time `json:"seen_until,omitzero"`
	// CountOnly asks for Total and, with Facets, the facets, without hits:
	// a count that orders nothing and reads no article. Collapsed, Total
	// counts the stories, as it does with hits.
	CountOnly bool `json:"-"`
	// PublishedEdges, when it holds two times or more, ascending, asks for
	// Results.PublishedCounts: how many matching articles were published
	// between each edge (inclusive) and the next (exclusive), such as
	// articles per week for a chart, counted over every match.
	PublishedEdges []time.Time `json:"-"`
	// AnyEntities keeps the articles naming at least one of these ids, and
	// NotEntities those naming none of them: index.ScopedSearch ranks with
	// them; users filter with Entities.
	AnyEntities []string `json:"-"`
	NotEntities []string `json:"-"`
	// Scopes maps a value of Entities to the ids of the entities under it,
	// which match for it too unless Exact. It is filled in where a query's
	// entities are resolved (index.ScopedSearch), never by users.
	Scopes map[string][]string `json:"-"`
}

// EntityAlternatives returns, for each value of Entities in order, the
// entity ids any of which an article must name to satisfy it: the entity
// and, unless Exact, the entities Scopes puts under it.
func (q Query) EntityAlternatives() [][]string {
	var out [][]string
	for _, e := range q.Entities {
		if e == "" {
			continue
		}
		alt := []string{e}
		if !q.Exact {
			for _, d := range q.Scopes[e] {
				if d != "" && d != e {
					alt = append(alt, d)
				}
			}
		}
		out = append(out, alt)
	}
	return out
}

// EntityTree tells which entities belong to an entity: its subsidiaries,
// brands and products, at any depth.
type EntityTree interface {
	// Descendants returns the ids of the entities under id, at any depth,
	// or none when id has none or is unknown.
	Descendants(id string) []string
	// Ancestors returns the ids of the entities above id, nearest first.
	Ancestors(id string) []string
}

// Watchlist is a saved search: what an analyst follows, as a feed or a
// digest.
type Watchlist struct {
	Name     string   `json:"name" yaml:"name"`
	Title    string   `json:"title,omitempty" yaml:"title"`
	Query    string   `json:"query,omitempty" yaml:"query"`
	Entities []string `json:"entities,omitempty" yaml:"entities"`
	Langs    []string `json:"langs,omitempty" yaml:"langs"`
	Sources  []string `json:"sources,omitempty" yaml:"sources"`
	Topics   []string `json:"topics,omitempty" yaml:"topics"`
	// MinMentions is how often each entity must be named for an article to
	// count: 2 leaves out articles that name it only in passing.
	MinMentions int `json:"min_mentions,omitempty" yaml:"min_mentions"`
	// Webhooks are posted each new story the watchlist finds and each
	// story's new coverage.
	Webhooks []Webhook `json:"webhooks,omitempty" yaml:"webhooks"`
}

// Facet fields a search can count.
const (
	FacetLang   = "lang"
	FacetEntity = "entity"
	FacetSource = "source"
)

// Results is one page of search results.
type Results struct {
	Total  int                     `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetCount `json:"facets,omitempty"`
	// PublishedCounts holds, for Query.PublishedEdges, one count per span
	// between consecutive edges.
	PublishedCounts []int `json:"-"`
}

// Hit is one matching article, with a highlighted snippet of the text that
// matched.
type Hit struct {
	Article *Article `json:"-"`
	Score   float64  `json:"score"`
	Snippet string   `json:"snippet"`
}

// FacetCount is how many matching articles have one value of a facet.
type FacetCount struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// Searcher is what read-only users of an index (the server, digests,
// search) need: lookups, searches and counts.
type Searcher interface {
	// Get returns one article, or ErrNotFound.
	Get(ctx context.Context, id string) (*Article, error)
	// Search runs a query.
	Search(ctx context.Context, q Query) (*Results, error)
	// Count returns the number of indexed articles.
	Count(ctx context.Context) (int, error)
}

// Writer is what brings an index up to date. Implementations must make
// Upsert idempotent by article id.
type Writer interface {
	// Upsert adds or replaces articles, keyed by id.
	Upsert(ctx context.Context, articles []*Article) error
	// Delete removes articles by id; missing ids are not an error.
	Delete(ctx context.Context, ids []string) error
	// Reset removes every article, keeping the index usable.
	Reset(ctx context.Context) error
}

// Index is a searchable projection of articles that can be read, written
// and closed: what a backend implements.
type Index interface {
	Searcher
	Writer
	// Close releases the index.
	Close() error
}

// Clock tells the time and waits, for whatever computes schedules and
// windows; tests pass a fake one.
type Clock interface {
	Now() time.Time
	After(d time.Duration) <-chan time.Time
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// After waits for d to elapse and then sends the current time.
func (SystemClock) After(d time.Duration) <-chan time.Time { return time.After(d) }
