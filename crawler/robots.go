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
	rules     map[string]robotsRules
}

type robotsRules struct {
	group *robotstxt.Group
	err   error
}

func newRobots(client *http.Client, userAgent string) *robots {
	return &robots{client: client, userAgent: userAgent, rules: make(map[string]robotsRules)}
}

// allowed reports whether the robots.txt at robotsURL lets ottwatch fetch
// path. A missing robots.txt (4xx) allows everything and a failing one
// (5xx) nothing, as RFC 9309 says; one that cannot be fetched at all is an
// error, since the site's pages cannot be either.
func (r *robots) allowed(ctx context.Context, robotsURL, path string) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	rules, ok := r.rules[robotsURL]
	if !ok {
		rules.group, rules.err = r.fetch(ctx, robotsURL)
		r.rules[robotsURL] = rules
	}
	if rules.err != nil {
		return false, rules.err
	}
	return rules.group.Test(path), nil
}

func (r *robots) fetch(ctx context.Context, robotsURL string) (*robotstxt.Group, error) {
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
	return data.FindGroup(r.userAgent), nil
}
