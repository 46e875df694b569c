package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler"
)

// extractOptions are the options of 'ottwatch extract'.
type extractOptions struct {
	*globals
	Target string
	Langs  []string
	JSON   bool
}

func newExtractCmd(g *globals) *cobra.Command {
	o := &extractOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "extract URL|FILE",
		Short: "Show what ottwatch makes of one page, without indexing it",
		Long: `Extract fetches one page (or reads a local file), extracts its article,
detects the language and tags entities and topics, and prints the result
with the verdict a crawl would give: whether the page is an article it
keeps, and why. A page the crawl would refuse (a listing, a consent wall,
too little text) is still shown, with what was found on it.
Use it to check a new source before crawling it.

With --json it prints {"article": ARTICLE or null, "verdict": {"article":
true|false, "reason": "..."}, "extracted": ARTICLE}: "article" is what a
crawl would archive, null when the page is refused; "extracted" is what
was found on a refused page.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Target = args[0]
			return runExtract(cmd.Context(), o)
		},
	}
	cmd.Flags().StringSliceVar(&o.Langs, "langs", ottwatch.Languages, "languages to detect, ISO 639-1 codes")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// extraction is what 'ottwatch extract --json' prints.
type extraction struct {
	Article   *ottwatch.Article `json:"article"`
	Verdict   crawler.Verdict   `json:"verdict"`
	Extracted *ottwatch.Article `json:"extracted,omitempty"`
}

func runExtract(ctx context.Context, o *extractOptions) error {
	enricher, err := o.enricher(o.Langs)
	if err != nil {
		return err
	}
	var page *crawler.Result
	c := crawler.New(crawler.WithDepth(0), crawler.WithLogger(o.logger()))
	_, err = c.Pages(ctx, []string{o.Target}, func(r crawler.Result) {
		if page == nil {
			page = &r
		}
	})
	switch {
	case err != nil:
		return err
	case page == nil:
		return errors.New(o.Target + ": nothing fetched (disallowed by robots.txt?)")
	case page.Extracted == nil && page.Err != nil:
		return page.Err
	case page.Extracted == nil:
		return errors.New(o.Target + ": not an HTML page")
	}
	article, verdict := page.Extracted, page.Verdict
	enricher.Enrich(article)
	out := extraction{Article: article, Verdict: verdict}
	if !verdict.Article {
		out.Article, out.Extracted = nil, article
	}
	if o.JSON {
		return writeJSON(o.io.Out, out)
	}
	printArticle(o.io.Out, article)
	kept := "kept"
	if !verdict.Article {
		kept = "refused"
	}
	fmt.Fprintf(o.io.Out, "\nverdict: %s, %s\n", kept, verdict.Reason)
	return nil
}
