package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/temoto/robotstxt"
)

// robots fetches robots.txt once per scope and answers whether a path may
// be fetched.
type robots struct {
	client    *http.Client
	userAgent string
	mu        sync.Mutex
	byURL     map[string]*robotsRules
}

type robotsRules struct {
	group        *robotstxt.Group
	sitemaps     []string
	sitemapsOnce sync.Once
	err          error
}

func newRobots(client *http.Client, userAgent string) *robots {
	return &robots{client: client, userAgent: userAgent, byURL: make(map[string]*robotsRules)}
}

// rules returns the robots.txt at robotsURL, fetched once. A missing
// robots.txt (4xx) allows everything and a failing one (5xx) nothing, as
// RFC 9309 says; one that cannot be fetched at all is an error, since the
// site's pages cannot be either.
func (r *robots) rules(ctx context.Context, robotsURL string) (*robotsRules, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rules, ok := r.byURL[robotsURL]
	if !ok {
		rules = &robotsRules{}
		var data *robotstxt.RobotsData
		data, rules.err = r.fetch(ctx, robotsURL)
		if rules.err == nil {
			rules.group = data.FindGroup(r.userAgent)
			rules.sitemaps = data.Sitemaps
		}
		r.byURL[robotsURL] = rules
	}
	if rules.err != nil {
		return nil, rules.err
	}
	return rules, nil
}

func (r *robots) fetch(ctx context.Context, robotsURL string) (*robotstxt.RobotsData, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, robotsURL, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", r.userAgent)
	resp, err := r.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", robotsURL, err)
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", robotsURL, err)
	}
	return data, nil
}
