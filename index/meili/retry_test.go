package meili

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// countingTransport counts the attempts that reach the network.
type countingTransport struct {
	n    atomic.Int64
	base http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.base.RoundTrip(r)
}

func TestRetryServerErrors(t *testing.T) {
	x, p := openProxied(t)
	p.Reset()
	p.Fail(2, http.StatusServiceUnavailable)
	if _, err := x.Count(t.Context()); err != nil {
		t.Fatalf("Count after two 503: %v", err)
	}
	var statuses []int
	for _, r := range p.Requests() {
		statuses = append(statuses, r.Status)
	}
	if want := []int{503, 503, 200}; !equalInts(statuses, want) {
		t.Errorf("statuses = %v, want %v", statuses, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRetryHonoursRetryAfter(t *testing.T) {
	x, p := openProxied(t)
	p.RateLimit(1, time.Second)
	start := time.Now()
	if _, err := x.Count(t.Context()); err != nil {
		t.Fatalf("Count after a 429: %v", err)
	}
	// The backoff alone would wait at most 20ms.
	if d := time.Since(start); d < 900*time.Millisecond {
		t.Errorf("retried after %v, want the 1s of Retry-After", d)
	}
}

func TestUnreachable(t *testing.T) {
	ct := &countingTransport{base: http.DefaultTransport.(*http.Transport).Clone()}
	x, p := openProxied(t, WithHTTPClient(&http.Client{Transport: ct}), WithRetry(4, 5*time.Millisecond, 20*time.Millisecond))
	if err := p.Refuse(true); err != nil {
		t.Fatal(err)
	}
	ct.n.Store(0)
	start := time.Now()
	err := x.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]})
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("gave up after %v", d)
	}
	if !errors.Is(err, ErrUnreachable) {
		t.Fatalf("err = %v, want ErrUnreachable", err)
	}
	var ue *UnreachableError
	if !errors.As(err, &ue) || ue.Attempts != 4 || ue.URL != p.URL {
		t.Errorf("UnreachableError = %+v", ue)
	}
	if n := ct.n.Load(); n != 4 {
		t.Errorf("%d attempts, want 4", n)
	}
	msg := err.Error()
	for _, want := range []string{p.URL, "connection refused", "4 attempt"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q does not name %q", msg, want)
		}
	}
}

func TestRecoversWhenServerReturns(t *testing.T) {
	x, p := openProxied(t, WithRetry(50, 5*time.Millisecond, 20*time.Millisecond))
	if err := p.Refuse(true); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		_ = p.Refuse(false)
	}()
	list, _ := indextestAll()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatalf("Upsert while the server comes back: %v", err)
	}
	if n, err := x.Count(t.Context()); err != nil || n != len(list) {
		t.Errorf("Count = %d, %v", n, err)
	}
}

func TestOpenBeforeServerStarts(t *testing.T) {
	p := meilitest.NewProxy(t, meilitest.Shared(t).URL)
	if err := p.Refuse(true); err != nil {
		t.Fatal(err)
	}
	go func() {
		time.Sleep(100 * time.Millisecond)
		if err := p.Refuse(false); err != nil {
			t.Errorf("open the port again: %v", err)
		}
	}()
	x, err := Open(t.Context(), Config{URL: p.URL, APIKey: meilitest.MasterKey, IndexUID: newUID()},
		WithRetry(100, 5*time.Millisecond, 20*time.Millisecond), WithLogger(testLogger(t)))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	x.Close()
}

func TestNoRetryOnClientErrors(t *testing.T) {
	p := meilitest.NewProxy(t, meilitest.Shared(t).URL)
	_, err := Open(t.Context(), Config{URL: p.URL, APIKey: "wrong-key"}, fastRetry)
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != 403 || ae.Code != "invalid_api_key" || ae.Message == "" {
		t.Fatalf("err = %v, want a 403 invalid_api_key APIError", err)
	}
	if errors.Is(err, ErrUnreachable) {
		t.Errorf("a 403 is ErrUnreachable")
	}
	if n := len(p.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a 403 is not retried", n)
	}
}

func TestAttemptTimeout(t *testing.T) {
	x, p := openProxied(t, WithRetry(2, time.Millisecond, time.Millisecond))
	// Only now: Open itself may take longer on a loaded machine.
	x.http.Transport.(*retryTransport).timeout = 50 * time.Millisecond
	p.Slow(300 * time.Millisecond)
	_, err := x.Count(t.Context())
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "no answer within 50ms") {
		t.Fatalf("err = %v, want ErrUnreachable after timeouts", err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("an attempt timeout reads as the caller's deadline: %v", err)
	}
}

func TestCanceledWhileRetrying(t *testing.T) {
	x, p := openProxied(t, WithRetry(100, 50*time.Millisecond, 50*time.Millisecond))
	if err := p.Refuse(true); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 120*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := x.Count(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrUnreachable) {
		t.Errorf("err = %v, want the context's deadline", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("returned after %v", d)
	}
}

func TestRetryAnswerCut(t *testing.T) {
	x, p := openProxied(t)
	list, _ := indextestAll()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	p.Reset()
	p.CutBody(1)
	res, err := x.Search(t.Context(), ottwatch.Query{Limit: 100})
	if err != nil || res.Total != len(list) {
		t.Fatalf("Search after a cut answer: %v, %v", res, err)
	}
	if n := p.Count("POST", "/indexes/"+x.UID()+"/search"); n != 2 {
		t.Errorf("%d searches sent, want 2: the cut answer is retried", n)
	}
}
