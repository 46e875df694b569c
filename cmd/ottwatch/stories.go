package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/index"
)

// storiesOptions are the options of 'ottwatch stories'.
type storiesOptions struct {
	*globals
	Entities []string
	Langs    []string
	Topics   []string
	Since    string
	Limit    int
	Prefer   string // language of the headlines, when a story has it
	JSON     bool
}

func newStoriesCmd(g *globals) *cobra.Command {
	o := &storiesOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "stories",
		Short: "List stories: each event once, with all its coverage, whatever the outlet or language",
		Long: `Stories lists the events the archive has seen reported, the most recently
updated first: one line per story with its headline (the title of its most
central article, in --prefer-lang when the story has an article in it), how
many articles and outlets cover it and in which languages. Filters work as
in search: every --entity, any --lang, any --topic, --since (updated since).`,
		Example: `  ottwatch stories --entity iliad --since 30d
  ottwatch stories --lang fr --prefer-lang it --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStories(o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Entities, "entity", nil, "only stories naming this entity (id, name or alias; repeat for all of several)")
	f.StringSliceVar(&o.Langs, "lang", nil, "only stories with an article in this language (repeat for any of several)")
	f.StringSliceVar(&o.Topics, "topic", nil, "only stories with this topic (repeat for any of several)")
	f.StringVar(&o.Since, "since", "", "only stories updated since: a duration back from now (24h, 30d, 2w) or a date (2026-01-01)")
	f.IntVar(&o.Limit, "limit", 20, "how many stories to list (0 for all)")
	f.StringVar(&o.Prefer, "prefer-lang", "", "language of the headlines, when a story has an article in it")
	f.BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// storiesFilter turns the options into the archive's filter.
func storiesFilter(o *storiesOptions) (index.StoryFilter, error) {
	f := index.StoryFilter{Langs: lower(o.Langs), Topics: lower(o.Topics), Limit: o.Limit}
	if o.Limit < 0 {
		return f, fmt.Errorf("--limit %d: want 0 or more", o.Limit)
	}
	if len(o.Entities) > 0 {
		gaz, err := o.gazetteer()
		if err != nil {
			return f, err
		}
		for _, v := range o.Entities {
			e, ok := gaz.Lookup(v)
			if !ok {
				return f, fmt.Errorf("--entity %q: no such entity (see 'ottwatch entities')", v)
			}
			f.Entities = append(f.Entities, e.ID)
		}
	}
	var err error
	if f.Since, err = feeds.ParseWhen(o.Since, o.clock.Now()); err != nil {
		return f, fmt.Errorf("--since: %w", err)
	}
	return f, nil
}

func runStories(o *storiesOptions) error {
	f, err := storiesFilter(o)
	if err != nil {
		return err
	}
	ar, err := o.openArchive(archiveRead, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	stories, err := ar.Stories(f)
	if err != nil {
		return err
	}
	for _, s := range stories {
		if h := s.HeadlineIn(o.Prefer); h != s.Headline {
			s.Headline, s.HeadlineLang = h, o.Prefer
		}
	}
	if o.JSON {
		if stories == nil {
			stories = []*ottwatch.Story{}
		}
		return writeJSON(o.io.Out, stories)
	}
	return printStories(o.io.Out, stories)
}

// printStories writes one line per story: its id, when it was last
// updated, its articles, outlets and languages, and its headline.
func printStories(w io.Writer, stories []*ottwatch.Story) error {
	if len(stories) == 0 {
		_, err := fmt.Fprintln(w, "no stories")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "STORY\tUPDATED\tARTICLES\tOUTLETS\tLANGS\tHEADLINE")
	for _, s := range stories {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", s.ID[:min(len(s.ID), 10)], s.Updated.Format("2006-01-02 15:04"),
			len(s.Articles), len(s.Sources), strings.Join(s.Langs, "/"), s.Headline)
	}
	return tw.Flush()
}
