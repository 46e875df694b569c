package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Errors OpenArchive returns, wrapped with the archive's path.
var (
	// ErrArchiveBusy means another process has the archive open.
	ErrArchiveBusy = errors.New("archive is in use by another ottwatch process")
	// ErrNoArchive means there is no file where the archive should be.
	ErrNoArchive = errors.New("no archive")
	// ErrEmptyArchive means the archive's file is empty (0 bytes, or a
	// database with nothing in it): not an archive that lost nothing, but
	// not one to take silently as new either.
	ErrEmptyArchive = errors.New("the archive file is empty")
	// ErrNotArchive means the file is not an ottwatch archive.
	ErrNotArchive = errors.New("not an ottwatch archive")
	// ErrArchiveDamaged means the archive's file is damaged: it is
	// neither written to nor trusted; Recover copies out what it can read.
	ErrArchiveDamaged = errors.New("the archive is damaged")
)

// archiveBuckets are the archive's buckets.
var archiveBuckets = [][]byte{bucketArticles, bucketSeq, bucketHTML, bucketCursors, bucketStories, bucketURLs, bucketOrigins,
	bucketEvidence, bucketEvents, bucketStoryRec, bucketStorySeq, bucketMoves}

// ArchiveOption changes how OpenArchive opens an archive.
type ArchiveOption func(*archiveOptions)

type archiveOptions struct {
	mustExist    bool
	readOnly     bool
	replaceEmpty bool
	maxPage      int
}

// DefaultMaxPage is the most a kept page may inflate to when it is read
// back, unless MaxPage says otherwise: more than any crawl keeps by
// default, so that a damaged entry cannot take all memory.
const DefaultMaxPage = 256 << 20

// MaxPage sets the most a kept page may inflate to when it is read back
// (Archive.HTML), in bytes; a page that inflates past it is an error, as
// a page larger than a crawl's body limit is when fetched. n <= 0 keeps
// DefaultMaxPage.
func MaxPage(n int) ArchiveOption {
	return func(o *archiveOptions) {
		if n > 0 {
			o.maxPage = n
		}
	}
}

// MustExist makes OpenArchive fail with ErrNoArchive when there is no file
// at the path, instead of creating a new archive there.
func MustExist() ArchiveOption { return func(o *archiveOptions) { o.mustExist = true } }

// ReadOnly opens an existing archive for reading only: nothing is ever
// written to its file, and other readers may have it open too.
func ReadOnly() ArchiveOption {
	return func(o *archiveOptions) { o.readOnly, o.mustExist = true, true }
}

// ReplaceEmpty lets OpenArchive start a new archive in an empty file (0
// bytes, or a database with nothing in it), which it refuses otherwise.
func ReplaceEmpty() ArchiveOption { return func(o *archiveOptions) { o.replaceEmpty = true } }

// OpenArchive opens the archive file at path. A missing file becomes a
// new archive, and its directory is made, unless MustExist or ReadOnly is
// given. An empty file is ErrEmptyArchive unless ReplaceEmpty is given;
// a file that is not an archive is ErrNotArchive; a damaged one is
// ErrArchiveDamaged. Before an existing archive is opened for writing its
// whole file structure is checked, so that a damaged archive is never
// written to. OpenArchive waits up to a second for another process to
// release the file.
func OpenArchive(path string, opts ...ArchiveOption) (*Archive, error) {
	o := archiveOptions{maxPage: DefaultMaxPage}
	for _, opt := range opts {
		opt(&o)
	}
	fail := func(err error) (*Archive, error) { return nil, fmt.Errorf("open archive %s: %w", path, err) }
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if o.mustExist {
			return fail(ErrNoArchive)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fail(err)
		}
	case err != nil:
		return fail(err)
	case !info.Mode().IsRegular():
		return fail(fmt.Errorf("%w: not a regular file", ErrNotArchive))
	case info.Size() == 0:
		if !o.replaceEmpty || o.readOnly {
			return fail(fmt.Errorf("%w (0 bytes)", ErrEmptyArchive))
		}
	default:
		err := validate(path, !o.readOnly)
		if errors.Is(err, ErrEmptyArchive) && o.replaceEmpty && !o.readOnly {
			err = nil
		}
		if err != nil {
			return fail(err)
		}
	}
	db, err := openBolt(path, &bolt.Options{Timeout: time.Second, ReadOnly: o.readOnly})
	if err != nil {
		return fail(err)
	}
	ar := &Archive{db: db, path: path, maxPage: o.maxPage, releaseAbove: releaseAbove}
	if o.readOnly || ar.hasBuckets() {
		return ar, nil
	}
	// Opening writes nothing to an archive that has its buckets.
	err = ar.update(func(tx *bolt.Tx) error {
		for _, b := range archiveBuckets {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return fail(err)
	}
	return ar, nil
}

// hasBuckets reports whether the archive has every bucket it uses.
func (ar *Archive) hasBuckets() bool {
	all := true
	_ = ar.view(func(tx *bolt.Tx) error {
		for _, b := range archiveBuckets {
			all = all && tx.Bucket(b) != nil
		}
		return nil
	})
	return all
}

// openBolt opens a bbolt file, turning what it reports of a file that is
// not a database, or a panic on a damaged one, into this package's errors.
func openBolt(path string, opts *bolt.Options) (db *bolt.DB, err error) {
	err = guard("open", func() error {
		db, err = bolt.Open(path, 0o644, opts)
		return err
	})
	switch {
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, ErrArchiveBusy
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%w (%v)", ErrNotArchive, err)
	case errors.Is(err, bolterrors.ErrChecksum):
		return nil, fmt.Errorf("%w: its header fails its checksum", ErrArchiveDamaged)
	}
	return db, err
}

// validate looks at an existing archive file read-only before it is used:
// that it is a bbolt database with the archive's buckets, that the file is
// as long as the database says and, when full is set, that every page
// bbolt reaches is sound.
func validate(path string, full bool) error {
	db, err := openBolt(path, &bolt.Options{Timeout: time.Second, ReadOnly: true, PreLoadFreelist: false})
	if err != nil {
		return err
	}
	defer db.Close()
	return guard("check", func() error {
		return db.View(func(tx *bolt.Tx) error {
			if err := truncated(tx, path); err != nil {
				return err
			}
			if k, _ := tx.Cursor().First(); k == nil {
				return ErrEmptyArchive
			}
			if tx.Bucket(bucketArticles) == nil || tx.Bucket(bucketSeq) == nil {
				return fmt.Errorf("%w: a bbolt database without the archive's buckets", ErrNotArchive)
			}
			if !full {
				return nil
			}
			defer releasing(db, tx)()
			if errs := structureErrors(tx); len(errs) > 0 {
				return fmt.Errorf("%w: %d problems, the first: %v", ErrArchiveDamaged, len(errs), errs[0])
			}
			return nil
		})
	})
}

// truncated returns an error wrapping ErrArchiveDamaged when the file at
// path is shorter than the database tx reads says it is.
func truncated(tx *bolt.Tx, path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	if want := tx.Size(); want > info.Size() {
		return fmt.Errorf("%w: the file has %d bytes, its database %d (truncated)", ErrArchiveDamaged, info.Size(), want)
	}
	return nil
}

// structureErrors returns the problems bbolt finds in the file structure
// tx sees.
func structureErrors(tx *bolt.Tx) []error {
	var errs []error
	for err := range tx.Check() {
		errs = append(errs, err)
	}
	return errs
}

// guard runs fn, turning a panic or a memory fault in it (bbolt panics on
// damaged pages and faults on pages past the end of a truncated file) into
// an error wrapping ErrArchiveDamaged.
func guard(what string, fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: %s: %v", ErrArchiveDamaged, what, r)
		}
	}()
	return fn()
}

// view runs a read transaction, guarded.
func (ar *Archive) view(fn func(tx *bolt.Tx) error) error {
	return guard("read", func() error { return ar.db.View(fn) })
}

// update runs a write transaction, guarded.
func (ar *Archive) update(fn func(tx *bolt.Tx) error) error {
	return guard("write", func() error { return ar.db.Update(fn) })
}

// decodeRecord decodes the stored record of the article with the given
// id, refusing one that is not a whole record of that article.
func decodeRecord(id, raw []byte) (record, error) {
	var rec record
	if raw == nil {
		return rec, fmt.Errorf("article %s: no record", id)
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rec, fmt.Errorf("article %s: corrupt record: %w", id, err)
	}
	switch {
	case rec.Article == nil:
		return rec, fmt.Errorf("article %s: corrupt record: no article", id)
	case rec.Article.ID != string(id):
		return rec, fmt.Errorf("article %s: corrupt record: it holds article %q", id, rec.Article.ID)
	case rec.Seq == 0:
		return rec, fmt.Errorf("article %s: corrupt record: no sequence number", id)
	}
	return rec, nil
}
