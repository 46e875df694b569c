package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch/index"
)

// archiveRecoverOptions are the options of 'ottwatch archive recover'.
type archiveRecoverOptions struct {
	*globals
	Out     string
	Replace bool
	JSON    bool
}

// archiveRecoverResult is what 'ottwatch archive recover' reports.
type archiveRecoverResult struct {
	index.RecoverStats
	From     string `json:"from"`
	To       string `json:"to"`
	KeptAs   string `json:"kept_as,omitempty"` // where the damaged archive went, with --replace
	Replaced bool   `json:"replaced"`
}

func newArchiveRecoverCmd(g *globals) *cobra.Command {
	o := &archiveRecoverOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "recover",
		Short: "Copy every readable article of a damaged archive into a new archive",
		Long: `Recover reads the archive read-only, never writing to it, and copies every
article it can read — through the archive's own structure where it is sound,
and from the raw file where it is not, each checked against its content hash
— with its kept page, source and URLs into a new archive (--out, by default
archive-recovered.db in the data directory), and what each webhook was told,
so that no story is announced again. With --replace the damaged
archive is kept beside it as archive-damaged-TIME.db and the new one takes
its place. Then run 'ottwatch reindex': the index is rebuilt from the new
archive.`,
		Example: `  ottwatch archive recover
  ottwatch archive recover --replace && ottwatch reindex`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runArchiveRecover(o) },
	}
	cmd.Flags().StringVar(&o.Out, "out", "", "the new archive (default: archive-recovered.db in the data directory)")
	cmd.Flags().BoolVar(&o.Replace, "replace", false, "keep the damaged archive beside the new one and put the new one in its place")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runArchiveRecover(o *archiveRecoverOptions) error {
	res := archiveRecoverResult{From: o.archiveFile(), To: o.Out}
	if res.To == "" {
		res.To = filepath.Join(o.dataDir, "archive-recovered.db")
	}
	if _, err := os.Stat(res.From); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no archive in %s to recover", o.dataDir)
	}
	if _, err := os.Stat(res.To); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s exists already: move it away or pass --out", res.To)
	}
	var err error
	if res.RecoverStats, err = index.Recover(res.From, res.To); err != nil {
		return err
	}
	if o.Replace {
		res.KeptAs = filepath.Join(o.dataDir, "archive-damaged-"+o.clock.Now().UTC().Format("20060102-150405")+".db")
		if _, err := os.Stat(res.KeptAs); !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("%s exists already; the new archive is %s", res.KeptAs, res.To)
		}
		if err := os.Rename(res.From, res.KeptAs); err != nil {
			return fmt.Errorf("keep the damaged archive: %w; the new archive is %s", err, res.To)
		}
		if err := os.Rename(res.To, res.From); err != nil {
			return fmt.Errorf("put the new archive in place: %w; it is %s, the damaged one %s", err, res.To, res.KeptAs)
		}
		res.Replaced = true
	}
	if o.JSON {
		return writeJSON(o.io.Out, res)
	}
	for _, p := range res.Problems {
		fmt.Fprintln(o.io.Out, p)
	}
	fmt.Fprintf(o.io.Out, "archive recover: %d articles (%d kept pages) copied from %s into %s; %d problems\n",
		res.Articles, res.Pages, res.From, res.To, len(res.Problems))
	if res.Replaced {
		fmt.Fprintf(o.io.Out, "the new archive is in place, the damaged one kept as %s; run 'ottwatch reindex' to rebuild the index from it\n", res.KeptAs)
	} else {
		fmt.Fprintf(o.io.Out, "put it in place of %s (or run again with --replace), then 'ottwatch reindex'\n", res.From)
	}
	return nil
}
