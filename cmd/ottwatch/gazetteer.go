package main

import "github.com/spf13/cobra"

func newGazetteerCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gazetteer",
		Short: "Adopt new entities into the data directory's gazetteer overlay",
		Long: `The gazetteer in use is the embedded one (or --gazetteer FILE) with the
entities of the data directory's overlay, gazetteer-overlay.yaml, added. The
overlay has the form of nlp/gazetteer.yaml; 'gazetteer add' writes to it.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newGazetteerAddCmd(g))
	return cmd
}
