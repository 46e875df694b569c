package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch/crawler/backoff"
)

// Item 11 of the reliability report: a 429 with Retry-After: 999999 ended
// as "context deadline exceeded" after a wait, and the page was not counted
// as throttled.
func TestRetryAfterBeyondPatience(t *testing.T) {
	tests := []struct {
		name       string
		retryAfter string
		deadline   time.Duration // of the request; 0 for none
	}{
		{"seconds beyond the cap", "999999", 0},
		{"date beyond the cap", time.Now().Add(48 * time.Hour).UTC().Format(http.TimeFormat), 0},
		{"beyond the request's deadline", "30", time.Second},
		{"huge", "99999999999999999999", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				asked.Add(1)
				w.Header().Set("Retry-After", tt.retryAfter)
				w.WriteHeader(http.StatusTooManyRequests)
			}))
			defer srv.Close()
			rt := &retryTransport{next: http.DefaultTransport, maxRetries: 3, policy: backoff.Policy{Base: time.Second, Cap: time.Minute}}
			// A test that fails waits no longer than this.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if tt.deadline > 0 {
				ctx, cancel = context.WithTimeout(ctx, tt.deadline)
				defer cancel()
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := rt.RoundTrip(req)
			if err != nil {
				t.Fatalf("RoundTrip: %v, want the 429 answer", err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusTooManyRequests || asked.Load() != 1 || rt.retries.Load() != 0 {
				t.Errorf("status %d after %d requests, %d retries; want 429 at once", resp.StatusCode, asked.Load(), rt.retries.Load())
			}
		})
	}
}
