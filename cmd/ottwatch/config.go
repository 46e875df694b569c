package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// configOptions are the options of 'ottwatch config'.
type configOptions struct {
	*globals
	JSON bool
}

// configEntry is one effective setting as 'ottwatch config --json' prints it.
type configEntry struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Source string `json:"source"`
}

func newConfigCmd(g *globals) *cobra.Command {
	o := &configOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Show the effective configuration and where each value comes from",
		Long: `Config prints the data directory, the index in use and the Meilisearch
settings, each with its source (flag, environment, configuration file or
default). The API key is never shown, only whether it is set.

Configuration file (YAML; MEILI_API_KEY in the environment is preferred to a
key in the file):

  index: meili
  meili:
    url: http://localhost:7700
    index: articles`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runConfig(o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runConfig(o *configOptions) error {
	s, err := o.settings("")
	if err != nil {
		return err
	}
	key := s.MeiliKey
	key.Value = masked(key.Value)
	url := s.MeiliURL
	url.Value = redactURL(url.Value)
	entries := []configEntry{
		{"data_dir", o.dataDir, "flag, env OTTWATCH_DATA_DIR or default"},
		{"config_file", s.ConfigFile, "flag, env OTTWATCH_CONFIG or default"},
		{"index", s.Index.Value, s.Index.Source},
		{"meili.url", url.Value, url.Source},
		{"meili.index", s.MeiliIndex.Value, s.MeiliIndex.Source},
		{"meili.api_key", key.Value, key.Source},
	}
	if o.JSON {
		return writeJSON(o.io.Out, entries)
	}
	tw := tabwriter.NewWriter(o.io.Out, 0, 0, 2, ' ', 0)
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t(%s)\n", e.Name, dash(e.Value), e.Source)
	}
	return tw.Flush()
}
