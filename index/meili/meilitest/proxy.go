package meilitest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Proxy is a reverse proxy in front of a server that records the requests
// and injects faults: refused connections, error answers, 429 with
// Retry-After, slow answers and answers cut in the middle of their body.
type Proxy struct {
	URL string // "http://127.0.0.1:<port>"

	addr string
	rp   *httputil.ReverseProxy

	mu         sync.Mutex
	srv        *http.Server
	fail       int // answer the next fail requests with failStatus
	failStatus int
	retryAfter time.Duration
	cut        int // cut the body of the next cut answers
	delay      time.Duration
	hook       func(*http.Request)
	requests   []Request
	received   map[string]map[string]int // index uid → document id → accepted sends
}

// Request is a request the proxy answered.
type Request struct {
	Method    string
	Path      string
	Status    int
	BodyBytes int
}

// NewProxy starts a proxy to the server at target, closed when the test
// ends.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatalf("proxy target: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy: %v", err)
	}
	p := &Proxy{URL: "http://" + l.Addr().String(), addr: l.Addr().String(), received: map[string]map[string]int{}}
	p.rp = &httputil.ReverseProxy{
		Rewrite:        func(r *httputil.ProxyRequest) { r.SetURL(u) },
		ModifyResponse: p.modify,
		ErrorLog:       log.New(io.Discard, "", 0),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
			writeError(w, http.StatusBadGateway, 0, "proxy: "+err.Error())
		},
	}
	p.serve(l)
	t.Cleanup(func() { p.Refuse(true) })
	return p
}

// serve answers on l.
func (p *Proxy) serve(l net.Listener) {
	srv := &http.Server{Handler: http.HandlerFunc(p.handle)}
	p.mu.Lock()
	p.srv = srv
	p.mu.Unlock()
	go srv.Serve(l)
}

// Refuse closes the proxy's port and its connections (on), so that
// connections are refused, or opens it again (!on).
func (p *Proxy) Refuse(on bool) error {
	p.mu.Lock()
	srv := p.srv
	if on {
		p.srv = nil
	}
	p.mu.Unlock()
	if on {
		if srv != nil {
			srv.Close()
		}
		return nil
	}
	if srv != nil {
		return nil
	}
	l, err := net.Listen("tcp", p.addr)
	if err != nil {
		return fmt.Errorf("proxy: listen again on %s: %w", p.addr, err)
	}
	p.serve(l)
	return nil
}

// Fail answers the next n requests with status and a Meilisearch error
// body, without forwarding them.
func (p *Proxy) Fail(n, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail, p.failStatus, p.retryAfter = n, status, 0
}

// RateLimit answers the next n requests with 429 and a Retry-After of d
// (whole seconds).
func (p *Proxy) RateLimit(n int, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fail, p.failStatus, p.retryAfter = n, http.StatusTooManyRequests, d
}

// Slow delays every answer by d (0 to stop).
func (p *Proxy) Slow(d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.delay = d
}

// CutBody closes the connection of the next n answers after half their
// body.
func (p *Proxy) CutBody(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.cut = n
}

// OnRequest calls f with each request before it is forwarded (nil to
// stop); f may block, kill the server or change the faults.
func (p *Proxy) OnRequest(f func(*http.Request)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hook = f
}

// Requests returns the requests answered since the last Reset.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.requests...)
}

// Count returns how many requests with method and path were answered
// since the last Reset.
func (p *Proxy) Count(method, path string) int {
	n := 0
	for _, r := range p.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}

// Reset forgets the requests answered so far.
func (p *Proxy) Reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = nil
}

// Received returns, for each document id sent to index uid, how many
// document additions holding it the server accepted.
func (p *Proxy) Received(uid string) map[string]int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.received[uid])
}

// statusWriter remembers the status of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Flush lets the reverse proxy flush through the writer.
func (w *statusWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func (p *Proxy) handle(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	p.mu.Lock()
	hook, delay := p.hook, p.delay
	p.mu.Unlock()
	if hook != nil {
		hook(r)
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	sw := &statusWriter{ResponseWriter: w}
	defer func() { p.record(r, body, sw.status) }()
	p.mu.Lock()
	failing := p.fail > 0
	status, retryAfter := p.failStatus, p.retryAfter
	if failing {
		p.fail--
	}
	p.mu.Unlock()
	if failing {
		writeError(sw, status, retryAfter, "injected by the test proxy")
		return
	}
	p.rp.ServeHTTP(sw, r)
}

// modify cuts the body of the answer when asked to.
func (p *Proxy) modify(resp *http.Response) error {
	p.mu.Lock()
	cut := p.cut > 0
	if cut {
		p.cut--
	}
	p.mu.Unlock()
	if !cut {
		return nil
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return fmt.Errorf("read the answer to cut: %w", err)
	}
	resp.Header.Set("Content-Length", strconv.Itoa(len(raw)))
	resp.ContentLength = int64(len(raw))
	resp.Body = io.NopCloser(io.MultiReader(bytes.NewReader(raw[:len(raw)/2]), errReader{}))
	return nil
}

// errReader fails every read, which makes the reverse proxy abort the
// connection.
type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errors.New("answer cut by the test proxy") }

// record notes an answered request and, for an accepted document
// addition, the ids it carried.
func (p *Proxy) record(r *http.Request, body []byte, status int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.requests = append(p.requests, Request{Method: r.Method, Path: r.URL.Path, Status: status, BodyBytes: len(body)})
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if r.Method != http.MethodPost || len(parts) != 3 || parts[0] != "indexes" || parts[2] != "documents" || status/100 != 2 {
		return
	}
	var docs []struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(body, &docs) != nil {
		return
	}
	if p.received[parts[1]] == nil {
		p.received[parts[1]] = map[string]int{}
	}
	for _, d := range docs {
		p.received[parts[1]][d.ID]++
	}
}

// writeError writes a Meilisearch error answer.
func writeError(w http.ResponseWriter, status int, retryAfter time.Duration, message string) {
	if retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{
		"message": message, "code": "injected_fault", "type": "internal", "link": "",
	})
}
