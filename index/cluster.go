package index

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/fingerprint"
)

// The archive clusters near-duplicate articles (one agency story on several
// outlets) as it writes them. Every article with a fingerprint has an entry
// in bucketStories, keyed by its story time and holding its fingerprint and
// sequence, so that the articles of the ClusterWindow around a new one are
// a range of keys. Among them, those whose fingerprints are at most
// fingerprint.NearDuplicateBits apart are candidates, and those that share
// fingerprint.NearDuplicateOverlap of their shingles are near-duplicates.
// Scanning the window costs one key and one popcount per article in it (a
// few thousand for a busy week of news); candidates are then read earliest
// first until one is a near-duplicate, so a story copied a hundred times
// costs one read, not a hundred.
//
// Bands of the fingerprint (LSH) would find candidates in fewer reads, but
// only those up to one bit per band apart for certain: copies of a story as
// outlets publish them are measured up to 15 bits apart, so 4 bands of 16
// bits would miss most of them.

// storyTime returns when an article's story happened: its publication,
// or, for an article without a date, when it was fetched.
func storyTime(a *ottwatch.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Fetched
}

// timeKey encodes t as 8 bytes that sort as the times do, to the second.
func timeKey(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.Unix())^(1<<63))
}

// storyKey is the key of an article in bucketStories: its story time, then
// its id.
func storyKey(a *ottwatch.Article) []byte {
	return append(timeKey(storyTime(a)), a.ID...)
}

// storyValue is the value of an entry of bucketStories: the article's
// fingerprint, then its sequence, 8 bytes each.
func storyValue(fp, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64(nil, fp), seq)
}

// indexStory adds the entry of a, written with sequence seq, if it has a
// fingerprint.
func indexStory(tx *bolt.Tx, a *ottwatch.Article, seq uint64) error {
	if a.Fingerprint == 0 {
		return nil
	}
	return tx.Bucket(bucketStories).Put(storyKey(a), storyValue(a.Fingerprint, seq))
}

// unindexStory removes the entry of a, as it was archived.
func unindexStory(tx *bolt.Tx, a *ottwatch.Article) error {
	if a.Fingerprint == 0 {
		return nil
	}
	return tx.Bucket(bucketStories).Delete(storyKey(a))
}

// inWindow reports whether two articles are close enough in time to be
// one story: published at most ClusterWindow apart, when both have a date.
func inWindow(a, b *ottwatch.Article) bool {
	if a.Published.IsZero() || b.Published.IsZero() {
		return true
	}
	d := a.Published.Sub(b.Published)
	return d <= ClusterWindow && d >= -ClusterWindow
}

// nearDuplicate reports whether b nearly duplicates a, whose shingles are
// sa: their fingerprints are at most fingerprint.NearDuplicateBits apart and
// they share at least fingerprint.NearDuplicateOverlap of their shingles.
func nearDuplicate(a *ottwatch.Article, sa []uint64, b *ottwatch.Article) bool {
	return a.Fingerprint != 0 && b.Fingerprint != 0 &&
		fingerprint.Distance(a.Fingerprint, b.Fingerprint) <= fingerprint.NearDuplicateBits &&
		fingerprint.Overlap(sa, fingerprint.Shingles(b.Body)) >= fingerprint.NearDuplicateOverlap
}

// candidate is an article of the window whose fingerprint is close.
type candidate struct {
	seq uint64
	id  []byte
}

// clusterOf returns the story of the earliest archived (lowest sequence)
// of a's near-duplicates within ClusterWindow, or "" when it has none. An
// article without a fingerprint has none.
func clusterOf(tx *bolt.Tx, a *ottwatch.Article) (string, error) {
	if a.Fingerprint == 0 {
		return "", nil
	}
	t := storyTime(a)
	last := timeKey(t.Add(ClusterWindow))
	var cands []candidate
	c := tx.Bucket(bucketStories).Cursor()
	for k, v := c.Seek(timeKey(t.Add(-ClusterWindow))); k != nil && bytes.Compare(k[:min(len(k), 8)], last) <= 0; k, v = c.Next() {
		if len(k) < 8 || len(v) != 16 || string(k[8:]) == a.ID ||
			fingerprint.Distance(a.Fingerprint, binary.BigEndian.Uint64(v)) > fingerprint.NearDuplicateBits {
			continue
		}
		cands = append(cands, candidate{seq: binary.BigEndian.Uint64(v[8:]), id: k[8:]})
	}
	slices.SortFunc(cands, func(x, y candidate) int { return cmp.Compare(x.seq, y.seq) })
	articles := tx.Bucket(bucketArticles)
	var sa []uint64
	for _, cand := range cands {
		raw := articles.Get(cand.id)
		if raw == nil {
			return "", fmt.Errorf("story entry of %s: no such article", cand.id)
		}
		rec, err := decodeRecord(cand.id, raw)
		if err != nil {
			return "", err
		}
		if !inWindow(a, rec.Article) {
			continue
		}
		if sa == nil {
			sa = fingerprint.Shingles(a.Body)
		}
		if !nearDuplicate(a, sa, rec.Article) {
			continue
		}
		if rec.Article.Cluster == "" { // archived before clustering
			return rec.Article.ID, nil
		}
		return rec.Article.Cluster, nil
	}
	return "", nil
}

// checkStories returns the problems of bucketStories: entries of missing
// articles or with the wrong key or fingerprint, and articles with a
// fingerprint but no entry or no cluster.
func checkStories(tx *bolt.Tx) []error {
	var errs []error
	articles, stories := tx.Bucket(bucketArticles), tx.Bucket(bucketStories)
	_ = stories.ForEach(func(k, v []byte) error {
		if len(k) < 8 || len(v) != 16 {
			errs = append(errs, fmt.Errorf("story entry %x: malformed", k))
			return nil
		}
		raw := articles.Get(k[8:])
		if raw == nil {
			errs = append(errs, fmt.Errorf("story entry of %s: no such article", k[8:]))
			return nil
		}
		rec, err := decodeRecord(k[8:], raw)
		if err != nil {
			return nil // reported with the article
		}
		if !bytes.Equal(storyKey(rec.Article), k) || !bytes.Equal(v, storyValue(rec.Article.Fingerprint, rec.Seq)) {
			errs = append(errs, fmt.Errorf("story entry of %s: does not match the article", k[8:]))
		}
		return nil
	})
	_ = articles.ForEach(func(id, raw []byte) error {
		rec, err := decodeRecord(id, raw)
		if err != nil || rec.Article.Fingerprint == 0 {
			return nil
		}
		if stories.Get(storyKey(rec.Article)) == nil {
			errs = append(errs, fmt.Errorf("article %s: fingerprint without story entry", id))
		}
		if rec.Article.Cluster == "" {
			errs = append(errs, fmt.Errorf("article %s: fingerprint without cluster", id))
		}
		return nil
	})
	return errs
}
