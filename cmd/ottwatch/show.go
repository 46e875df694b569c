package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
)

// showOptions are the options of 'ottwatch show'.
type showOptions struct {
	*globals
	ID   string
	JSON bool
}

func newShowCmd(g *globals) *cobra.Command {
	o := &showOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "show ID|URL",
		Short: "Print one indexed article in full",
		Long: `Show prints one article in full: give its id, the first characters of it
that 'ottwatch search' shows (enough to tell it from the others), or the URL
it was fetched from or its canonical URL.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.ID = args[0]
			return runShow(cmd.Context(), o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runShow(ctx context.Context, o *showOptions) error {
	id := strings.TrimSpace(o.ID)
	if id == "" {
		return errors.New("empty id: give an id from 'ottwatch search'")
	}
	// The archive knows every id, so a prefix or a URL can be resolved;
	// without one (a team member's machine) the id must be whole.
	if ar, err := o.openArchive(archiveRead, false); err == nil {
		resolved, err := ar.Resolve(id)
		ar.Close()
		switch {
		case err == nil:
			id = resolved
		case !errors.Is(err, ottwatch.ErrNotFound):
			return err
		}
	}
	id = strings.ToLower(id)
	idx, err := o.openReader(ctx)
	if err != nil {
		return err
	}
	defer idx.Close()
	a, err := idx.Get(ctx, id)
	if errors.Is(err, ottwatch.ErrNotFound) {
		return fmt.Errorf("no article %q in the index", o.ID)
	} else if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(o.io.Out, a)
	}
	printArticle(o.io.Out, a)
	return nil
}

// printArticle writes an article for people: its metadata, the entities and
// topics found, then the text.
func printArticle(w io.Writer, a *ottwatch.Article) {
	fmt.Fprintf(w, "%s\n\n", a.Title)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(w, "%-11s %s\n", name+":", value)
		}
	}
	field("id", a.ID)
	field("url", a.URL)
	if a.CanonicalURL != a.URL {
		field("canonical", a.CanonicalURL)
	}
	field("source", a.Source)
	field("site", a.SiteName)
	if !a.Published.IsZero() {
		field("published", a.Published.UTC().Format("2006-01-02 15:04 MST"))
	} else {
		field("published", "unknown")
	}
	field("authors", strings.Join(a.Authors, ", "))
	field("language", fmt.Sprintf("%s (confidence %.2f, page says %q)", a.Lang, a.LangConfidence, a.HTMLLang))
	field("topics", strings.Join(a.Topics, ", "))
	if len(a.Entities) > 0 {
		fmt.Fprintln(w, "entities:")
		printMentions(w, a.Entities)
	}
	if a.Description != "" {
		fmt.Fprintf(w, "\n%s\n", a.Description)
	}
	fmt.Fprintf(w, "\n%s\n", a.Body)
}
