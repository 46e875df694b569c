package crawler

import (
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/ottwatch/ottwatch/crawler/backoff"
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
	policy     backoff.Policy
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
		wait, ok := t.policy.Wait(attempt+1, resp.Header.Get("Retry-After"), time.Now())
		if deadline, has := req.Context().Deadline(); !ok || has && time.Now().Add(wait).After(deadline) {
			return resp, nil
		}
		if resp.StatusCode == http.StatusTooManyRequests {
			t.throttled.Add(1)
		}
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		resp.Body.Close()
		t.retries.Add(1)
		if err := backoff.Sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}
