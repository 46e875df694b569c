package crawler

import (
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// retryTransport retries GET requests that a server answered with 429 or a
// 5xx, waiting as its Retry-After says or, without one, with exponential
// backoff and jitter. It gives up after maxRetries and returns the last
// answer, so the caller sees the status.
type retryTransport struct {
	next       http.RoundTripper
	maxRetries int
	base, cap  time.Duration
	// retries and throttled count retried answers and 429s, for stats.
	retries, throttled atomic.Int64
}

// retryable reports whether a status is worth asking again for.
func retryable(status int) bool {
	return status == http.StatusTooManyRequests || status == http.StatusInternalServerError ||
		status == http.StatusBadGateway || status == http.StatusServiceUnavailable ||
		status == http.StatusGatewayTimeout
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := t.next.RoundTrip(req)
		if err != nil || req.Method != http.MethodGet || !retryable(resp.StatusCode) || attempt >= t.maxRetries {
			return resp, err
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			t.throttled.Add(1)
		}
		wait := t.backoff(attempt, resp.Header.Get("Retry-After"))
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t.retries.Add(1)
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// backoff returns how long to wait before asking again: what Retry-After
// says (seconds or an HTTP date, at most the cap), else base·2^attempt with
// full jitter, at most the cap.
func (t *retryTransport) backoff(attempt int, retryAfter string) time.Duration {
	if retryAfter != "" {
		if secs, err := strconv.Atoi(retryAfter); err == nil && secs >= 0 {
			return min(time.Duration(secs)*time.Second, t.cap)
		}
		if when, err := http.ParseTime(retryAfter); err == nil {
			return min(max(time.Until(when), 0), t.cap)
		}
	}
	d := min(t.base<<attempt, t.cap)
	return d/2 + rand.N(d/2+1)
}

func sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
