// Package bleve is the on-disk search backend of ottwatch, on Bleve
// (github.com/blevesearch/bleve/v2, scorch). It implements ottwatch.Index
// with the fields of package index: one document mapping, per-language text
// fields analysed by Bleve's language analyzers plus ASCII folding, keyword
// fields for filters, facets and the story cluster of collapsed searches,
// and the whole article stored as JSON.
package bleve

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// ErrNotIndex is returned by Open for a directory that holds something other
// than an ottwatch Bleve index.
var ErrNotIndex = errors.New("not an ottwatch index")

// ErrLocked is returned by Open when another process holds the index for
// longer than the lock timeout (WithLockTimeout).
var ErrLocked = errors.New("index is locked by another process")

// ErrReadOnly is returned by the writing methods of an index opened with
// ReadOnly.
var ErrReadOnly = errors.New("index is open read-only")

// ErrSchema is returned by Open for an ottwatch index written with another
// version of the schema (index.SchemaVersion); it must be rebuilt.
var ErrSchema = errors.New("index schema version mismatch")

// schemaKey is the internal key under which the index records the schema
// version it was created with.
var schemaKey = []byte("ottwatch_schema_version")

// metaFile and storeDir are what Bleve keeps at the root of an index
// directory.
const (
	metaFile = "index_meta.json"
	storeDir = "store"
)

// notIndexError is ErrNotIndex with its cause, on one line.
type notIndexError struct{ cause error }

func notIndex(cause error) error { return notIndexError{cause} }

func (e notIndexError) Error() string {
	return fmt.Sprintf("%v (%s)", ErrNotIndex, textnorm.OneLine(e.cause.Error()))
}

func (e notIndexError) Unwrap() []error { return []error{ErrNotIndex, e.cause} }

// Index is an ottwatch.Index on a Bleve index in a directory. It is safe for
// concurrent use.
type Index struct {
	dir  string
	opts options

	mu     sync.RWMutex // guards closed against use during Close
	closed bool
	idx    blevesearch.Index
}

var _ ottwatch.Index = (*Index)(nil)

// Open opens the index in dir, creating it when dir does not exist or is
// empty (unless ReadOnly, which gives an error wrapping fs.ErrNotExist). A directory that holds anything but an ottwatch index gives an
// error wrapping ErrNotIndex; one created with another schema version, an
// error wrapping ErrSchema; one another process has open, after the lock
// timeout, an error wrapping ErrLocked.
func Open(dir string, opts ...Option) (*Index, error) {
	if registerErr != nil {
		return nil, fmt.Errorf("open bleve index at %s: %w", dir, registerErr)
	}
	if dir == "" {
		return nil, errors.New("open bleve index: empty directory")
	}
	o := defaultOptions()
	for _, opt := range opts {
		opt(&o)
	}
	config := o.config()

	entries, err := os.ReadDir(dir)
	var idx blevesearch.Index
	switch {
	case o.readOnly && (errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0):
		return nil, fmt.Errorf("open bleve index at %s read-only: no index there: %w", dir, fs.ErrNotExist)
	case errors.Is(err, fs.ErrNotExist):
		idx, err = create(dir, config, true)
	case err != nil:
		return nil, fmt.Errorf("open bleve index at %s: %w", dir, err)
	case len(entries) == 0:
		idx, err = create(dir, config, false)
	default:
		idx, err = open(dir, config)
		if isLockTimeout(err) {
			err = fmt.Errorf("%w (gave up after %v)", ErrLocked, o.lockTimeout)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("open bleve index at %s: %w", dir, err)
	}
	return &Index{dir: dir, opts: o, idx: idx}, nil
}

// config is the Bleve configuration the index is opened with.
func (o options) config() map[string]any {
	c := map[string]any{"bolt_timeout": o.lockTimeout.String()}
	if o.readOnly {
		c["read_only"] = true
	}
	return c
}

func (x *Index) config() map[string]any { return x.opts.config() }

// create makes a new index in dir; made tells whether dir did not exist.
// The index is built in a sibling directory and renamed into place, so a
// process killed meanwhile leaves no half-made index at dir.
func create(dir string, config map[string]any, made bool) (blevesearch.Index, error) {
	m, err := newMapping()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), "."+filepath.Base(dir)+".new-")
	if err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	defer os.RemoveAll(tmp)                // gone once renamed
	if err := os.Remove(tmp); err != nil { // Bleve wants to make it itself
		return nil, fmt.Errorf("create: %w", err)
	}
	// Bleve writes into the config map it is given (its path among others):
	// each call gets its own copy.
	idx, err := blevesearch.NewUsing(tmp, m, scorch.Name, scorch.Name, maps.Clone(config))
	if err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	err = idx.SetInternal(schemaKey, []byte(strconv.Itoa(index.SchemaVersion)))
	if cerr := idx.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("create: record schema version: %w", err)
	}
	if !made {
		if err := os.Remove(dir); err != nil { // empty, as Open checked
			return nil, fmt.Errorf("create: %w", err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		return nil, fmt.Errorf("create: %w", err)
	}
	idx, err = blevesearch.OpenUsing(dir, maps.Clone(config))
	if err != nil {
		return nil, fmt.Errorf("create: reopen: %w", err)
	}
	return idx, nil
}

// open opens the existing index in dir and checks that it is an ottwatch
// index of the current schema.
func open(dir string, config map[string]any) (blevesearch.Index, error) {
	// Check the layout first, so that Bleve creates nothing in a directory
	// that is not its own.
	for _, name := range []string{metaFile, storeDir} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			return nil, notIndex(fmt.Errorf("directory is not empty and has no %s", name))
		}
	}
	idx, v, err := openRecover(dir, config)
	if err != nil {
		if errors.Is(err, fs.ErrPermission) || isLockTimeout(err) {
			return nil, err
		}
		return nil, notIndex(err)
	}
	switch {
	case v == nil:
		err = notIndex(errors.New("no schema version: a Bleve index not made by ottwatch"))
	case string(v) != strconv.Itoa(index.SchemaVersion):
		err = fmt.Errorf("%w: index has version %q, this build uses %d: rebuild it", ErrSchema, v, index.SchemaVersion)
	}
	if err != nil {
		_ = idx.Close()
		return nil, err
	}
	return idx, nil
}

// openRecover opens the Bleve index in dir and reads its schema version,
// nil when it has none, turning a panic of Bleve on a damaged index into an
// error.
func openRecover(dir string, config map[string]any) (idx blevesearch.Index, version []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			idx, version, err = nil, nil, fmt.Errorf("bleve panicked: %v", r)
		}
	}()
	idx, err = blevesearch.OpenUsing(dir, config)
	if err != nil {
		return nil, nil, err
	}
	version, err = idx.GetInternal(schemaKey)
	if err != nil {
		_ = idx.Close()
		return nil, nil, fmt.Errorf("read schema version: %w", err)
	}
	return idx, version, nil
}

// isLockTimeout reports whether err is bbolt's timeout waiting for the lock
// of another process on the index.
func isLockTimeout(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if e.Error() == "timeout" {
			return true
		}
	}
	return false
}

// Close releases the index. Closing twice is not an error; any other method
// after Close fails.
func (x *Index) Close() error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.closed {
		return nil
	}
	x.closed = true
	if err := x.idx.Close(); err != nil {
		return fmt.Errorf("close bleve index at %s: %w", x.dir, err)
	}
	return nil
}

// errClosed is returned by the methods of a closed Index.
var errClosed = errors.New("index is closed")

// use runs f with the index held open, so that Close waits for it. A panic
// of Bleve, which a damaged index can cause, becomes an error.
func (x *Index) use(f func(blevesearch.Index) error) (err error) {
	x.mu.RLock()
	defer x.mu.RUnlock()
	if x.closed {
		return errClosed
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("bleve panicked, the index at %s may be damaged: %v", x.dir, r)
		}
	}()
	return f(x.idx)
}
