package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
)

// completeFilters teaches shell completion (ottwatch completion bash|zsh|
// fish|powershell) the values of the filter flags of cmd and of its
// subcommands: entity ids from the gazetteer in use, topics, languages,
// and the watchlists a digest or notify names.
func (g *globals) completeFilters(cmd *cobra.Command) {
	watchlists := func() ([]string, error) {
		s, err := g.settings("")
		if err != nil {
			return nil, err
		}
		ws, _, err := g.watchlists(s)
		if err != nil {
			return nil, err
		}
		var names []string
		for _, w := range ws {
			names = append(names, w.Name+"\t"+w.Title)
		}
		return names, nil
	}
	values := map[string]func() []string{
		"watchlist": func() []string {
			names, _ := watchlists()
			return names
		},
		"entity": func() []string {
			gaz, err := g.gazetteer()
			if err != nil {
				return nil
			}
			var ids []string
			for _, e := range gaz.Entities() {
				ids = append(ids, e.ID+"\t"+e.Name)
			}
			return ids
		},
		"topic": func() []string {
			gaz, err := g.gazetteer()
			if err != nil {
				return nil
			}
			var ids []string
			for _, t := range gaz.TopicList() {
				ids = append(ids, t.ID+"\t"+t.Name)
			}
			return ids
		},
		"lang": func() []string { return ottwatch.Languages },
	}
	for _, c := range append([]*cobra.Command{cmd}, cmd.Commands()...) {
		for flag, list := range values {
			if c.Flags().Lookup(flag) != nil {
				_ = c.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
					return withPrefix(list(), prefix), cobra.ShellCompDirectiveNoFileComp
				})
			}
		}
		if c.Name() == "digest" {
			c.ValidArgsFunction = func(_ *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
				if len(args) > 0 {
					return nil, cobra.ShellCompDirectiveNoFileComp
				}
				names, err := watchlists()
				if err != nil {
					return nil, cobra.ShellCompDirectiveError
				}
				return withPrefix(names, prefix), cobra.ShellCompDirectiveNoFileComp
			}
		}
	}
}

// withPrefix keeps the completions that start with prefix.
func withPrefix(values []string, prefix string) []string {
	var out []string
	for _, v := range values {
		if strings.HasPrefix(v, prefix) {
			out = append(out, v)
		}
	}
	return out
}
