package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch/crawler"
	"github.com/ottwatch/ottwatch/index/ingest"
)

// sourcesOptions are the options of 'ottwatch sources'.
type sourcesOptions struct {
	*globals
	SourcesFile string
	Health      bool
	JSON        bool
}

// sourceStatus is one source with how its recent crawls went, as
// 'sources --health --json' prints it.
type sourceStatus struct {
	*crawler.Source
	Health *healthJSON `json:"health,omitempty"`
}

// healthJSON sums up a source's recent crawls.
type healthJSON struct {
	Runs         int               `json:"runs"`
	Failed       int               `json:"failed"`
	LastRun      *ingest.SourceRun `json:"last_run,omitempty"`
	LastSuccess  time.Time         `json:"last_success,omitzero"`
	Recent       crawler.Stats     `json:"recent"` // the recent runs added up
	BlockedTotal int               `json:"blocked_total"`
	Problems     []string          `json:"problems,omitempty"`
}

func newSourcesCmd(g *globals) *cobra.Command {
	o := &sourcesOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "sources",
		Short: "List the sources crawl follows, and with --health how their recent crawls went",
		Long: `Sources lists the sources of the sources file (--sources, or the default list
of regulators and trade press). With --health it shows, for each, its recent
crawls: pages fetched, articles kept, extraction failures, articles without a
date, pages blocked (robots.txt, 403, 429), consent walls, and the last
success.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSources(o)
		},
	}
	cmd.Flags().StringVar(&o.SourcesFile, "sources", "", "sources file (YAML) instead of the default list")
	cmd.Flags().BoolVar(&o.Health, "health", false, "show how each source's recent crawls went")
	cmd.Flags().BoolVar(&o.JSON, "json", false, "print JSON")
	return cmd
}

func runSources(o *sourcesOptions) error {
	sources, err := ingest.LoadSources(o.SourcesFile)
	if err != nil {
		return err
	}
	var state *ingest.State
	if o.Health {
		if state, err = ingest.LoadState(o.dataDir); err != nil {
			return err
		}
	}
	list := make([]sourceStatus, len(sources))
	for i, src := range sources {
		list[i].Source = src
		if state != nil {
			list[i].Health = summarize(state.Sources[src.Name])
		}
	}
	if o.JSON {
		return writeJSON(o.io.Out, list)
	}
	if !o.Health {
		t := newTable("NAME", "LANG", "CC", "EVERY", "START", "TITLE").shrinkable("START", "NAME", "TITLE")
		for _, s := range list {
			t.add(s.Name, dash(s.Lang), dash(s.Country), every(s.Every), strings.Join(s.Start, " "), s.Title)
		}
		return t.print(o.io.Out, o.io.width())
	}
	t := newTable("NAME", "RUNS", "LAST RUN", "LAST OK", "PAGES", "ARTICLES", "FAILED", "NO DATE", "BLOCKED", "WALLS", "PROBLEMS").
		shrinkable("PROBLEMS", "NAME")
	for _, s := range list {
		h := s.Health
		if h.Runs == 0 {
			t.add(s.Name, "0", "-", "-", "", "", "", "", "", "", "never crawled")
			continue
		}
		t.add(s.Name, strconv.Itoa(h.Runs), when(h.LastRun.Started), when(h.LastSuccess), strconv.Itoa(h.Recent.Fetched),
			strconv.Itoa(h.Recent.Articles), strconv.Itoa(h.Recent.Errors), strconv.Itoa(h.Recent.MissingDates),
			strconv.Itoa(h.BlockedTotal), strconv.Itoa(h.Recent.ConsentWalls), dash(strings.Join(h.Problems, "; ")))
	}
	return t.print(o.io.Out, o.io.width())
}

// summarize adds up a source's recent runs and names what looks wrong.
func summarize(h *ingest.SourceHealth) *healthJSON {
	out := &healthJSON{}
	if h == nil || len(h.Runs) == 0 {
		return out
	}
	out.Runs = len(h.Runs)
	out.LastSuccess = h.LastSuccess
	last := h.Runs[len(h.Runs)-1]
	out.LastRun = &last
	for _, r := range h.Runs {
		out.Recent = ingest.AddStats(out.Recent, r.Stats)
		if !r.OK() {
			out.Failed++
		}
	}
	st := out.Recent
	out.BlockedTotal = st.Blocked + st.Forbidden + st.Throttled
	switch {
	case last.Error != "":
		out.Problems = append(out.Problems, "last crawl failed: "+last.Error)
	case !last.OK():
		out.Problems = append(out.Problems, "last crawl fetched nothing")
	}
	if st.Forbidden+st.Throttled > 0 {
		out.Problems = append(out.Problems, fmt.Sprintf("the site refused %d requests (403/429)", st.Forbidden+st.Throttled))
	}
	if st.ConsentWalls > 0 {
		out.Problems = append(out.Problems, fmt.Sprintf("%d consent walls", st.ConsentWalls))
	}
	if st.Articles > 0 && st.MissingDates*2 > st.Articles {
		out.Problems = append(out.Problems, "most articles have no date")
	}
	if st.Fetched > 0 && st.Articles == 0 {
		out.Problems = append(out.Problems, "no articles extracted")
	}
	return out
}

func every(d crawler.Duration) string {
	if d == 0 {
		return "-"
	}
	return time.Duration(d).String()
}

func when(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Local().Format("2006-01-02 15:04")
}
