// Package backoff is ottwatch's one retry policy: how long to wait before
// asking a server again — what its Retry-After header says, else an
// exponentially growing wait with jitter — and waiting for it. The
// crawler's and the Meilisearch client's transports both use it.
package backoff

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// Policy is exponential backoff with jitter: the wait before retry n (1 for
// the first) is a random time between half and all of Base·2^(n-1), at
// most Cap.
type Policy struct {
	Base time.Duration
	Cap  time.Duration
}

// Wait returns how long to wait before retry number attempt (1 for the
// first): what retryAfter, a Retry-After header value, asks for (seconds or
// an HTTP date, relative to now), else the policy's backoff; never more
// than Cap. within reports whether retryAfter asked for no more than Cap:
// a server that wants a longer wait may not be worth waiting for.
func (p Policy) Wait(attempt int, retryAfter string, now time.Time) (wait time.Duration, within bool) {
	if d, ok := RetryAfter(retryAfter, now); ok {
		return min(d, p.Cap), d <= p.Cap
	}
	d := p.Base
	for i := 1; i < attempt && d < p.Cap; i++ {
		d *= 2
	}
	d = min(d, p.Cap)
	if d <= 0 {
		return 0, true
	}
	return d/2 + rand.N(d/2+1), true
}

// RetryAfter reads a Retry-After header value: seconds, or an HTTP date
// relative to now. ok is false when v is neither; a number too large for
// a duration reads as the longest one.
func RetryAfter(v string, now time.Time) (d time.Duration, ok bool) {
	if v == "" {
		return 0, false
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && v[0] != '-', err == nil && secs > int64(maxDuration/time.Second):
		return maxDuration, true
	case err == nil && secs >= 0:
		return time.Duration(secs) * time.Second, true
	case err == nil:
		return 0, false
	}
	when, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(when.Sub(now), 0), true
}

const maxDuration = time.Duration(1<<63 - 1)

// Sleep waits d, or until ctx is done, when it returns ctx's error.
func Sleep(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
