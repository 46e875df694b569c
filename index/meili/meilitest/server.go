// Package meilitest is an in-process test double of the subset of the
// Meilisearch HTTP API that ottwatch uses. It is not Meilisearch: it keeps
// everything in memory, serves one process on a loopback address, and
// reimplements from Meilisearch's documentation and behaviour only what
// ottwatch's backend and its tests need.
//
// What it does like Meilisearch (1.x):
//
//   - Routes: /health, /version, /stats, /tasks, /tasks/{uid}, /indexes,
//     /indexes/{uid}, its settings and sub-settings, documents (add or
//     replace, add or update, get, list, fetch, delete-batch, delete one,
//     delete all), stats and search, with Meilisearch's error bodies
//     {"message", "code", "type", "link"} and codes.
//   - A master key (WithMasterKey): every route but /health needs
//     "Authorization: Bearer <key>" (401 missing_authorization_header,
//     403 invalid_api_key).
//   - Writes answer 202 with a summarized task; one worker processes tasks
//     in order, enqueued → processing → succeeded or failed, and a failed
//     task changes nothing and carries an error object. Documents create
//     their index and infer its primary key.
//   - Settings are read back as written, with defaults otherwise; null
//     resets one, object settings are merged key by key.
//   - Search: words split on spaces, punctuation, apostrophes and camelCase,
//     lowercased and without accents; the last word also matches as a
//     prefix; typos per minWordSizeForTypos, a typo on the first letter
//     counting as two, on whole words and on prefixes; words split in two;
//     n-grams of two or three words; synonyms; "phrases" and -negation;
//     the last, all and frequency matching strategies; the ranking rules
//     words, typo, proximity, attribute, sort, exactness and custom
//     attribute:asc|desc rules with _rankingScore; filters with =, !=, >,
//     >=, <, <=, TO, IN, NOT IN, EXISTS, IS NULL, IS EMPTY, CONTAINS,
//     STARTS WITH, AND, OR, NOT and parentheses, checked against the
//     filterable attributes; sort on sortable attributes; facet
//     distribution and stats; offset/limit with estimatedTotalHits and
//     page/hitsPerPage with totalHits; _formatted with highlighting and
//     cropping.
//
// Known gaps: no API keys other than the master key, tenant tokens, CSV
// payloads, geo filters, vector or hybrid search, multi-search, facet
// search, dumps, snapshots, index swaps or task cancelation; tasks are not
// batched together; the tokenizer knows Latin scripts only (no Chinese,
// Japanese or Thai segmentation, no German compound splitting) and ignores
// the stop words, separator and dictionary settings when indexing; the
// ranking rules and _rankingScore follow Meilisearch's design but not its
// exact arithmetic; crop windows and error messages are close to, not
// always the same as, Meilisearch's.
//
// A Server also injects faults on demand — refused connections, failing or
// rate-limited requests, slow answers, failed tasks — and lets a test
// inspect what it received.
package meilitest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"time"
)

// Version is the Meilisearch version the double claims to be in GET /version.
const Version = "1.15.0-meilitest"

// DefaultPayloadLimit is the largest request body the double accepts by
// default, as Meilisearch's --http-payload-size-limit (100 MB).
const DefaultPayloadLimit = 100 << 20

// Option configures a Server.
type Option func(*options)

type options struct {
	masterKey    string
	taskDelay    time.Duration
	payloadLimit int64
}

// WithMasterKey protects every route but /health with key: a request must
// carry "Authorization: Bearer <key>", as with Meilisearch's master key.
func WithMasterKey(key string) Option {
	return func(o *options) { o.masterKey = key }
}

// WithTaskDelay makes each task wait d before it is processed, so that
// clients observe the enqueued and processing states.
func WithTaskDelay(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.taskDelay = d
		}
	}
}

// WithPayloadLimit sets the largest request body accepted
// (DefaultPayloadLimit); a larger one is answered 413 payload_too_large.
func WithPayloadLimit(n int64) Option {
	return func(o *options) {
		if n > 0 {
			o.payloadLimit = n
		}
	}
}

// Request is one request the double received, as Requests reports it.
type Request struct {
	Method string
	Path   string
	Query  string
	// Status is the HTTP status the double answered.
	Status int
	// BodyBytes is the length of the request body.
	BodyBytes int
}

// Server is a running test double. Its methods are safe for concurrent use.
type Server struct {
	opts   options
	engine *engine

	mu       sync.Mutex // guards the fields below
	addr     string
	ts       *httptest.Server // nil while refusing connections or closed
	stopped  []*httptest.Server
	closed   bool
	requests []Request
	faults   faults
}

// faults are the failures to inject into the next requests.
type faults struct {
	failN      int
	failStatus int
	rateN      int
	retryAfter time.Duration
	latency    time.Duration
}

// NewServer starts a double on a free loopback port. Like
// httptest.NewServer, it panics only when no loopback port can be listened
// on.
func NewServer(opts ...Option) *Server {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		if ln, err = net.Listen("tcp6", "[::1]:0"); err != nil {
			panic(fmt.Sprintf("meilitest: listen on a loopback port: %v", err))
		}
	}
	return newServer(ln, opts)
}

// Listen starts a double on addr, a loopback host and port such as
// "127.0.0.1:7700", for tests that point a client at an address before the
// server runs there.
func Listen(addr string, opts ...Option) (*Server, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("meilitest: listen on %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return nil, fmt.Errorf("meilitest: listen on %q: not a loopback address", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("meilitest: listen on %q: %w", addr, err)
	}
	return newServer(ln, opts), nil
}

func newServer(ln net.Listener, opts []Option) *Server {
	o := options{payloadLimit: DefaultPayloadLimit}
	for _, opt := range opts {
		opt(&o)
	}
	s := &Server{opts: o, addr: ln.Addr().String()}
	s.engine = newEngine(o.taskDelay)
	s.serve(ln)
	return s
}

// serve starts serving on ln. s.mu must be held or s not yet shared.
func (s *Server) serve(ln net.Listener) {
	ts := httptest.NewUnstartedServer(http.HandlerFunc(s.handle))
	_ = ts.Listener.Close()
	ts.Listener = ln
	ts.Start()
	s.ts = ts
}

// URL returns the base URL of the double, such as "http://127.0.0.1:41234".
// It stays the same while the double refuses connections.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "http://" + s.addr
}

// Addr returns the host and port the double listens on.
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addr
}

// Close stops the double: its listener, its connections and its task
// worker. Closing twice is not an error.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	servers := append(s.stopped, s.ts)
	s.ts, s.stopped = nil, nil
	s.mu.Unlock()
	for _, ts := range servers {
		if ts != nil {
			ts.CloseClientConnections()
			ts.Close()
		}
	}
	s.engine.close()
}

// RefuseConnections with true closes the listener and every open
// connection, so that clients get "connection refused"; with false it
// listens again on the same address. It fails when the address has been
// taken meanwhile or the double is closed.
func (s *Server) RefuseConnections(refuse bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return errors.New("meilitest: server is closed")
	}
	switch {
	case refuse && s.ts != nil:
		ts := s.ts
		s.ts = nil
		s.stopped = append(s.stopped, ts)
		_ = ts.Listener.Close()
		ts.CloseClientConnections()
	case !refuse && s.ts == nil:
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			return fmt.Errorf("meilitest: listen again on %s: %w", s.addr, err)
		}
		s.serve(ln)
	}
	return nil
}

// FailRequests makes the next n requests fail with status and a
// Meilisearch error body, whatever their route. n <= 0 cancels.
func (s *Server) FailRequests(n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.failN, s.faults.failStatus = max(n, 0), status
}

// RateLimit makes the next n requests fail with 429 Too Many Requests and
// a Retry-After header of retryAfter, rounded up to whole seconds as the
// header requires. n <= 0 cancels.
func (s *Server) RateLimit(n int, retryAfter time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.rateN, s.faults.retryAfter = max(n, 0), retryAfter
}

// Latency delays every response by d; 0 removes the delay.
func (s *Server) Latency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.latency = max(d, 0)
}

// FailTasks makes the next n tasks processed end failed, with the error
// code "internal", changing nothing. n <= 0 cancels.
func (s *Server) FailTasks(n int) {
	s.engine.failTasks(n)
}

// Requests returns a copy of the log of the requests received, oldest
// first.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// CountRequests returns how many requests with method and path were
// received; an empty method matches any.
func (s *Server) CountRequests(method, path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, r := range s.requests {
		if (method == "" || r.Method == method) && r.Path == path {
			n++
		}
	}
	return n
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// Documents returns copies of the documents of index uid, in the order
// they were first added; nil for an unknown index.
func (s *Server) Documents(uid string) []map[string]any {
	return s.engine.documents(uid)
}

// Received returns how many times each document id was received by
// add-or-replace and add-or-update requests on index uid, including
// requests whose task failed.
func (s *Server) Received(uid string) map[string]int {
	return s.engine.received(uid)
}

// Indexes returns the uids of the existing indexes, sorted.
func (s *Server) Indexes() []string {
	return s.engine.indexUIDs()
}

// statusWriter records the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// handle serves one request: it reads the body, applies the injected
// faults, checks the API key and routes the request.
func (s *Server) handle(rw http.ResponseWriter, r *http.Request) {
	w := &statusWriter{ResponseWriter: rw}
	body, tooLarge, readErr := readBody(r, s.opts.payloadLimit)
	defer func() {
		s.mu.Lock()
		s.requests = append(s.requests, Request{
			Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Status: w.status, BodyBytes: len(body),
		})
		s.mu.Unlock()
	}()

	s.mu.Lock()
	f := &s.faults
	latency := f.latency
	var injected *apiError
	var retryAfter time.Duration
	switch {
	case f.rateN > 0:
		f.rateN--
		retryAfter = f.retryAfter
		injected = newTypedError(http.StatusTooManyRequests, "too_many_requests", "system",
			"meilitest: too many requests, retry later (injected by RateLimit)")
	case f.failN > 0:
		f.failN--
		injected = newTypedError(f.failStatus, "internal", "internal",
			fmt.Sprintf("meilitest: request failed with status %d (injected by FailRequests)", f.failStatus))
	}
	s.mu.Unlock()

	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if injected != nil {
		if injected.status == http.StatusTooManyRequests && retryAfter > 0 {
			secs := int64((retryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		writeError(w, injected)
		return
	}
	if r.URL.Path != "/health" {
		if e := s.checkKey(r); e != nil {
			writeError(w, e)
			return
		}
	}
	switch {
	case readErr != nil:
		writeError(w, newError(http.StatusBadRequest, "bad_request", "meilitest: read request body: "+readErr.Error()))
		return
	case tooLarge:
		writeError(w, newError(http.StatusRequestEntityTooLarge, "payload_too_large",
			fmt.Sprintf("The provided payload reached the size limit. The maximum accepted payload size is %d bytes.", s.opts.payloadLimit)))
		return
	}
	route(s.engine, w, r, body)
}

// readBody reads at most limit bytes of the body of r and tells whether it
// was larger.
func readBody(r *http.Request, limit int64) (body []byte, tooLarge bool, err error) {
	if r.Body == nil {
		return nil, false, nil
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(r.Body, limit+1))
	if err != nil {
		return buf.Bytes(), false, err
	}
	return buf.Bytes(), n > limit, nil
}

// checkKey enforces the master key as Meilisearch does.
func (s *Server) checkKey(r *http.Request) *apiError {
	if s.opts.masterKey == "" {
		return nil
	}
	auth := r.Header.Get("Authorization")
	if auth == "" {
		return newTypedError(http.StatusUnauthorized, "missing_authorization_header", "auth",
			"The Authorization header is missing. It must use the bearer authorization method.")
	}
	const bearer = "Bearer "
	if len(auth) < len(bearer) || auth[:len(bearer)] != bearer || auth[len(bearer):] != s.opts.masterKey {
		return newTypedError(http.StatusForbidden, "invalid_api_key", "auth", "The provided API key is invalid.")
	}
	return nil
}
