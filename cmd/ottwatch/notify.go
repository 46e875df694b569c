package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds/push"
	"github.com/ottwatch/ottwatch/index"
)

// notifyOptions are the options of 'ottwatch notify'.
type notifyOptions struct {
	*globals
	Watchlists []string
	Timeout    time.Duration
	Attempts   int
	JSON       bool
}

func newNotifyCmd(g *globals) *cobra.Command {
	o := &notifyOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "notify",
		Short: "Post the watchlists' new stories and new coverage to their webhooks",
		Long: `Notify brings the index up to date with the archive, then posts to each
webhook of the watchlists (see 'ottwatch watchlists --help') every story the
watchlist finds that the webhook was not told of, and every story that has
articles it was not told of (another outlet, another language). Crawl does
this itself after each batch it indexes; run notify after a webhook was down.

A notice is recorded in the archive once its receiver answered 2xx, so it is
sent once even when ottwatch is stopped or killed. A notice that is not
confirmed is tried --attempts times (again after a timeout, 408, 429 and
5xx, waiting as Retry-After asks when it asks for at most a minute); then it
and the webhook's later notices wait for the next run. A webhook seen for the
first time is told of what is archived from then on.`,
		Example: `  ottwatch notify
  ottwatch notify --watchlist amazon-telecom --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNotify(cmd.Context(), o)
		},
	}
	f := cmd.Flags()
	f.StringSliceVar(&o.Watchlists, "watchlist", nil, "notify only for these watchlists")
	f.DurationVar(&o.Timeout, "timeout", push.DefaultTimeout, "timeout of each request to a webhook")
	f.IntVar(&o.Attempts, "attempts", push.DefaultAttempts, "times a notice is tried before it waits for the next run")
	f.BoolVar(&o.JSON, "json", false, "print the results as JSON")
	return cmd
}

func runNotify(ctx context.Context, o *notifyOptions) error {
	if o.Timeout <= 0 {
		return fmt.Errorf("--timeout %s: want more than 0", o.Timeout)
	}
	if o.Attempts < 1 {
		return fmt.Errorf("--attempts %d: want at least 1", o.Attempts)
	}
	s, err := o.settings("")
	if err != nil {
		return err
	}
	ws, err := o.webhookWatchlists(s)
	if err != nil {
		return err
	}
	for _, name := range o.Watchlists {
		if !slices.ContainsFunc(ws, func(w ottwatch.Watchlist) bool { return w.Name == name }) {
			return fmt.Errorf("--watchlist %s: no watchlist of that name has webhooks (see 'ottwatch watchlists')", name)
		}
	}
	if len(o.Watchlists) > 0 {
		ws = slices.DeleteFunc(ws, func(w ottwatch.Watchlist) bool { return !slices.Contains(o.Watchlists, w.Name) })
	}
	if len(ws) == 0 {
		fmt.Fprintln(o.io.Out, "no watchlist has webhooks: add them under a watchlist's 'webhooks:' (see 'ottwatch watchlists --help')")
		return nil
	}
	ar, err := o.openArchive(archiveWrite, false)
	if err != nil {
		return err
	}
	defer ar.Close()
	st, _, err := o.syncIndex(ctx, ar, s, index.DefaultSyncBatch)
	if err != nil {
		return err
	}
	res, err := o.notify(ctx, ar, s, ws, st.Cursor, push.Config{Timeout: o.Timeout, Attempts: o.Attempts})
	if o.JSON {
		if jerr := writeJSON(o.io.Out, res); jerr != nil {
			return jerr
		}
	} else if len(res) > 0 {
		t := newTable("WATCHLIST", "WEBHOOK", "NEW", "UPDATED", "WAITING", "ERROR").shrinkable("WEBHOOK", "ERROR")
		for _, r := range res {
			t.add(r.Watchlist, r.Webhook, strconv.Itoa(r.New), strconv.Itoa(r.Updated), strconv.Itoa(r.Waiting), dash(r.Error))
		}
		if perr := t.print(o.io.Out, o.io.width()); perr != nil {
			return perr
		}
	}
	if err != nil {
		failed := 0
		for _, r := range res {
			if r.Error != "" {
				failed++
			}
		}
		return fmt.Errorf("%d of %d webhooks not notified, their notices wait for the next run: %w", failed, len(res), err)
	}
	return nil
}

// webhookWatchlists returns the configured watchlists that have webhooks,
// validated, or none without reading the gazetteer when none has.
func (g *globals) webhookWatchlists(s *settings) ([]ottwatch.Watchlist, error) {
	if !slices.ContainsFunc(s.Watchlists, func(w ottwatch.Watchlist) bool { return len(w.Webhooks) > 0 }) {
		return nil, nil
	}
	ws, _, err := g.watchlists(s)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ws, func(w ottwatch.Watchlist) bool { return len(w.Webhooks) == 0 }), nil
}

// notify opens the configured index for reading and posts to the webhooks
// of ws what they are owed among the stories changed up to upto, the last
// archive sequence the index holds. cfg gives the timeout and attempts.
func (g *globals) notify(ctx context.Context, ar *index.Archive, s *settings, ws []ottwatch.Watchlist, upto uint64, cfg push.Config) ([]push.Result, error) {
	be, err := g.openBackend(ctx, s, false)
	if err != nil {
		return nil, err
	}
	defer be.Close()
	cfg.Archive, cfg.Index, cfg.Upto = ar, be, upto
	cfg.Clock, cfg.Logger = g.clock, g.logger()
	return push.Deliver(ctx, cfg, ws)
}

// expandWebhooks replaces ${VAR} and $VAR in the webhooks' URLs and header
// values with the environment's values, so that the secrets they hold
// can stay out of the configuration file.
func expandWebhooks(ws []ottwatch.Watchlist) []ottwatch.Watchlist {
	out := slices.Clone(ws)
	for i := range out {
		hooks := slices.Clone(out[i].Webhooks)
		for j, h := range hooks {
			if strings.Contains(h.URL, "$") {
				h.URL = os.ExpandEnv(h.URL)
			}
			if len(h.Headers) > 0 {
				headers := make(map[string]string, len(h.Headers))
				for k, v := range h.Headers {
					headers[k] = os.ExpandEnv(v)
				}
				h.Headers = headers
			}
			hooks[j] = h
		}
		out[i].Webhooks = hooks
	}
	return out
}

// crawlNotices posts the notices a crawl owes the webhooks after each
// batch it indexes, and counts them; its methods do nothing on a nil one.
type crawlNotices struct {
	o       *crawlOptions
	ar      *index.Archive
	s       *settings
	ws      []ottwatch.Watchlist
	mu      sync.Mutex
	new     int
	updated int
	failed  map[string]string // webhook → its last error
}

// startNotices starts the webhooks the archive does not know yet (see
// push.Start) before the crawl archives anything, and returns what
// delivers their notices, or nil when no watchlist has webhooks.
func (o *crawlOptions) startNotices(ar *index.Archive, s *settings) (*crawlNotices, error) {
	ws, err := o.webhookWatchlists(s)
	if err != nil || len(ws) == 0 {
		return nil, err
	}
	if _, err := push.Start(ar, ws); err != nil {
		return nil, err
	}
	return &crawlNotices{o: o, ar: ar, s: s, ws: ws, failed: map[string]string{}}, nil
}

// deliver posts what the webhooks are owed among the stories changed up to
// upto, the last sequence the index holds. Failures are logged and
// counted: the notices wait for the next run, and the crawl goes on. When
// ctx is done (Ctrl-C) nothing is sent.
func (n *crawlNotices) deliver(ctx context.Context, upto uint64) {
	if n == nil || ctx.Err() != nil {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	res, err := n.o.notify(ctx, n.ar, n.s, n.ws, upto, push.Config{})
	if err != nil && len(res) == 0 {
		n.o.logger().Warn("webhooks: notices wait for the next run", "err", err)
	}
	for _, r := range res {
		n.new += r.New
		n.updated += r.Updated
		key := r.Watchlist + " " + r.Webhook
		if r.Error != "" {
			n.failed[key] = r.Error
		} else {
			delete(n.failed, key)
		}
	}
}

// print prints what was notified, and which webhooks wait.
func (n *crawlNotices) print() {
	if n == nil || n.o.JSON {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	fmt.Fprintf(n.o.io.Out, "webhooks: %d new stories and %d with new coverage notified", n.new, n.updated)
	if len(n.failed) > 0 {
		fmt.Fprintf(n.o.io.Out, "; %d webhooks failed, their notices wait for 'ottwatch notify' or the next crawl", len(n.failed))
	}
	fmt.Fprintln(n.o.io.Out)
}
