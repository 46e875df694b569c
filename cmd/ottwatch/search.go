package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// searchOptions are the options of 'ottwatch search'.
type searchOptions struct {
	*globals
	Query    string
	Langs    []string
	Entities []string
	Sources  []string
	Topics   []string
	Exact    bool
	Since    string
	Until    string
	Sort     string
	Limit    int
	Offset   int
	Facets   bool
	Collapse bool
	JSON     bool
	// dash comes before an option's name in messages: "--" for the
	// command's flags, nothing for the parameters of /api/search.
	dash string
}

func newSearchCmd(g *globals) *cobra.Command {
	o := &searchOptions{globals: g, dash: "--"}
	cmd := &cobra.Command{
		Use:   "search [QUERY...]",
		Short: "Search the indexed articles, in any language",
		Long: `Search finds articles by words (stemmed in each article's language), and
filters them by language, entity, source, topic and date. The words of all
arguments make one query:

  Iliad multa           every word must match (AND is allowed, and +word)
  "rete unica"          the exact phrase
  Iliad -Poste          without the word; -"Poste Italiane" without the phrase
  Iliad OR Free fibra   one of the alternatives, and fibra (Bleve only:
                        Meilisearch cannot search for alternatives)
  entity:amazon         the flags' filters, in the query: entity:ID (with the
  lang:it source:HOST   entities under it; entity:=ID for that one only),
  topic:ID              lang:CODE, source:HOST, topic:ID

With filters and no words, search lists the matching articles newest first.
Quote a query that starts with -, or put -- before it. With --collapse, the
copies of one story on several outlets (one story cluster) count once: the
best ranked copy stands for them, and the total counts stories.`,
		Example: `  ottwatch search Agcom
  ottwatch search Amazon --lang fr --json
  ottwatch search '"rete unica" -TIM' --entity open-fiber --since 30d --sort date --facets
  ottwatch search Iliad multa lang:it
  ottwatch search --entity amazon --since 7d
  ottwatch search Iliad --collapse`,
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Query = strings.Join(args, " ")
			return runSearch(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Langs, "lang", nil, "only articles in these languages (it,fr,...)")
	f.StringSliceVar(&o.Entities, "entity", nil, "only articles naming all these entities (id or name, see 'ottwatch entities'), each with the entities under it (amazon: Prime Video, AWS…)")
	f.BoolVar(&o.Exact, "exact", false, "--entity matches the entity itself only, not the entities under it")
	f.StringSliceVar(&o.Sources, "source", nil, "only articles from these hosts")
	f.StringSliceVar(&o.Topics, "topic", nil, "only articles with one of these topics (see 'ottwatch topics')")
	f.StringVar(&o.Since, "since", "", "only articles published since: a duration back from now (24h, 30d, 2w) or a date (2026-01-01)")
	f.StringVar(&o.Until, "until", "", "only articles published before: a duration back from now or a date")
	f.StringVar(&o.Sort, "sort", "relevance", "order: relevance (articles tagged with an entity the words name first), date (newest first) or mixed (the tagged articles first, each group newest first)")
	f.IntVar(&o.Limit, "limit", 10, "results to show")
	f.IntVar(&o.Offset, "offset", 0, "results to skip")
	f.BoolVar(&o.Facets, "facets", false, "count results by language, entity and source")
	f.BoolVar(&o.Collapse, "collapse", false, "one result per story: the best ranked of its copies on several outlets")
	f.BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runSearch(ctx context.Context, o *searchOptions) error {
	q, err := o.query(o.clock.Now())
	if err != nil {
		return err
	}
	idx, err := o.openReader(ctx)
	if err != nil {
		return err
	}
	defer idx.Close()
	res, err := idx.Search(ctx, q)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	var stories map[string]*ottwatch.Story
	if o.Collapse {
		stories = o.stories(res)
	}
	if o.JSON {
		return writeJSON(o.io.Out, searchJSON(res, stories))
	}
	printResults(o.io.Out, o.io.width(), o.Query, res, o.Collapse, stories)
	return nil
}

// stories returns the stories of the hits, by id, from the archive; none
// where there is no archive to read (a team member's machine).
func (g *globals) stories(res *ottwatch.Results) map[string]*ottwatch.Story {
	ar, err := g.openArchive(archiveRead, false)
	if err != nil {
		return nil
	}
	defer ar.Close()
	out := make(map[string]*ottwatch.Story)
	for _, h := range res.Hits {
		if id := h.Article.Cluster; id != "" && out[id] == nil {
			if st, err := ar.Story(id); err == nil {
				out[id] = st
			}
		}
	}
	return out
}

// query checks the options and turns them into an ottwatch.Query.
func (o *searchOptions) query(now time.Time) (q ottwatch.Query, err error) {
	q = ottwatch.Query{Text: strings.TrimSpace(o.Query), Sources: lower(o.Sources),
		Exact: o.Exact, Limit: o.Limit, Offset: o.Offset, Facets: o.Facets, Collapse: o.Collapse}
	if q.Text == "" && len(o.Entities)+len(o.Langs)+len(o.Sources)+len(o.Topics) == 0 && o.Since == "" && o.Until == "" {
		d := o.dash
		return q, fmt.Errorf("empty query: give words to search for or a filter (%sentity, %slang, %ssource, %stopic, %ssince)", d, d, d, d, d)
	}
	if o.Limit < 1 || o.Limit > 1000 || o.Offset < 0 {
		return q, fmt.Errorf("%slimit must be 1 to 1000 and %soffset 0 or more", o.dash, o.dash)
	}
	for _, l := range lower(o.Langs) {
		if len(l) != 2 {
			return q, fmt.Errorf("%slang %q: want a two-letter code such as it or fr", o.dash, l)
		}
		q.Langs = append(q.Langs, l)
	}
	gaz, err := o.gazetteer()
	if err != nil {
		return q, err
	}
	if q.Entities, err = entityFilter(gaz, o.dash+"entity", o.Entities); err != nil {
		return q, err
	}
	if q.Topics, err = topicFilter(gaz, o.dash+"topic", o.Topics); err != nil {
		return q, err
	}
	switch s := ottwatch.Sort(o.Sort); s {
	case ottwatch.SortRelevance, ottwatch.SortDate, ottwatch.SortMixed:
		q.Sort = s
		if q.Text == "" {
			q.Sort = ottwatch.SortDate // nothing to rank by: the newest first
		}
	default:
		return q, fmt.Errorf("%ssort %q: want relevance, date or mixed", o.dash, o.Sort)
	}
	if q.Since, err = feeds.ParseWhen(o.Since, now); err != nil {
		return q, fmt.Errorf("%ssince: %w", o.dash, err)
	}
	if q.Until, err = feeds.ParseWhen(o.Until, now); err != nil {
		return q, fmt.Errorf("%suntil: %w", o.dash, err)
	}
	if _, err := q.Check(); err != nil {
		return q, err
	}
	return q, nil
}

func lower(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.ToLower(strings.TrimSpace(v)); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// hitJSON is one result as 'search --json' prints it.
type hitJSON struct {
	ID        string        `json:"id"`
	URL       string        `json:"url"`
	Title     string        `json:"title"`
	Source    string        `json:"source"`
	Published *time.Time    `json:"published"`
	Lang      string        `json:"lang"`
	Entities  []mentionJSON `json:"entities"`
	Topics    []string      `json:"topics"`
	Cluster   string        `json:"cluster"`
	Score     float64       `json:"score"`
	Snippet   string        `json:"snippet"`
	// Story is the story the article reports, with its coverage (with
	// --collapse).
	Story *ottwatch.Story `json:"story,omitempty"`
}

type mentionJSON struct {
	ID    string              `json:"id"`
	Name  string              `json:"name"`
	Type  ottwatch.EntityType `json:"type"`
	Count int                 `json:"count"`
}

type resultsJSON struct {
	Total  int                              `json:"total"`
	Hits   []hitJSON                        `json:"hits"`
	Facets map[string][]ottwatch.FacetCount `json:"facets,omitempty"`
}

func searchJSON(res *ottwatch.Results, stories map[string]*ottwatch.Story) resultsJSON {
	out := resultsJSON{Total: res.Total, Hits: []hitJSON{}, Facets: res.Facets}
	for _, h := range res.Hits {
		a := h.Article
		hj := hitJSON{ID: a.ID, URL: a.URL, Title: a.Title, Source: a.Source, Lang: a.Lang,
			Entities: []mentionJSON{}, Topics: a.Topics, Cluster: a.Cluster, Score: h.Score, Snippet: h.Snippet,
			Story: stories[a.Cluster]}
		if !a.Published.IsZero() {
			p := a.Published.UTC()
			hj.Published = &p
		}
		if hj.Topics == nil {
			hj.Topics = []string{}
		}
		for _, m := range a.Entities {
			hj.Entities = append(hj.Entities, mentionJSON{ID: m.ID, Name: m.Name, Type: m.Type, Count: m.Count})
		}
		out.Hits = append(out.Hits, hj)
	}
	return out
}

// printResults prints res as a table fitting width; a collapsed search
// counts stories.
func printResults(w io.Writer, width int, query string, res *ottwatch.Results, collapsed bool, stories map[string]*ottwatch.Story) {
	noun := "results"
	switch {
	case collapsed && res.Total == 1:
		noun = "story"
	case collapsed:
		noun = "stories"
	case res.Total == 1:
		noun = "result"
	}
	fmt.Fprintf(w, "%d %s for %q\n", res.Total, noun, query)
	if len(res.Hits) > 0 {
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.Article.ID
		}
		ids = shortIDs(ids)
		header := []string{"ID", "PUBLISHED", "LANG", "SOURCE", "TITLE", "ENTITIES"}
		if collapsed {
			header = append(header[:5:5], "ALSO", "ENTITIES") // the story's other coverage
		}
		t := newTable(header...).shrinkable("TITLE", "SOURCE", "ENTITIES")
		for i, h := range res.Hits {
			a := h.Article
			row := []string{ids[i], day(a.Published), a.Lang, a.Source, textnorm.OneLine(a.Title)}
			if collapsed {
				row = append(row, dash(stories[a.Cluster].Coverage()))
			}
			t.add(append(row, entityNames(a.Entities))...)
		}
		fmt.Fprintln(w)
		t.print(w, width)
	}
	for _, name := range []string{ottwatch.FacetLang, ottwatch.FacetEntity, ottwatch.FacetSource} {
		counts := res.Facets[name]
		if len(counts) == 0 {
			continue
		}
		parts := make([]string, len(counts))
		for i, c := range counts {
			parts[i] = fmt.Sprintf("%s (%d)", c.Value, c.Count)
		}
		for i := range parts[:len(parts)-1] {
			parts[i] += ","
		}
		fmt.Fprintf(w, "\n%s", wrap(append([]string{name + ":"}, parts...), width, "  "))
	}
	if len(res.Facets) > 0 {
		fmt.Fprintln(w)
	}
}

// minIDLength is the fewest characters of an article id tables show.
const minIDLength = 8

// shortIDs returns the shortest prefixes, of minIDLength characters at
// least, that tell the ids apart; 'ottwatch show' takes them.
func shortIDs(ids []string) []string {
	for n := minIDLength; ; n++ {
		seen := make(map[string]bool, len(ids))
		out := make([]string, len(ids))
		unique := true
		for i, id := range ids {
			out[i] = id[:min(n, len(id))]
			if seen[out[i]] && out[i] != id {
				unique = false
			}
			seen[out[i]] = true
		}
		if unique {
			return out
		}
	}
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02")
}

// entityNames lists the names of the entities mentioned, most mentioned
// first.
func entityNames(ms []ottwatch.Mention) string {
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b ottwatch.Mention) int { return b.Count - a.Count })
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
