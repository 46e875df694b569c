package bleve

import "time"

// Defaults of the options.
const (
	DefaultBatchSize   = 500
	DefaultLockTimeout = 5 * time.Second
)

// Option configures Open.
type Option func(*options)

type options struct {
	batchSize   int
	lockTimeout time.Duration
	readOnly    bool
}

func defaultOptions() options {
	return options{batchSize: DefaultBatchSize, lockTimeout: DefaultLockTimeout}
}

// WithBatchSize sets how many articles Upsert and Delete write per Bleve
// batch (DefaultBatchSize). Each batch is atomic and durable when written;
// a call spanning several batches is not atomic. n < 1 is ignored.
func WithBatchSize(n int) Option {
	return func(o *options) {
		if n >= 1 {
			o.batchSize = n
		}
	}
}

// ReadOnly opens the index for reading only: Open neither creates nor
// changes anything on disk, so a copy without write permission can be
// searched, and the writing methods fail with ErrReadOnly. Other readers
// may hold the index at the same time; a writer waits for them to let go.
// The index shows what was on disk when it was opened.
func ReadOnly() Option {
	return func(o *options) { o.readOnly = true }
}

// WithLockTimeout sets how long Open waits for another process holding the
// index to let go of it before failing (DefaultLockTimeout). d <= 0 is
// ignored.
func WithLockTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.lockTimeout = d
		}
	}
}
