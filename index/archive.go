package index

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/fingerprint"
)

// Buckets of the archive.
var (
	bucketArticles = []byte("articles") // id → record (JSON)
	bucketSeq      = []byte("seq")      // sequence (big-endian) → id
	bucketHTML     = []byte("html")     // id → page as fetched (gzip)
	bucketURLs     = []byte("urls")     // URL an article was fetched from → id
	bucketCursors  = []byte("cursors")  // index name → last sequence it holds
	bucketOrigins  = []byte("origins")  // id → name of the crawl source it came from
	// bucketStories finds the near-duplicates of an article: story time
	// (storyKey) and id → fingerprint and sequence (storyValue), for every
	// article that has a fingerprint.
	bucketStories = []byte("stories")
)

// ClusterWindow is how far apart in time two near-duplicate articles may
// be to share a cluster: a story published again a month later, or a
// recurring boilerplate piece, starts a cluster of its own.
const ClusterWindow = 7 * 24 * time.Hour

// Archive is the record of every article ottwatch ever kept, in a bbolt
// file. Each write of an article takes the next sequence number, so an
// index that remembers the last sequence it holds (its cursor) can be
// brought up to date with what came after. Indexes are projections of the
// archive: they can always be rebuilt from it.
type Archive struct {
	db      *bolt.DB
	path    string
	maxPage int // see MaxPage
	// releaseAbove is the size of file from which release gives its
	// resident pages back (the constant releaseAbove; less in tests).
	releaseAbove int64
}

// record is how the archive stores an article.
type record struct {
	Seq     uint64            `json:"seq"`
	Hash    string            `json:"hash"`
	Article *ottwatch.Article `json:"article"`
}

// Page is an article to archive, with the page it came from when that is
// kept.
type Page struct {
	Article     *ottwatch.Article
	HTML        []byte // the page as fetched, or nil
	ContentType string // the Content-Type it was decoded with
	// Origin is the name of the crawl source the page belongs to, or ""
	// when unknown; reindex extracts a kept page again in its context.
	Origin string
}

// PutStats says what a Put did.
type PutStats struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	// Refused counts articles not written because the archive holds an
	// article of the same id from another site.
	Refused int `json:"refused,omitempty"`
}

// Entry is an archived article and its sequence number.
type Entry struct {
	Seq     uint64
	Article *ottwatch.Article
}

// Close closes the archive.
func (ar *Archive) Close() error { return ar.db.Close() }

// Path returns the archive's file.
func (ar *Archive) Path() string { return ar.path }

// contentHash identifies what an article says: everything but when and
// from which URL it was fetched and the cluster the archive gave it, so
// re-fetching an unchanged article is not a change, while a new title,
// body, date or set of tags is.
func contentHash(a *ottwatch.Article) (string, error) {
	c := *a
	c.Fetched, c.URL, c.Cluster = time.Time{}, "", ""
	data, err := json.Marshal(&c)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:]), nil
}

func seqKey(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// Put archives pages in one durable transaction. An article not yet in the
// archive, or whose content changed, is written with a new sequence number;
// an unchanged one keeps its sequence (its kept page is refreshed); one
// whose id the archive holds for an article of another site (Source) is not
// written at all.
//
// Put also fills in each article's Fingerprint, when it is zero, with the
// SimHash of its body, its Fetched, when the article was first fetched,
// with the archived one's when that is earlier, and its Cluster, the story
// it belongs to: an
// article written keeps the story it had only if it is unchanged;
// otherwise it is assigned again (see assign): it joins the story of its
// earliest-archived near-duplicate (see nearDuplicate), or that of the
// event it reports (see sameEvent), or starts its own, whose id is the
// article's id. Pages are assigned in order, each seeing the ones before
// it. The caller's articles are updated in place.
func (ar *Archive) Put(pages []Page) (PutStats, error) {
	var st PutStats
	err := ar.update(func(tx *bolt.Tx) error {
		st = PutStats{}
		articles, seqs, htmls := tx.Bucket(bucketArticles), tx.Bucket(bucketSeq), tx.Bucket(bucketHTML)
		for _, p := range pages {
			a := p.Article
			if a == nil || a.ID == "" {
				return errors.New("article without id")
			}
			if a.Fingerprint == 0 {
				a.Fingerprint = fingerprint.SimHash(a.Body)
			}
			hash, err := contentHash(a)
			if err != nil {
				return fmt.Errorf("article %s: %w", a.ID, err)
			}
			var old *record
			if raw := articles.Get([]byte(a.ID)); raw != nil {
				rec, err := decodeRecord([]byte(a.ID), raw)
				if err != nil {
					return err
				}
				old = &rec
				if old.Article.Source != "" && a.Source != "" && old.Article.Source != a.Source {
					// No page replaces another site's article.
					st.Refused++
					continue
				}
				if f := old.Article.Fetched; !f.IsZero() && (a.Fetched.IsZero() || f.Before(a.Fetched)) {
					a.Fetched = f // when ottwatch first saw it
				}
			}
			if p.HTML != nil {
				if err := htmls.Put([]byte(a.ID), gzipPage(p)); err != nil {
					return err
				}
			}
			if p.Origin != "" {
				if err := tx.Bucket(bucketOrigins).Put([]byte(a.ID), []byte(p.Origin)); err != nil {
					return err
				}
			}
			if a.URL != "" {
				if err := tx.Bucket(bucketURLs).Put([]byte(a.URL), []byte(a.ID)); err != nil {
					return err
				}
			}
			if old != nil {
				if old.Hash == hash {
					a.Cluster = old.Article.Cluster
					st.Unchanged++
					continue
				}
				if err := seqs.Delete(seqKey(old.Seq)); err != nil {
					return err
				}
				if err := unindexStory(tx, old.Article); err != nil {
					return err
				}
				st.Updated++
			} else {
				st.Added++
			}
			seq, err := seqs.NextSequence()
			if err != nil {
				return err
			}
			var was *ottwatch.Article
			if old != nil {
				was = old.Article
			}
			if err := assign(tx, a, was, seq); err != nil {
				return fmt.Errorf("article %s: story: %w", a.ID, err)
			}
			if err := indexStory(tx, a, seq); err != nil {
				return err
			}
			raw, err := json.Marshal(record{Seq: seq, Hash: hash, Article: a})
			if err != nil {
				return fmt.Errorf("article %s: %w", a.ID, err)
			}
			if err := articles.Put([]byte(a.ID), raw); err != nil {
				return err
			}
			if err := seqs.Put(seqKey(seq), []byte(a.ID)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return PutStats{}, fmt.Errorf("archive: %w", err)
	}
	ar.release()
	return st, nil
}

// gzipPage stores the content type, a newline, then the page, compressed.
func gzipPage(p Page) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(p.ContentType + "\n"))
	zw.Write(p.HTML)
	zw.Close()
	return buf.Bytes()
}

// Get returns the archived article with the given id, or an error wrapping
// ottwatch.ErrNotFound.
func (ar *Archive) Get(id string) (*ottwatch.Article, error) {
	var rec record
	err := ar.view(func(tx *bolt.Tx) error {
		raw := tx.Bucket(bucketArticles).Get([]byte(id))
		if raw == nil {
			return ottwatch.ErrNotFound
		}
		var err error
		rec, err = decodeRecord([]byte(id), raw)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("archive: article %s: %w", id, err)
	}
	return rec.Article, nil
}

// HTML returns the kept page of an article and the Content-Type it was
// decoded with, or nil when its page was not kept.
func (ar *Archive) HTML(id string) (page []byte, contentType string, err error) {
	var packed []byte
	err = ar.view(func(tx *bolt.Tx) error {
		packed = bytes.Clone(tx.Bucket(bucketHTML).Get([]byte(id)))
		return nil
	})
	if err != nil || packed == nil {
		return nil, "", err
	}
	page, contentType, err = unpackPage(packed, ar.maxPage)
	if err != nil {
		return nil, "", fmt.Errorf("archive: page of %s: %w", id, err)
	}
	return page, contentType, nil
}

// ErrPageTooLarge is returned by Archive.HTML for a kept page larger than
// the archive's MaxPage.
var ErrPageTooLarge = errors.New("kept page too large")

// unpackPage decodes what gzipPage stored, refusing a page larger than
// maxPage bytes.
func unpackPage(packed []byte, maxPage int) (page []byte, contentType string, err error) {
	zr, err := gzip.NewReader(bytes.NewReader(packed))
	if err != nil {
		return nil, "", err
	}
	// The content type's line comes first: at most a line of header more.
	limit := int64(maxPage) + 1024
	data, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, "", err
	}
	if int64(len(data)) > limit {
		return nil, "", fmt.Errorf("%w: it inflates past %d bytes", ErrPageTooLarge, maxPage)
	}
	ct, page, ok := bytes.Cut(data, []byte("\n"))
	if !ok {
		return nil, "", errors.New("no content type")
	}
	return page, string(ct), nil
}

// Origin returns the name of the crawl source an article came from, or ""
// when the archive does not know it.
func (ar *Archive) Origin(id string) (string, error) {
	var name string
	err := ar.view(func(tx *bolt.Tx) error {
		name = string(tx.Bucket(bucketOrigins).Get([]byte(id)))
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("archive: origin of %s: %w", id, err)
	}
	return name, nil
}

// HasURL reports whether an article was archived from the page at u, or
// has u as its id's canonical URL.
func (ar *Archive) HasURL(u string) bool {
	found := false
	_ = ar.view(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketURLs).Get([]byte(u)) != nil ||
			tx.Bucket(bucketArticles).Get([]byte(ottwatch.ArticleID(u))) != nil
		return nil
	})
	return found
}

// Count returns how many articles the archive holds. It counts their
// sequence entries (one per article, as Check verifies), small enough for
// hundreds a page, rather than the articles, whose pages it would have to
// read all: at 100,000 articles, 400 MB of the file.
func (ar *Archive) Count() (int, error) {
	var n int
	err := ar.view(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucketSeq).Stats().KeyN
		return nil
	})
	return n, err
}

// IDs returns the ids of every archived article.
func (ar *Archive) IDs() ([]string, error) {
	var ids []string
	err := ar.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketArticles).ForEach(func(k, _ []byte) error {
			ids = append(ids, string(k))
			return nil
		})
	})
	return ids, err
}

// LastSeq returns the sequence number of the latest write, 0 for an empty
// archive.
func (ar *Archive) LastSeq() (uint64, error) {
	var seq uint64
	err := ar.view(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketSeq).Cursor().Last(); k != nil {
			seq = binary.BigEndian.Uint64(k)
		}
		return nil
	})
	return seq, err
}

// After returns up to limit articles written after sequence seq, in the
// order they were written. Reading the archive this way, batch after batch,
// keeps no more of its file resident than a batch (see release).
func (ar *Archive) After(seq uint64, limit int) ([]Entry, error) {
	defer ar.release()
	var out []Entry
	err := ar.view(func(tx *bolt.Tx) error {
		articles := tx.Bucket(bucketArticles)
		c := tx.Bucket(bucketSeq).Cursor()
		for k, id := c.Seek(seqKey(seq + 1)); k != nil && len(out) < limit; k, id = c.Next() {
			if len(k) != 8 {
				return fmt.Errorf("sequence entry %x: malformed", k)
			}
			rec, err := decodeRecord(id, articles.Get(id))
			if err != nil {
				return err
			}
			out = append(out, Entry{Seq: binary.BigEndian.Uint64(k), Article: rec.Article})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("archive: %w", err)
	}
	return out, nil
}

// Cursor returns the last sequence the named index holds, 0 if none.
func (ar *Archive) Cursor(name string) (uint64, error) {
	var seq uint64
	err := ar.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketCursors).Get([]byte(name)); len(v) == 8 {
			seq = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return seq, err
}

// SetCursor records that the named index holds everything up to seq.
func (ar *Archive) SetCursor(name string, seq uint64) error {
	return ar.update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketCursors).Put([]byte(name), seqKey(seq))
	})
}

// Check verifies the archive's file structure, that every article has its
// sequence entry and back, and that the entries that find near-duplicates
// match the articles; it returns the problems found. It reads a damaged
// archive without panicking, reporting what it could not read.
func (ar *Archive) Check() error {
	var errs []error
	step := func(what string, fn func() []error) {
		if err := guard(what, func() error { errs = append(errs, fn()...); return nil }); err != nil {
			errs = append(errs, err)
		}
	}
	err := ar.view(func(tx *bolt.Tx) error {
		if err := truncated(tx, ar.path); err != nil {
			// bbolt's own check would read past the end of the file.
			errs = append(errs, err)
			return nil
		}
		defer releasing(ar.db, tx)()
		step("file structure", func() []error { return structureErrors(tx) })
		articles, seqs := tx.Bucket(bucketArticles), tx.Bucket(bucketSeq)
		step("articles", func() []error {
			var errs []error
			if n, m := articles.Stats().KeyN, seqs.Stats().KeyN; n != m {
				errs = append(errs, fmt.Errorf("%d articles but %d sequence entries", n, m))
			}
			err := articles.ForEach(func(id, raw []byte) error {
				rec, err := decodeRecord(id, raw)
				if err != nil {
					errs = append(errs, err)
					return nil
				}
				if got := seqs.Get(seqKey(rec.Seq)); !bytes.Equal(got, id) {
					errs = append(errs, fmt.Errorf("article %s: sequence %d points to %q", id, rec.Seq, got))
				}
				return nil
			})
			return append(errs, err)
		})
		step("stories", func() []error { return checkStories(tx) })
		return nil
	})
	return errors.Join(append(errs, err)...)
}

// countAfter returns how many articles were written after sequence seq.
func (ar *Archive) countAfter(seq uint64) (int, error) {
	n := 0
	err := ar.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSeq).Cursor()
		for k, _ := c.Seek(seqKey(seq + 1)); k != nil; k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n, err
}
