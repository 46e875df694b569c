package index

import (
	"context"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/ottwatch/ottwatch"
)

// ErrIndexIncomplete is returned by Verify when an index lacks articles its
// cursor in the archive says it holds: it was lost, emptied or replaced.
var ErrIndexIncomplete = errors.New("the index does not hold what its cursor says")

// ErrWouldEmpty is returned by Rebuild when the archive is empty and the
// index is not: rebuilding would throw away every document for nothing.
var ErrWouldEmpty = errors.New("the archive is empty and the index is not")

// verifySample is how many of the articles an index should hold Verify
// looks up in it.
const verifySample = 8

// Verify checks that the index called name holds what its cursor in the
// archive says: at least as many documents as there are articles archived
// up to the cursor, and a sample of those articles (spread evenly over
// the sequence, the first and the latest included) by id. It returns an error wrapping
// ErrIndexIncomplete, saying what is missing, when it does not.
func Verify(ctx context.Context, ar *Archive, name string, idx ottwatch.Searcher) error {
	cursor, err := ar.Cursor(name)
	if err != nil || cursor == 0 {
		return err
	}
	held, sample, err := ar.sampleUpTo(cursor, verifySample)
	if err != nil || held == 0 {
		return err
	}
	n, err := idx.Count(ctx)
	if err != nil {
		return fmt.Errorf("verify %s: count: %w", name, err)
	}
	if n < held {
		return fmt.Errorf("%w: it holds %d documents, the archive %d articles up to its cursor", ErrIndexIncomplete, n, held)
	}
	missing := 0
	for _, id := range sample {
		_, err := idx.Get(ctx, id)
		switch {
		case errors.Is(err, ottwatch.ErrNotFound):
			missing++
		case err != nil:
			return fmt.Errorf("verify %s: %w", name, err)
		}
	}
	if missing > 0 {
		return fmt.Errorf("%w: %d of %d articles looked up are missing", ErrIndexIncomplete, missing, len(sample))
	}
	return nil
}

// sampleUpTo returns how many articles were archived up to sequence seq
// and the ids of up to k of them, spread evenly, the first and the last
// included.
func (ar *Archive) sampleUpTo(seq uint64, k int) (int, []string, error) {
	var n int
	var ids []string
	err := ar.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSeq).Cursor()
		for key, _ := c.First(); key != nil && string(key) <= string(seqKey(seq)); key, _ = c.Next() {
			n++
		}
		if n == 0 {
			return nil
		}
		picks := map[int]bool{n - 1: true}
		for i := range min(k, n) - 1 {
			picks[i*(n-1)/(min(k, n)-1)] = true
		}
		i := 0
		for key, id := c.First(); key != nil && i < n; key, id = c.Next() {
			if picks[i] {
				ids = append(ids, string(id))
			}
			i++
		}
		return nil
	})
	if err != nil {
		return 0, nil, fmt.Errorf("archive: %w", err)
	}
	return n, ids, nil
}

// SyncVerified is Sync after Verify: when the index has lost articles its
// cursor says it holds (its directory removed, the server's index
// emptied), the cursor goes back to the start and the whole archive is
// delivered to it again. SyncStats.Rebuilt then says what was found.
func SyncVerified(ctx context.Context, ar *Archive, name string, idx ottwatch.Index, batch int) (SyncStats, error) {
	err := Verify(ctx, ar, name, idx)
	if errors.Is(err, ErrIndexIncomplete) {
		if err := ar.SetCursor(name, 0); err != nil {
			return SyncStats{}, fmt.Errorf("sync %s: %w", name, err)
		}
		st, serr := Sync(ctx, ar, name, idx, batch)
		st.Rebuilt = err.Error()
		return st, serr
	} else if err != nil {
		return SyncStats{}, fmt.Errorf("sync %s: %w", name, err)
	}
	return Sync(ctx, ar, name, idx, batch)
}
