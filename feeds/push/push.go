// Package push posts a watchlist's stories to its webhooks: each story
// the watchlist finds, once, when it is new, and again each time it has
// articles the webhook was not told of (new coverage). What each webhook
// confirmed (a 2xx answer) is recorded in the archive with its cursor, in
// the transaction that follows the answer, so that a run stopped at any
// point — even killed — neither loses a notice nor sends one again.
package push

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/backoff"
	"github.com/ottwatch/ottwatch/feeds"
	"github.com/ottwatch/ottwatch/index"
)

// Defaults of Config.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultAttempts = 3
	// DefaultMaxHits bounds the articles a watchlist's searches read to
	// find which stories it follows.
	DefaultMaxHits = 10000
	// batch is how many changed stories are read from the archive at once.
	batch = 100
)

// DefaultBackoff is the wait between two attempts to deliver a notice:
// a second, doubling, at most a minute, or what the receiver's
// Retry-After asks for when that is no more.
var DefaultBackoff = backoff.Policy{Base: time.Second, Cap: time.Minute}

// Config says where notices come from and how they are sent.
type Config struct {
	Archive *index.Archive
	// Index is the index the watchlists search: a story is notified when
	// one of its articles is among a watchlist's hits (feeds.Select).
	Index ottwatch.Searcher
	// Upto is the last archive sequence the index holds: stories changed
	// after it wait for the next run.
	Upto uint64
	// Client sends the requests (a client that follows no redirects when
	// nil: a redirected POST would be sent again as a GET).
	Client *http.Client
	// Timeout bounds each request (DefaultTimeout when 0).
	Timeout time.Duration
	// Attempts is how many times one notice is tried in a run before the
	// webhook's notices are left for the next run (DefaultAttempts when 0).
	Attempts int
	// Backoff spaces the attempts (DefaultBackoff when zero).
	Backoff   backoff.Policy
	MaxHits   int // DefaultMaxHits when 0
	UserAgent string
	Clock     ottwatch.Clock
	Logger    *slog.Logger
}

// Result says what a run did for one webhook.
type Result struct {
	Watchlist string `json:"watchlist"`
	// Webhook is the webhook's name, or its URL redacted.
	Webhook string `json:"webhook"`
	New     int    `json:"new"`
	Updated int    `json:"updated"`
	// Cursor is the archive sequence up to which every story change was
	// considered.
	Cursor uint64 `json:"cursor"`
	// Waiting counts the story changes after Cursor that the index holds
	// and the next run will consider, after an error.
	Waiting int `json:"waiting"`
	// Started says the webhook was seen for the first time: it is told of
	// the stories that change from then on.
	Started bool   `json:"started,omitempty"`
	Error   string `json:"error,omitempty"`
}

// HookKey is the name of the record a webhook of watchlist w has in the
// archive.
func HookKey(w ottwatch.Watchlist, h ottwatch.Webhook) string {
	return "webhook:" + w.Name + "/" + h.ID()
}

// Start gives every webhook of ws that the archive does not know yet a
// cursor at the archive's last sequence, so that it is told of the stories
// that change from now on, not of everything ever archived, and returns
// the keys of those it started. Crawl calls it before it archives
// anything.
func Start(ar *index.Archive, ws []ottwatch.Watchlist) ([]string, error) {
	last, err := ar.LastSeq()
	if err != nil {
		return nil, err
	}
	var started []string
	for _, w := range ws {
		for _, h := range w.Webhooks {
			ok, err := ar.StartNotices(HookKey(w, h), last)
			if err != nil {
				return started, err
			}
			if ok {
				started = append(started, HookKey(w, h))
			}
		}
	}
	return started, nil
}

// Deliver sends every webhook of ws the notices it is owed: for each story
// changed after its cursor (up to cfg.Upto, in the order of the changes),
// that the watchlist finds and that has articles the webhook was not told
// of. A notice that fails cfg.Attempts times, or that the receiver refuses,
// stops that webhook for this run: it and the notices after it wait for
// the next run. The error joins the webhooks' errors.
func Deliver(ctx context.Context, cfg Config, ws []ottwatch.Watchlist) ([]Result, error) {
	d := newDeliverer(cfg)
	started, err := Start(cfg.Archive, ws)
	if err != nil {
		return nil, err
	}
	var results []Result
	var errs []error
	for _, w := range ws {
		for _, h := range w.Webhooks {
			r := d.hook(ctx, w, h)
			r.Started = slices.Contains(started, HookKey(w, h))
			if r.Error != "" {
				errs = append(errs, fmt.Errorf("watchlist %s, webhook %s: %s", w.Name, h.Label(), r.Error))
			}
			results = append(results, r)
			if ctx.Err() != nil {
				return results, errors.Join(append(errs, ctx.Err())...)
			}
		}
	}
	return results, errors.Join(errs...)
}

// deliverer is Config with its defaults filled in.
type deliverer struct{ Config }

func newDeliverer(cfg Config) *deliverer {
	if cfg.Client == nil {
		cfg.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.Attempts <= 0 {
		cfg.Attempts = DefaultAttempts
	}
	if cfg.Backoff == (backoff.Policy{}) {
		cfg.Backoff = DefaultBackoff
	}
	if cfg.MaxHits <= 0 {
		cfg.MaxHits = DefaultMaxHits
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = "ottwatch"
	}
	if cfg.Clock == nil {
		cfg.Clock = ottwatch.SystemClock{}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &deliverer{cfg}
}

// hook delivers what webhook h of watchlist w is owed.
func (d *deliverer) hook(ctx context.Context, w ottwatch.Watchlist, h ottwatch.Webhook) Result {
	key := HookKey(w, h)
	r := Result{Watchlist: w.Name, Webhook: h.Label()}
	fail := func(err error) Result {
		r.Error = err.Error()
		r.Waiting, _ = d.waiting(r.Cursor)
		d.Logger.Warn("webhook: notices wait for the next run", "watchlist", w.Name, "webhook", h, "waiting", r.Waiting, "err", r.Error)
		return r
	}
	cursor, _, err := d.Archive.NoticeCursor(key)
	if err != nil {
		return fail(err)
	}
	r.Cursor = cursor
	for {
		stories, err := d.changed(r.Cursor)
		if err != nil {
			return fail(err)
		}
		if len(stories) == 0 {
			return r
		}
		articles, matched, err := d.match(ctx, w, stories)
		if err != nil {
			return fail(err)
		}
		for _, s := range stories {
			told, owed := []string(nil), false
			if matched[s.ID] {
				if told, owed, err = d.owed(key, s); err != nil {
					return fail(err)
				}
			}
			if !owed {
				r.Cursor = s.Seq // nothing to tell of this change
				continue
			}
			if r.Cursor > cursor {
				if err := d.Archive.SetNoticeCursor(key, r.Cursor); err != nil {
					return fail(err)
				}
				cursor = r.Cursor
			}
			var as []*ottwatch.Article
			for _, id := range s.Articles {
				as = append(as, articles[id])
			}
			p := NewPayload(w, key, s, as, told)
			if err := d.send(ctx, h, p); err != nil {
				return fail(err)
			}
			if err := d.Archive.RecordNotice(key, s.ID, index.Notice{Articles: s.Articles, At: d.Clock.Now().UTC()}, s.Seq); err != nil {
				return fail(err)
			}
			r.Cursor, cursor = s.Seq, s.Seq
			if p.Type == TypeNew {
				r.New++
			} else {
				r.Updated++
			}
			d.Logger.Info("webhook notified", "watchlist", w.Name, "webhook", h, "type", p.Type, "story", s.ID, "added", p.Story.Added)
		}
		if r.Cursor > cursor {
			if err := d.Archive.SetNoticeCursor(key, r.Cursor); err != nil {
				return fail(err)
			}
			cursor = r.Cursor
		}
	}
}

// owed returns the articles of story s the webhook whose key is hook was
// told of (nil when it was told nothing of s), and whether s has others.
func (d *deliverer) owed(hook string, s *ottwatch.Story) (told []string, owed bool, err error) {
	prev, err := d.Archive.Delivered(hook, s.ID)
	if err != nil {
		return nil, false, err
	}
	if prev != nil {
		told = prev.Articles
		if told == nil {
			told = []string{}
		}
	}
	return told, slices.ContainsFunc(s.Articles, func(id string) bool { return !slices.Contains(told, id) }), nil
}

// changed returns up to batch stories changed after sequence seq and at
// most at Upto, in the order they changed.
func (d *deliverer) changed(seq uint64) ([]*ottwatch.Story, error) {
	if seq >= d.Upto {
		return nil, nil
	}
	stories, err := d.Archive.StoriesAfter(seq, batch)
	if err != nil {
		return nil, err
	}
	if i := slices.IndexFunc(stories, func(s *ottwatch.Story) bool { return s.Seq > d.Upto }); i >= 0 {
		stories = stories[:i]
	}
	return stories, nil
}

// waiting counts the story changes after seq up to Upto.
func (d *deliverer) waiting(seq uint64) (int, error) {
	n := 0
	for {
		stories, err := d.changed(seq)
		if err != nil || len(stories) == 0 {
			return n, err
		}
		n += len(stories)
		seq = stories[len(stories)-1].Seq
	}
}

// match reads the articles of stories and returns them with the stories
// watchlist w finds: those with an article among the hits of its searches
// (feeds.Select) over the publication dates of those articles (over all
// dates when one is undated).
func (d *deliverer) match(ctx context.Context, w ottwatch.Watchlist, stories []*ottwatch.Story) (map[string]*ottwatch.Article, map[string]bool, error) {
	articles := map[string]*ottwatch.Article{}
	storyOf := map[string]string{}
	var win feeds.Window
	undated := false
	for _, s := range stories {
		for _, id := range s.Articles {
			a, err := d.Archive.Get(id)
			if errors.Is(err, ottwatch.ErrNotFound) {
				continue
			} else if err != nil {
				return nil, nil, err
			}
			articles[id], storyOf[id] = a, s.ID
			if a.Published.IsZero() {
				undated = true
				continue
			}
			if win.Since.IsZero() || a.Published.Before(win.Since) {
				win.Since = a.Published
			}
			if until := a.Published.Add(time.Second); until.After(win.Until) {
				win.Until = until
			}
		}
	}
	if undated {
		win = feeds.Window{}
	}
	hits, err := feeds.Select(ctx, d.Index, w, win, feeds.Limits{Hits: d.MaxHits})
	if err != nil {
		return nil, nil, err
	}
	if len(hits) >= d.MaxHits {
		d.Logger.Warn("webhook: the watchlist finds more articles than are read; stories among the others are not notified",
			"watchlist", w.Name, "read", len(hits), "since", win.Since, "until", win.Until)
	}
	matched := map[string]bool{}
	for _, h := range hits {
		if s, ok := storyOf[h.Article.ID]; ok {
			matched[s] = true
		}
	}
	return articles, matched, nil
}

// send posts notice p to h, trying up to Attempts times: again after a
// network error, a timeout, 408, 429 or a 5xx, waiting as Backoff (and
// the receiver's Retry-After, when no longer than Backoff.Cap) says. The
// error never holds the webhook's URL or headers.
func (d *deliverer) send(ctx context.Context, h ottwatch.Webhook, p Payload) error {
	body, err := Body(h.Format, p)
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		status, retryAfter, err := d.post(ctx, h, p.Notice, body)
		if err == nil && status >= 200 && status < 300 {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err == nil {
			err = fmt.Errorf("story %s: answered %d %s", p.Story.ID, status, http.StatusText(status))
		} else {
			err = fmt.Errorf("story %s: %w", p.Story.ID, err)
		}
		retry := status == 0 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
		if !retry {
			return err
		}
		if attempt >= d.Attempts {
			return fmt.Errorf("%w (%d attempts)", err, attempt)
		}
		wait, within := d.Backoff.Wait(attempt, retryAfter, d.Clock.Now())
		if !within {
			return fmt.Errorf("%w, and asks to wait longer than %s", err, d.Backoff.Cap)
		}
		d.Logger.Info("webhook: trying again", "webhook", h, "story", p.Story.ID, "in", wait, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.Clock.After(wait):
		}
	}
}

// maxAnswer is the most of an answer's body that is read (and dropped),
// so that the connection can be used again.
const maxAnswer = 64 << 10

// post makes one request and returns the status and Retry-After of the
// answer, or an error that names no part of the URL.
func (d *deliverer) post(ctx context.Context, h ottwatch.Webhook, notice string, body []byte) (status int, retryAfter string, err error) {
	ctx, cancel := context.WithTimeout(ctx, d.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return 0, "", errors.New("the url is not valid")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", d.UserAgent)
	req.Header.Set("X-Ottwatch-Notice", notice)
	for k, v := range h.Headers {
		req.Header.Set(k, v)
	}
	resp, err := d.Client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message holds the URL
		}
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return 0, "", fmt.Errorf("no answer within %s", d.Timeout)
		}
		return 0, "", err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxAnswer))
	return resp.StatusCode, resp.Header.Get("Retry-After"), nil
}
