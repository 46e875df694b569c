package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch/index"
)

// syncOptions are the options of 'ottwatch sync'.
type syncOptions struct {
	*globals
	JSON bool
}

func newSyncCmd(g *globals) *cobra.Command {
	o := &syncOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Deliver archived articles the index does not hold yet",
		Long: `Sync brings the configured index up to date with the archive: it sends every
article archived since the index's last confirmed batch, after checking that
the index holds what it was given before (its count of documents, and a
sample of them): an index that was lost or emptied gets the whole archive
again. Crawl does this itself; run sync after Meilisearch was down or
unreachable during a crawl.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSync(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runSync(ctx context.Context, o *syncOptions) error {
	s, err := o.settings("")
	if err != nil {
		return err
	}
	ar, err := o.openArchive(archiveWrite, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	st, be, err := o.syncIndex(ctx, ar, s, index.DefaultSyncBatch)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(o.io.Out, st)
	}
	again := ""
	if st.Rebuilt != "" {
		again = " again (it had lost them)"
	}
	fmt.Fprintf(o.io.Out, "sync: %d articles delivered%s to the %s index, which is up to date\n", st.Delivered, again, be.Kind)
	return nil
}
