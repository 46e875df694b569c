package index

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// RecoverStats says what Recover copied out of an archive.
type RecoverStats struct {
	Articles int      `json:"articles"` // articles copied into the new archive
	Pages    int      `json:"pages"`    // kept pages copied with them
	Problems []string `json:"problems"` // what could not be read
}

// recoverBatch is how many articles Recover writes per transaction.
const recoverBatch = 200

// Recover copies every article it can read from the archive file at src,
// damaged or not, into a new archive at dst, which must not exist yet:
// their records, kept pages, sources and the URLs they were fetched from,
// in the order they were archived, and what each webhook was told (its
// notices, and its cursor moved to the same article in the new numbering),
// so that no story is announced again. src is opened read-only and never
// written to. Indexes' cursors are not copied: an index is rebuilt from
// the new archive by reindex.
func Recover(src, dst string) (RecoverStats, error) {
	var st RecoverStats
	db, err := openBolt(src, &bolt.Options{Timeout: time.Second, ReadOnly: true, PreLoadFreelist: false})
	if err != nil {
		return st, fmt.Errorf("recover %s: %w", src, err)
	}
	defer db.Close()
	out, err := OpenArchive(dst, ReplaceEmpty())
	if err != nil {
		return st, fmt.Errorf("recover into %s: %w", dst, err)
	}
	defer out.Close()
	if n, err := out.Count(); err != nil || n > 0 {
		return st, fmt.Errorf("recover into %s: %w", dst, cmp.Or(err, errors.New("it already holds articles")))
	}
	var recs []record
	var pages, origins, urls map[string][]byte
	var hooks map[string]hookNotices
	err = db.View(func(tx *bolt.Tx) error {
		problem := func(err error) { st.Problems = append(st.Problems, err.Error()) }
		raw := readBucket(tx, bucketArticles, problem)
		for id, v := range raw {
			rec, err := decodeRecord([]byte(id), v)
			if err != nil {
				problem(err)
				continue
			}
			recs = append(recs, rec)
		}
		pages = readBucket(tx, bucketHTML, problem)
		origins = readBucket(tx, bucketOrigins, problem)
		urls = readBucket(tx, bucketURLs, problem)
		hooks = readNotices(tx, problem)
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("recover %s: %w", src, err)
	}
	if len(st.Problems) > 0 {
		// Records the tree no longer reaches may still be in the file.
		salvaged, err := carveRecords(src)
		if err != nil {
			return st, fmt.Errorf("recover %s: %w", src, err)
		}
		recs = newest(append(recs, salvaged...))
	}
	slices.SortFunc(recs, func(a, b record) int { return cmp.Compare(a.Seq, b.Seq) })
	for chunk := range slices.Chunk(recs, recoverBatch) {
		batch := make([]Page, len(chunk))
		for i, rec := range chunk {
			p := Page{Article: rec.Article, Origin: string(origins[rec.Article.ID])}
			if packed := pages[rec.Article.ID]; packed != nil {
				if html, ct, err := unpackPage(packed, DefaultMaxPage); err != nil {
					st.Problems = append(st.Problems, fmt.Sprintf("page of %s: %v", rec.Article.ID, err))
				} else {
					p.HTML, p.ContentType = html, ct
					st.Pages++
				}
			}
			batch[i] = p
		}
		if _, err := out.Put(batch); err != nil {
			return st, fmt.Errorf("recover into %s: %w", dst, err)
		}
		st.Articles += len(batch)
	}
	err = out.update(func(tx *bolt.Tx) error {
		b, articles := tx.Bucket(bucketURLs), tx.Bucket(bucketArticles)
		for u, id := range urls {
			if articles.Get(id) == nil {
				continue
			}
			if err := b.Put([]byte(u), id); err != nil {
				return err
			}
		}
		return writeNotices(tx, hooks, recs)
	})
	if err != nil {
		return st, fmt.Errorf("recover into %s: %w", dst, err)
	}
	return st, nil
}

// hookNotices is what a webhook was told, as Recover reads it: its cursor
// (a sequence of the old archive) and its notices by story id.
type hookNotices struct {
	cursor    uint64
	hasCursor bool
	notices   map[string][]byte
}

// readNotices reads what every webhook was told (bucketNotices), telling
// problem what it cannot read. An archive without webhooks has none.
func readNotices(tx *bolt.Tx, problem func(error)) map[string]hookNotices {
	out := make(map[string]hookNotices)
	err := guard(string(bucketNotices), func() error {
		root := tx.Bucket(bucketNotices)
		if root == nil {
			return nil
		}
		return root.ForEachBucket(func(name []byte) error {
			h := hookNotices{notices: make(map[string][]byte)}
			err := root.Bucket(name).ForEach(func(k, v []byte) error {
				switch {
				case bytes.Equal(k, noticeCursorKey) && len(v) == 8:
					h.cursor, h.hasCursor = binary.BigEndian.Uint64(v), true
				case v != nil:
					h.notices[string(k)] = bytes.Clone(v)
				}
				return nil
			})
			out[string(name)] = h
			return err
		})
	})
	if err != nil {
		problem(err)
	}
	return out
}

// writeNotices writes what each webhook was told into the recovered
// archive of recs (sorted by their old sequence, written in that order from
// sequence 1): a cursor moves to the last recovered article it had reached.
func writeNotices(tx *bolt.Tx, hooks map[string]hookNotices, recs []record) error {
	for name, h := range hooks {
		b, err := createNoticeBucket(tx, name)
		if err != nil {
			return err
		}
		for story, raw := range h.notices {
			if err := b.Put([]byte(story), raw); err != nil {
				return err
			}
		}
		if h.hasCursor {
			reached, _ := slices.BinarySearchFunc(recs, h.cursor+1, func(r record, seq uint64) int { return cmp.Compare(r.Seq, seq) })
			if err := b.Put(noticeCursorKey, seqKey(uint64(reached))); err != nil {
				return err
			}
		}
	}
	return nil
}

// recordStart is how every stored record begins.
var recordStart = []byte(`{"seq":`)

// carveRecords finds the records in the raw bytes of an archive file,
// wherever its pages are: a record is whole JSON whose content hash
// matches its article, so what it finds is intact (an older version of an
// article, on a page freed since, included: newest keeps the latest).
func carveRecords(path string) ([]record, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return carve(data), nil
}

// carve returns the intact records in data.
func carve(data []byte) []record {
	var recs []record
	for i := bytes.Index(data, recordStart); i >= 0; {
		dec := json.NewDecoder(bytes.NewReader(data[i:]))
		var raw json.RawMessage
		if dec.Decode(&raw) == nil {
			var rec record
			if json.Unmarshal(raw, &rec) == nil && rec.Article != nil && rec.Seq > 0 && rec.Article.ID != "" {
				if hash, err := contentHash(rec.Article); err == nil && hash == rec.Hash {
					recs = append(recs, rec)
				}
			}
		}
		next := bytes.Index(data[i+1:], recordStart)
		if next < 0 {
			break
		}
		i += 1 + next
	}
	return recs
}

// newest keeps, of the records of each article, the one with the highest
// sequence.
func newest(recs []record) []record {
	latest := make(map[string]record, len(recs))
	for _, r := range recs {
		if old, ok := latest[r.Article.ID]; !ok || r.Seq > old.Seq {
			latest[r.Article.ID] = r
		}
	}
	return slices.Collect(maps.Values(latest))
}

// readBucket returns what it can read of a bucket's keys and values. A
// damaged page stops a scan; the bucket is then read by key prefixes, one
// byte long, and two for those that fail, so that a damaged page loses
// little more than the keys on it. What could not be read is reported to problem.
func readBucket(tx *bolt.Tx, name []byte, problem func(error)) map[string][]byte {
	out := make(map[string][]byte)
	var b *bolt.Bucket
	if err := guard(string(name), func() error {
		if b = tx.Bucket(name); b == nil {
			return fmt.Errorf("no %s bucket", name)
		}
		return nil
	}); err != nil {
		problem(err)
		return out
	}
	// scan reads keys from start while they have prefix, and reports
	// whether it got through.
	scan := func(start, prefix []byte) bool {
		err := guard(string(name), func() error {
			c := b.Cursor()
			for k, v := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				if v != nil {
					out[string(k)] = bytes.Clone(v)
				}
			}
			return nil
		})
		return err == nil
	}
	if scan(nil, nil) {
		return out
	}
	failed := 0
	for hi := range 256 {
		if scan([]byte{byte(hi)}, []byte{byte(hi)}) {
			continue
		}
		for lo := range 256 {
			if prefix := []byte{byte(hi), byte(lo)}; !scan(prefix, prefix) {
				failed++
			}
		}
	}
	problem(fmt.Errorf("%s: %d of 65536 key ranges unreadable (%w)", name, failed, ErrArchiveDamaged))
	return out
}
