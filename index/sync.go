package index

import (
	"context"
	"fmt"

	"github.com/ottwatch/ottwatch"
)

// DefaultSyncBatch is how many articles Sync sends an index at once.
const DefaultSyncBatch = 500

// SyncStats says what a Sync did.
type SyncStats struct {
	Delivered int    `json:"delivered"` // articles the index confirmed
	Waiting   int    `json:"waiting"`   // articles still to deliver (after an error)
	Cursor    uint64 `json:"cursor"`    // last sequence the index holds
}

// Sync brings the index called name up to date with the archive: it sends,
// in batches, every article written after the index's cursor, and advances
// the cursor only once the index has confirmed a batch. When the index
// fails, Sync stops: the cursor stays where the index's last confirmed
// batch left it and the rest waits in the archive for the next Sync.
func Sync(ctx context.Context, ar *Archive, name string, idx ottwatch.Index, batch int) (SyncStats, error) {
	if batch <= 0 {
		batch = DefaultSyncBatch
	}
	var st SyncStats
	cursor, err := ar.Cursor(name)
	if err != nil {
		return st, fmt.Errorf("sync %s: %w", name, err)
	}
	st.Cursor = cursor
	for {
		entries, err := ar.After(st.Cursor, batch)
		if err != nil {
			return st, fmt.Errorf("sync %s: %w", name, err)
		}
		if len(entries) == 0 {
			return st, nil
		}
		articles := make([]*ottwatch.Article, len(entries))
		for i, e := range entries {
			articles[i] = e.Article
		}
		if err := idx.Upsert(ctx, articles); err != nil {
			st.Waiting, _ = ar.countAfter(st.Cursor)
			return st, fmt.Errorf("sync %s: %w", name, err)
		}
		last := entries[len(entries)-1].Seq
		if err := ar.SetCursor(name, last); err != nil {
			return st, fmt.Errorf("sync %s: %w", name, err)
		}
		st.Cursor = last
		st.Delivered += len(entries)
	}
}

// Waiting returns how many articles the index called name does not hold
// yet.
func Waiting(ar *Archive, name string) (int, error) {
	cursor, err := ar.Cursor(name)
	if err != nil {
		return 0, err
	}
	return ar.countAfter(cursor)
}
