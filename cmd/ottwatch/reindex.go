package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp"
)

// reindexOptions are the options of 'ottwatch reindex'.
type reindexOptions struct {
	*globals
	Backend string
	Langs   []string
	JSON    bool
}

// reindexSummary is what 'ottwatch reindex' reports.
type reindexSummary struct {
	Articles    int    `json:"articles"`    // articles in the archive
	Reextracted int    `json:"reextracted"` // of which extracted again from their kept page
	Changed     int    `json:"changed"`     // whose language, tags or text changed
	Delivered   int    `json:"delivered"`   // sent to the rebuilt index
	Index       string `json:"index"`
}

func newReindexCmd(g *globals) *cobra.Command {
	o := &reindexOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "reindex",
		Short: "Tag the archived articles again and rebuild an index from the archive",
		Long: `Reindex re-runs enrichment (language, entities, topics) on every archived
article — extracting it again from its page when the crawl kept it
(--keep-html) — updates the archive, and builds the index anew from the
archive beside the old one, which answers searches until the new one takes
its place. Nothing is fetched. Run it after the gazetteer changed, or to
rebuild a lost or damaged index.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runReindex(cmd.Context(), o)
		},
	}
	cmd.Flags().StringVar(&o.Backend, "backend", "", "index to rebuild: bleve or meili (default: the configured one)")
	cmd.Flags().StringSliceVar(&o.Langs, "langs", nlp.DefaultLanguages, "languages to detect, ISO 639-1 codes")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the summary as JSON")
	return cmd
}

// reenrichBatch is how many articles reindex rewrites per transaction.
const reenrichBatch = 200

func runReindex(ctx context.Context, o *reindexOptions) error {
	s, err := o.settings(o.Backend)
	if err != nil {
		return err
	}
	enricher, err := o.enricher(o.Langs)
	if err != nil {
		return err
	}
	ar, err := o.openArchive()
	if err != nil {
		return err
	}
	defer ar.Close()
	var sum reindexSummary
	ids, err := ar.IDs()
	if err != nil {
		return err
	}
	for start := 0; start < len(ids); start += reenrichBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		var pages []index.Page
		for _, id := range ids[start:min(start+reenrichBatch, len(ids))] {
			a, fromPage, err := reextract(ar, id)
			if err != nil {
				return err
			}
			if fromPage {
				sum.Reextracted++
			}
			enricher.Enrich(a)
			pages = append(pages, index.Page{Article: a})
		}
		st, err := ar.Put(pages)
		if err != nil {
			return err
		}
		sum.Changed += st.Updated
	}
	sum.Articles = len(ids)

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
	fmt.Fprintf(o.io.Out, "reindex: %d articles tagged again (%d extracted again from their page, %d changed); %d delivered to the rebuilt %s index\n",
		sum.Articles, sum.Reextracted, sum.Changed, sum.Delivered, sum.Index)
	return nil
}

// reextract returns the archived article, extracted again from its kept
// page when there is one (fromPage), keeping when and where it was fetched.
func reextract(ar *index.Archive, id string) (a *ottwatch.Article, fromPage bool, err error) {
	archived, err := ar.Get(id)
	if err != nil {
		return nil, false, err
	}
	page, contentType, err := ar.HTML(id)
	if err != nil || page == nil {
		return archived, false, err
	}
	a, err = crawler.Extract(page, archived.URL, contentType)
	if err != nil {
		// The extractor changed its mind about this page: keep what the
		// archive has rather than lose the article.
		return archived, false, nil
	}
	a.Fetched = archived.Fetched
	return a, true, nil
}
