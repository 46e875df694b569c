package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

// watchlistsOptions are the options of 'ottwatch watchlists'.
type watchlistsOptions struct {
	*globals
	JSON bool
}

func newWatchlistsCmd(g *globals) *cobra.Command {
	o := &watchlistsOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "watchlists",
		Short: "List the watchlists: saved searches served as feeds and digests",
		Long: `Watchlists lists the saved searches of the configuration file, checked:
each needs a name that is a slug (it is part of feed URLs), entities known to
the gazetteer (by id or name), and a query or at least one filter. A
watchlist follows any of its entities; min_mentions leaves out articles that
name none of them that often.

Configuration file (YAML):

  watchlists:
    - name: amazon-telecom
      title: Amazon in telecom
      query: telecom telecomunicazioni télécoms telecomunicaciones
      entities: [amazon]
      min_mentions: 2
    - name: italy-regulators
      title: Italian regulators
      entities: [agcom, agcm, mimit]
      webhooks:
        - url: https://hooks.example.org/ottwatch
          headers:
            Authorization: Bearer ${HOOK_TOKEN}
        - name: team-chat
          url: ${MATTERMOST_HOOK_URL}
          format: slack

A watchlist's webhooks are posted each new story it finds and each story's
new coverage, once, by crawl and 'ottwatch notify' (see its help): format
json (ottwatch's notice, the default) or slack ({"text": ...}, for Slack and
Mattermost incoming webhooks). $VAR and ${VAR} in a URL or header value are
read from the environment; URLs and headers are never shown, only the
scheme and host of the URL.`,
		Example: `  ottwatch watchlists
  ottwatch watchlists --json
  ottwatch digest amazon-telecom --since 7d --format md`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWatchlists(o)
		},
	}
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runWatchlists(o *watchlistsOptions) error {
	s, err := o.settings("")
	if err != nil {
		return err
	}
	ws, _, err := o.watchlists(s)
	if err != nil {
		return err
	}
	if o.JSON {
		return writeJSON(o.io.Out, ws)
	}
	if len(ws) == 0 {
		where := s.ConfigFile
		if where == "" {
			where = "the configuration file"
		}
		fmt.Fprintf(o.io.Out, "no watchlists in %s: add them under 'watchlists:' (see 'ottwatch watchlists --help')\n", where)
		return nil
	}
	t := newTable("NAME", "TITLE", "QUERY", "ENTITIES", "LANGS", "SOURCES", "TOPICS", "MIN").
		shrinkable("QUERY", "TITLE", "ENTITIES", "SOURCES", "TOPICS")
	for _, w := range ws {
		t.add(w.Name, dash(w.Title), dash(w.Query), dash(strings.Join(w.Entities, ",")), dash(strings.Join(w.Langs, ",")),
			dash(strings.Join(w.Sources, ",")), dash(strings.Join(w.Topics, ",")), dash(minMentions(w.MinMentions)))
	}
	return t.print(o.io.Out, o.io.width())
}

// watchlists returns the configured watchlists, validated against the
// gazetteer in use, and the lookup that resolves entity names.
func (g *globals) watchlists(s *settings) ([]ottwatch.Watchlist, feeds.LookupFunc, error) {
	gaz, err := g.gazetteer()
	if err != nil {
		return nil, nil, err
	}
	ws, err := feeds.ValidateWatchlists(expandWebhooks(s.Watchlists), gaz.Lookup)
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", s.ConfigFile, err)
	}
	return ws, gaz.Lookup, nil
}

func minMentions(n int) string {
	if n <= 1 {
		return ""
	}
	return strconv.Itoa(n)
}
