package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp"
)

// discoverOptions are the options of 'ottwatch discover'.
type discoverOptions struct {
	*globals
	Since       string
	MinArticles int
	Limit       int
	JSON        bool
}

func newDiscoverCmd(g *globals) *cobra.Command {
	o := &discoverOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "discover",
		Short: "List organisations the archive names in telecom context that the gazetteer does not know",
		Long: `Discover reads the archived articles and lists the organisations they name
that the gazetteer does not know yet: names with a legal form (S.p.A., GmbH,
SAS, S.L., Ltd…), and capitalised names in sentences with telecom words that
have a word of organisations in them (Mobile, Netz, Towers…) or a determiner
before them. Words the articles also write in lower case, places and known
entities are left out. Each comes with its mentions, articles, first date,
languages, articles this week and the week before, and example sentences.
'ottwatch gazetteer add' adopts one; 'ottwatch reindex' then tags the archive
with it.`,
		Example: `  ottwatch discover
  ottwatch discover --since 30d --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDiscover(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Since, "since", "30d", "only articles published since: a duration back from now (30d, 2w) or a date")
	f.IntVar(&o.MinArticles, "min-articles", 2, "only names found in this many articles at least")
	f.IntVar(&o.Limit, "limit", 30, "names to show")
	f.BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runDiscover(o *discoverOptions) error {
	if o.MinArticles < 1 || o.Limit < 1 {
		return fmt.Errorf("--min-articles and --limit must be 1 or more")
	}
	since, err := feeds.ParseWhen(o.Since, o.clock.Now())
	if err != nil {
		return fmt.Errorf("--since: %w", err)
	}
	gaz, err := o.gazetteer()
	if err != nil {
		return err
	}
	ar, err := o.openArchive(archiveRead, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	articles, err := archivedSince(ar, since)
	if err != nil {
		return err
	}
	found := gaz.Discover(articles, nlp.DiscoverOptions{MinArticles: o.MinArticles})
	if len(found) > o.Limit {
		found = found[:o.Limit]
	}
	if o.JSON {
		if found == nil {
			found = []nlp.Candidate{}
		}
		return writeJSON(o.io.Out, found)
	}
	fmt.Fprintf(o.io.Out, "%d names in %d articles since %s not in the gazetteer\n\n", len(found), len(articles), day(since))
	tab := newTable("NAME", "ARTICLES", "MENTIONS", "FIRST SEEN", "LANGS", "WEEK", "EXAMPLE").shrinkable("EXAMPLE", "NAME")
	for _, c := range found {
		name := c.Name
		if c.LegalForm {
			name += " *"
		}
		example := ""
		if len(c.Examples) > 0 {
			example = c.Examples[0]
		}
		tab.add(name, fmt.Sprint(c.Articles), fmt.Sprint(c.Mentions), day(c.FirstSeen), strings.Join(c.Langs, ","),
			fmt.Sprintf("%d/%d", c.ThisWeek, c.LastWeek), example)
	}
	if err := tab.print(o.io.Out, o.io.width()); err != nil {
		return err
	}
	fmt.Fprintln(o.io.Out, "\n* written with a legal form; WEEK: articles in the last 7 days / the 7 before")
	return nil
}

// archivedSince returns the archived articles published (or, undated,
// fetched) since since, every one when since is zero.
func archivedSince(ar *index.Archive, since time.Time) ([]*ottwatch.Article, error) {
	var out []*ottwatch.Article
	for seq := uint64(0); ; {
		entries, err := ar.After(seq, 500)
		if err != nil {
			return nil, err
		}
		if len(entries) == 0 {
			return out, nil
		}
		for _, e := range entries {
			seq = e.Seq
			t := e.Article.Published
			if t.IsZero() {
				t = e.Article.Fetched
			}
			if since.IsZero() || !t.Before(since) {
				out = append(out, e.Article)
			}
		}
	}
}
