package meili

import (
	"io"
	"log/slog"
	"net/http"
	"time"
)

// Defaults of the options.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultRetryAttempts = 4
	DefaultRetryBase     = 250 * time.Millisecond
	DefaultRetryMax      = 5 * time.Second
	DefaultTaskTimeout   = 30 * time.Second
	DefaultBatchDocs     = 1000
	DefaultBatchBytes    = 8 << 20
	// DefaultOneTypo and DefaultTwoTypos are the word lengths from which a
	// query word tolerates one and two typos (WithTypoTolerance).
	DefaultOneTypo  = 9
	DefaultTwoTypos = 13
)

// Option configures Open.
type Option func(*options)

type options struct {
	httpClient   *http.Client
	timeout      time.Duration
	attempts     int
	baseDelay    time.Duration
	maxDelay     time.Duration
	taskTimeout  time.Duration
	batchDocs    int
	batchBytes   int
	logger       *slog.Logger
	oneTypo      int
	twoTypos     int
	pollInterval time.Duration
}

func defaultOptions() options {
	return options{
		timeout: DefaultTimeout, attempts: DefaultRetryAttempts,
		baseDelay: DefaultRetryBase, maxDelay: DefaultRetryMax,
		taskTimeout: DefaultTaskTimeout, batchDocs: DefaultBatchDocs, batchBytes: DefaultBatchBytes,
		logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		oneTypo: DefaultOneTypo, twoTypos: DefaultTwoTypos,
		pollInterval: 100 * time.Millisecond,
	}
}

// WithHTTPClient sends requests with c instead of a client of its own. Its
// Transport (http.DefaultTransport when nil) gets the retries of
// WithRetry; its Timeout, if any, bounds a whole call, retries included.
// nil is ignored.
func WithHTTPClient(c *http.Client) Option {
	return func(o *options) {
		if c != nil {
			o.httpClient = c
		}
	}
}

// WithTimeout bounds each HTTP request attempt (DefaultTimeout); an
// attempt that times out is retried. d <= 0 is ignored.
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// WithRetry sets how requests are retried after a connection error, a 429
// or a 5xx answer: at most maxAttempts attempts in all, waiting between
// them a random time up to baseDelay doubled at each retry and capped at
// maxDelay (exponential backoff with full jitter), or what a Retry-After
// header asks. maxAttempts 1 disables retries. Values < 1 are ignored.
func WithRetry(maxAttempts int, baseDelay, maxDelay time.Duration) Option {
	return func(o *options) {
		if maxAttempts >= 1 {
			o.attempts = maxAttempts
		}
		if baseDelay > 0 {
			o.baseDelay = baseDelay
		}
		if maxDelay > 0 {
			o.maxDelay = maxDelay
		}
		o.maxDelay = max(o.maxDelay, o.baseDelay)
	}
}

// WithTaskTimeout bounds how long a write waits for Meilisearch to process
// each of its tasks (DefaultTaskTimeout). d <= 0 is ignored.
func WithTaskTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.taskTimeout = d
		}
	}
}

// WithBatch bounds the documents of one write request: at most maxDocs
// documents and maxBytes bytes of JSON (DefaultBatchDocs,
// DefaultBatchBytes). A document larger than maxBytes is sent alone.
// Values < 1 are ignored.
func WithBatch(maxDocs, maxBytes int) Option {
	return func(o *options) {
		if maxDocs >= 1 {
			o.batchDocs = maxDocs
		}
		if maxBytes >= 1 {
			o.batchBytes = maxBytes
		}
	}
}

// WithLogger logs retries and settings changes to l (nothing by default).
// The API key is never logged.
func WithLogger(l *slog.Logger) Option {
	return func(o *options) {
		if l != nil {
			o.logger = l
		}
	}
}

// WithTypoTolerance sets the word lengths, in characters, from which a
// query word matches words one typo (oneTypo) and two typos (twoTypos)
// away; see the package documentation for why the defaults are higher
// than Meilisearch's own 5 and 9. Invalid pairs are ignored.
func WithTypoTolerance(oneTypo, twoTypos int) Option {
	return func(o *options) {
		if oneTypo >= 1 && twoTypos >= oneTypo && twoTypos <= 255 {
			o.oneTypo, o.twoTypos = oneTypo, twoTypos
		}
	}
}
