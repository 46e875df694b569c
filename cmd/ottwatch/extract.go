package main

import (
	"context"
	"errors"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/nlp"
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
detects the language and tags entities and topics, and prints the result.
Use it to check a new source before crawling it.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Target = args[0]
			return runExtract(cmd.Context(), o)
		},
	}
	cmd.Flags().StringSliceVar(&o.Langs, "langs", nlp.DefaultLanguages, "languages to detect, ISO 639-1 codes")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runExtract(ctx context.Context, o *extractOptions) error {
	enricher, err := o.enricher(o.Langs)
	if err != nil {
		return err
	}
	var article *ottwatch.Article
	var pageErr error
	c := crawler.New(crawler.WithDepth(0), crawler.WithLogger(o.logger()))
	_, err = c.Pages(ctx, []string{o.Target}, func(r crawler.Result) {
		if article == nil && pageErr == nil {
			article, pageErr = r.Article, r.Err
		}
	})
	switch {
	case err != nil:
		return err
	case pageErr != nil:
		return pageErr
	case article == nil:
		return errors.New(o.Target + ": nothing fetched (disallowed by robots.txt?)")
	}
	enricher.Enrich(article)
	if o.JSON {
		return writeJSON(o.io.Out, article)
	}
	printArticle(o.io.Out, article)
	return nil
}
