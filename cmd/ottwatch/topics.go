package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
)

// topicsOptions are the options of 'ottwatch topics'.
type topicsOptions struct {
	*globals
	JSON bool
}

func newTopicsCmd(g *globals) *cobra.Command {
	o := &topicsOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "topics",
		Short: "List the topics articles are tagged with, for --topic",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runTopics(o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

// topicJSON is one topic as 'topics --json' prints it.
type topicJSON struct {
	ID        string   `json:"id"`
	Name      string   `json:"name"`
	Languages []string `json:"languages"`
}

func runTopics(o *topicsOptions) error {
	gaz, err := o.gazetteer()
	if err != nil {
		return err
	}
	out := []topicJSON{}
	for _, t := range gaz.TopicList() {
		var langs []string
		for l := range t.Terms {
			if slices.Contains(ottwatch.Languages, l) {
				langs = append(langs, l)
			}
		}
		slices.Sort(langs)
		out = append(out, topicJSON{ID: t.ID, Name: t.Name, Languages: langs})
	}
	if o.JSON {
		return writeJSON(o.io.Out, out)
	}
	tab := newTable("ID", "NAME", "LANGUAGES").shrinkable("NAME")
	for _, t := range out {
		tab.add(t.ID, t.Name, strings.Join(t.Languages, ","))
	}
	return tab.print(o.io.Out, o.io.width())
}
