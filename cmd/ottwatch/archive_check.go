package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// archiveCheckOptions are the options of 'ottwatch archive check'.
type archiveCheckOptions struct {
	*globals
	JSON bool
}

// archiveCheckResult is what 'ottwatch archive check' reports.
type archiveCheckResult struct {
	Archive  string   `json:"archive"`
	Articles int      `json:"articles"`
	Problems []string `json:"problems"`
}

func newArchiveCheckCmd(g *globals) *cobra.Command {
	o := &archiveCheckOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "check",
		Short: "Read the whole archive, read-only, and list any damage",
		Long: `Check opens the archive read-only and verifies its file structure, that every
article's record is whole and has its sequence entry, and the entries that
find near-duplicates. It exits with status 1 when it finds damage; then
'ottwatch archive recover' copies every readable article into a new archive.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error { return runArchiveCheck(o) },
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print the result as JSON")
	return cmd
}

func runArchiveCheck(o *archiveCheckOptions) error {
	ar, err := o.openArchive(archiveRead, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	res := archiveCheckResult{Archive: ar.Path(), Problems: []string{}}
	if res.Articles, err = ar.Count(); err != nil {
		res.Problems = append(res.Problems, err.Error())
	}
	if err := ar.Check(); err != nil {
		res.Problems = append(res.Problems, strings.Split(err.Error(), "\n")...)
	}
	if o.JSON {
		if err := writeJSON(o.io.Out, res); err != nil {
			return err
		}
	} else {
		for _, p := range res.Problems {
			fmt.Fprintln(o.io.Out, p)
		}
		if len(res.Problems) == 0 {
			fmt.Fprintf(o.io.Out, "archive check: %s: %d articles, no damage found\n", res.Archive, res.Articles)
		}
	}
	if len(res.Problems) > 0 {
		return errors.New(damagedMessage(res.Archive, len(res.Problems)))
	}
	return nil
}

// damagedMessage says an archive is damaged and what to do.
func damagedMessage(path string, problems int) string {
	return fmt.Sprintf("archive %s is damaged (%d problems): 'ottwatch archive recover' copies every readable article into a new archive", path, problems)
}
