package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/ingest"
)

// reindexOptions are the options of 'ottwatch reindex'.
type reindexOptions struct {
	*globals
	Backend     string
	Langs       []string
	SourcesFile string
	MaxBody     int
	JSON        bool
}

// reindexSummary is what 'ottwatch reindex' reports.
type reindexSummary struct {
	ingest.ReindexStats
	Stories   int    `json:"stories"`   // stories after reclustering every article
	Delivered int    `json:"delivered"` // sent to the rebuilt index
	Index     string `json:"index"`
}

func newReindexCmd(g *globals) *cobra.Command {
	o := &reindexOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Tag the archived articles again and rebuild an index from the archive",
		Long: `Reindex re-runs enrichment (language, entities, topics) on every archived
article — extracting it again from its page when the crawl kept it
(--keep-html), in the context of the source it was crawled from (its
selector, language and country, from --sources) — updates the articles that
changed in the archive, assigns every article to its story again (the
stories, events reported in any language, are reclustered from scratch),
and builds the index anew from the
archive beside the old one, which answers searches until the new one takes
its place. Nothing is fetched. Run it after the gazetteer changed, or to
rebuild a lost or damaged index.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReindex(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Backend, "backend", "", "index to rebuild: bleve or meili (default: the configured one)")
	cmd.Flags().StringSliceVar(&o.Langs, "langs", ottwatch.Languages, "languages to detect, ISO 639-1 codes")
	cmd.Flags().StringVar(&o.SourcesFile, "sources", "", "sources file (YAML) the articles were crawled with, instead of the default list")
	cmd.Flags().IntVar(&o.MaxBody, "max-body", defaultMaxBody, "largest kept page to unpack again, in bytes (a larger one keeps its archived article)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the summary as JSON")
	return cmd
}

func runReindex(ctx context.Context, o *reindexOptions) error {
	if o.MaxBody < 1 {
		return fmt.Errorf("--max-body %d: must be at least 1 byte", o.MaxBody)
	}
	s, err := o.settings(o.Backend)
	if err != nil {
		return err
	}
	sources, err := ingest.LoadSources(o.SourcesFile)
	if err != nil {
		return err
	}
	enricher, err := o.enricher(o.Langs)
	if err != nil {
		return err
	}
	ar, err := o.openArchive(archiveWrite, false, index.MaxPage(o.MaxBody))
	if err != nil {
		return err
	}
	defer ar.Close()
	var sum reindexSummary
	if sum.ReindexStats, err = ingest.Reindex(ctx, ar, enricher, sources); err != nil {
		return err
	}
	if sum.Stories, err = ar.Recluster(); err != nil {
		return err
	}
	if s.Index.Value == backendBleve {
		if err := o.discardBrokenBleve(); err != nil {
			return err
		}
	}
	be, err := o.openBackend(ctx, s, true)
	if err != nil {
		return err
	}
	defer be.Close()
	sum.Index = be.Kind
	// Built beside the index and swapped in: searches keep answering.
	st, err := index.Rebuild(ctx, ar, be.Name, be.Index, index.DefaultSyncBatch)
	if err != nil {
		return o.undelivered(ar, s, err)
	}
	sum.Delivered = st.Delivered
	if o.JSON {
		return writeJSON(o.io.Out, sum)
	}
	fmt.Fprintf(o.io.Out, "reindex: %d articles tagged again (%d extracted again from their page, %d changed) in %d stories; %d delivered to the rebuilt %s index\n",
		sum.Articles, sum.Reextracted, sum.Changed, sum.Stories, sum.Delivered, sum.Index)
	return nil
}
