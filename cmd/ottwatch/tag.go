package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
)

// tagOptions are the options of 'ottwatch tag'.
type tagOptions struct {
	*globals
	Lang  string
	Langs []string
	JSON  bool
}

// tagResult is what 'ottwatch tag --json' prints.
type tagResult struct {
	Lang           string             `json:"lang"`
	LangConfidence float64            `json:"lang_confidence"`
	Entities       []ottwatch.Mention `json:"entities"`
	Topics         []string           `json:"topics"`
}

func newTagCmd(g *globals) *cobra.Command {
	o := &tagOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "tag",
		Short: "Detect the language of text on stdin and list the entities it names",
		Example: `  echo "Iliad e Poste Italiane contro TIM" | ottwatch tag
  ottwatch tag --lang fr --json < article.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTag(o)
		},
	}
	cmd.Flags().StringVar(&o.Lang, "lang", "", "the text's language, instead of detecting it")
	cmd.Flags().StringSliceVar(&o.Langs, "langs", ottwatch.Languages, "languages to detect from, ISO 639-1 codes")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runTag(o *tagOptions) error {
	data, err := io.ReadAll(io.LimitReader(o.io.In, 16<<20))
	if err != nil {
		return fmt.Errorf("read stdin: %w", err)
	}
	text := strings.TrimSpace(string(data))
	if text == "" {
		return errors.New("no text on standard input")
	}
	e, err := o.enricher(o.Langs)
	if err != nil {
		return err
	}
	res := tagResult{Lang: strings.ToLower(strings.TrimSpace(o.Lang)), LangConfidence: 1}
	if res.Lang != "" && !slices.Contains(ottwatch.Languages, res.Lang) {
		return fmt.Errorf("--lang %q: want one of %s", o.Lang, strings.Join(ottwatch.Languages, ", "))
	}
	if res.Lang == "" {
		res.Lang, res.LangConfidence = e.Detector().Detect(text, "")
	}
	res.Entities, res.Topics = e.Gazetteer().Tag(text, res.Lang)
	if o.JSON {
		return writeJSON(o.io.Out, res)
	}
	fmt.Fprintf(o.io.Out, "language: %s (confidence %.2f)\n", res.Lang, res.LangConfidence)
	if len(res.Topics) > 0 {
		fmt.Fprintf(o.io.Out, "topics:   %s\n", strings.Join(res.Topics, ", "))
	}
	if len(res.Entities) == 0 {
		fmt.Fprintln(o.io.Out, "entities: none")
		return nil
	}
	fmt.Fprintln(o.io.Out, "entities:")
	printMentions(o.io.Out, res.Entities)
	return nil
}

// printMentions writes one line per mention: id, name, type, count and the
// words that matched.
func printMentions(w io.Writer, ms []ottwatch.Mention) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, m := range ms {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d×\t%s\n", m.ID, m.Name, m.Type, m.Count, strings.Join(m.Surfaces, " | "))
	}
	tw.Flush()
}
