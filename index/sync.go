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
	// Rebuilt says why the whole archive was delivered again, when the
	// index had lost what its cursor said it held (see SyncVerified).
	Rebuilt string `json:"rebuilt,omitempty"`
}

// Sync brings the index called name up to date with the archive: it sends,
// in batches, every article written after the index's cursor, and advances
// the cursor only once the index has confirmed a batch. When the index
// fails, Sync stops: the cursor stays where the index's last confirmed
// batch left it and the rest waits in the archive for the next Sync.
func Sync(ctx context.Context, ar *Archive, name string, idx ottwatch.Writer, batch int) (SyncStats, error) {
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

// Rebuilder is an index that can be rebuilt while it answers searches:
// Rebuild makes an empty index beside it, lets fill write into it, and
// then puts it in its place in one step, dropping the old one.
type Rebuilder interface {
	Rebuild(ctx context.Context, fill func(ctx context.Context, next ottwatch.Index) error) error
}

// Rebuild fills the index called name anew with the whole archive. A
// Rebuilder keeps answering searches with what it held until the new
// index takes its place; any other index is emptied and filled in place.
// Articles archived meanwhile are delivered after the swap.
//
// Rebuild refuses, with ErrWouldEmpty, to rebuild an index that holds
// documents from an empty archive.
func Rebuild(ctx context.Context, ar *Archive, name string, idx ottwatch.Index, batch int) (SyncStats, error) {
	if n, err := ar.Count(); err != nil {
		return SyncStats{}, fmt.Errorf("rebuild %s: %w", name, err)
	} else if n == 0 {
		held, err := idx.Count(ctx)
		if err != nil {
			return SyncStats{}, fmt.Errorf("rebuild %s: %w", name, err)
		}
		if held > 0 {
			return SyncStats{}, fmt.Errorf("rebuild %s: %w (it holds %d documents)", name, ErrWouldEmpty, held)
		}
	}
	r, ok := idx.(Rebuilder)
	if !ok {
		if err := ar.SetCursor(name, 0); err != nil {
			return SyncStats{}, err
		}
		if err := idx.Reset(ctx); err != nil {
			return SyncStats{}, fmt.Errorf("rebuild %s: empty the index: %w", name, err)
		}
		return Sync(ctx, ar, name, idx, batch)
	}
	// The new index has a cursor of its own until it takes the place of
	// the old one, whose cursor others may advance meanwhile.
	next := name + "#rebuild"
	if err := ar.SetCursor(next, 0); err != nil {
		return SyncStats{}, err
	}
	var st SyncStats
	err := r.Rebuild(ctx, func(ctx context.Context, x ottwatch.Index) error {
		var err error
		st, err = Sync(ctx, ar, next, x, batch)
		return err
	})
	if err != nil {
		return st, fmt.Errorf("rebuild %s: %w", name, err)
	}
	if err := ar.SetCursor(name, st.Cursor); err != nil {
		return st, err
	}
	more, err := Sync(ctx, ar, name, idx, batch)
	more.Delivered += st.Delivered
	return more, err
}
