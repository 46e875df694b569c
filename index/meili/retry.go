package meili

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/ottwatch/ottwatch/crawler/backoff"
)

// maxRetryAfter caps the wait a Retry-After header can ask for.
const maxRetryAfter = time.Minute

// retryTransport retries the requests of the Meilisearch client after
// connection errors, timeouts, answers cut short, 429 and 5xx answers, and
// bounds each attempt. It replays the request body, which it reads once,
// and reads each answer whole before returning it.
type retryTransport struct {
	base      http.RoundTripper
	attempts  int
	baseDelay time.Duration
	maxDelay  time.Duration
	timeout   time.Duration
	logger    *slog.Logger
	display   string // the server URL for messages
}

// errAttemptTimeout is the cause of an attempt that got no answer within
// the timeout of WithTimeout.
type errAttemptTimeout struct{ d time.Duration }

func (e errAttemptTimeout) Error() string { return fmt.Sprintf("no answer within %v", e.d) }

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("read request body: %w", err)
		}
	}
	ctx := req.Context()
	for attempt := 1; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		actx, cancel := context.WithTimeout(ctx, t.timeout)
		r := req.Clone(actx)
		if body != nil {
			r.Body = io.NopCloser(bytes.NewReader(body))
			r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
			r.ContentLength = int64(len(body))
		}
		resp, err := t.base.RoundTrip(r)
		var cause error
		var retryAfter time.Duration
		switch {
		case err != nil:
			cancel()
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(actx.Err(), context.DeadlineExceeded) {
				err = errAttemptTimeout{t.timeout}
			} else if !retryable(err) {
				return nil, err
			}
			cause = err
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			retryAfter, _ = backoff.RetryAfter(resp.Header.Get("Retry-After"), time.Now())
			cause = statusError(req, resp)
			cancel()
		default:
			// Read the whole answer within the attempt, so that a
			// connection cut in the middle of it is retried too.
			raw, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			cancel()
			if err == nil {
				resp.Body = io.NopCloser(bytes.NewReader(raw))
				return resp, nil
			}
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			if errors.Is(actx.Err(), context.DeadlineExceeded) {
				err = errAttemptTimeout{t.timeout}
			}
			cause = fmt.Errorf("read answer: %w", err)
		}
		if attempt >= t.attempts {
			return nil, &UnreachableError{URL: t.display, Method: req.Method, Path: req.URL.Path, Attempts: attempt, Err: cause}
		}
		delay, _ := backoff.Policy{Base: t.baseDelay, Cap: t.maxDelay}.Wait(attempt, "", time.Now())
		if retryAfter > 0 {
			delay = min(retryAfter, maxRetryAfter)
		}
		t.logger.LogAttrs(ctx, slog.LevelWarn, "meilisearch request failed, retrying",
			slog.String("method", req.Method), slog.String("url", t.display+req.URL.Path),
			slog.Int("attempt", attempt), slog.Int("attempts", t.attempts),
			slog.Duration("delay", delay), slog.String("error", cause.Error()))
		if err := backoff.Sleep(ctx, delay); err != nil {
			return nil, err
		}
	}
}

// retryable reports whether a transport error is worth a retry: a refused,
// reset or aborted connection, a timeout, a connection closed early, or
// any other network operation error.
func retryable(err error) bool {
	var netErr net.Error
	var opErr *net.OpError
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.ECONNABORTED), errors.Is(err, syscall.EPIPE):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return true
	case errors.As(err, &netErr) && netErr.Timeout():
		return true
	case errors.As(err, &opErr), errors.As(err, &dnsErr):
		return true
	}
	return false
}

// statusError reads the Meilisearch error of a response and closes it.
func statusError(req *http.Request, resp *http.Response) error {
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	ae := &APIError{Method: req.Method, Path: req.URL.Path, StatusCode: resp.StatusCode}
	var body struct {
		Message, Code, Type, Link string
	}
	if json.Unmarshal(raw, &body) == nil && body.Code != "" {
		ae.Code, ae.Type, ae.Message, ae.Link = body.Code, body.Type, body.Message, body.Link
	} else {
		ae.Message = http.StatusText(resp.StatusCode)
	}
	return ae
}
