package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
)

// entitiesOptions are the options of 'ottwatch entities'.
type entitiesOptions struct {
	*globals
	Type string
	JSON bool
}

func newEntitiesCmd(g *globals) *cobra.Command {
	o := &entitiesOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "entities",
		Short: "List the gazetteer: the companies, regulators, courts and others ottwatch tags",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runEntities(o)
		},
	}
	cmd.Flags().StringVar(&o.Type, "type", "", "only entities of this type (company, regulator, court, government, person, product)")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runEntities(o *entitiesOptions) error {
	t := ottwatch.EntityType(strings.ToLower(o.Type))
	if t != "" && !t.Valid() {
		return fmt.Errorf("--type %q: want company, regulator, court, government, person or product", o.Type)
	}
	gaz, err := o.gazetteer()
	if err != nil {
		return err
	}
	entities := []ottwatch.Entity{}
	for _, e := range gaz.Entities() {
		if t == "" || e.Type == t {
			entities = append(entities, e)
		}
	}
	if o.JSON {
		return writeJSON(o.io.Out, entities)
	}
	tab := newTable("ID", "NAME", "TYPE", "CC", "PARENT", "WIKIDATA", "ALIASES").shrinkable("ALIASES", "NAME", "PARENT", "WIKIDATA")
	for _, e := range entities {
		tab.add(e.ID, e.Name, string(e.Type), dash(e.Country), dash(e.Parent), dash(e.Wikidata), strings.Join(e.Aliases, ", "))
	}
	return tab.print(o.io.Out, o.io.width())
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
