package crawler

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// retryTransport retries GET requests that a server answered with 429 or a
// 5xx, waiting as its Retry-After says or, without one, with exponential
// backoff and jitter. It gives up after maxRetries, or at once when
// Retry-After asks for longer than the cap or than the request has left,
// and returns the last answer, so the caller sees the status (a 429 counts
// as throttled) rather than a deadline error.
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
		wait, ok := t.backoff(attempt, resp.Header.Get("Retry-After"))
		if deadline, has := req.Context().Deadline(); !ok || has && time.Now().Add(wait).After(deadline) {
			return resp, nil
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			t.throttled.Add(1)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t.retries.Add(1)
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// backoff returns how long to wait before asking again: what Retry-After
// says (seconds or an HTTP date), else base·2^attempt with full jitter, at
// most the cap. It reports false when Retry-After asks for longer than the
// cap: not worth waiting for.
func (t *retryTransport) backoff(attempt int, retryAfter string) (time.Duration, bool) {
	if retryAfter != "" {
		// A number too large for int64 comes back as the largest one.
		if secs, err := strconv.ParseInt(retryAfter, 10, 64); (err == nil || errors.Is(err, strconv.ErrRange)) && secs >= 0 {
			if secs > int64(t.cap/time.Second) {
				return t.cap, false
			}
			return time.Duration(secs) * time.Second, true
		}
		if when, err := http.ParseTime(retryAfter); err == nil {
			wait := max(time.Until(when), 0)
			return min(wait, t.cap), wait <= t.cap
		}
	}
	d := min(t.base<<attempt, t.cap)
	return d/2 + rand.N(d/2+1), true
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
