package bleve

import (
	"context"
	"fmt"
	"os"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// Upsert adds or replaces articles, keyed by id. All articles are checked
// before any is written: one that is nil or has no id fails the call. When
// one id appears twice, the last article wins.
func (x *Index) Upsert(ctx context.Context, articles []*ottwatch.Article) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	docs := make([]map[string]any, len(articles))
	for i, a := range articles {
		doc, err := index.Document(a)
		if err != nil {
			return fmt.Errorf("upsert article %d of %d: %w", i+1, len(articles), err)
		}
		// Bleve keeps datetimes as Unix nanoseconds: an article published
		// outside them is stored but has no indexed date, like one with none.
		for _, f := range []string{index.FieldPublished, index.FieldFetched} {
			if t, ok := doc[f].(time.Time); ok && (t.Before(document.MinTimeRepresentable) || t.After(document.MaxTimeRepresentable)) {
				delete(doc, f)
			}
		}
		docs[i] = doc
	}
	return x.batches(ctx, "upsert", len(docs), func(b *blevesearch.Batch, i int) error {
		return b.Index(articles[i].ID, docs[i])
	})
}

// Delete removes articles by id; missing and empty ids are not an error.
func (x *Index) Delete(ctx context.Context, ids []string) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	return x.batches(ctx, "delete", len(ids), func(b *blevesearch.Batch, i int) error {
		if ids[i] != "" {
			b.Delete(ids[i])
		}
		return nil
	})
}

// Reset removes every article by making the index anew in its directory.
func (x *Index) Reset(ctx context.Context) error {
	if err := x.writable(ctx); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.takeDown(); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	if err := os.RemoveAll(x.dir); err != nil {
		return fmt.Errorf("reset bleve index at %s: %w", x.dir, err)
	}
	idx, err := create(x.dir, x.config(), true)
	if err != nil {
		return fmt.Errorf("reset bleve index at %s: %w", x.dir, err)
	}
	x.idx, x.closed = idx, false
	return nil
}

// batches writes n operations in batches of the configured size, adding
// operation i to its batch with add, and checks ctx between batches.
func (x *Index) batches(ctx context.Context, op string, n int, add func(b *blevesearch.Batch, i int) error) error {
	if err := x.writable(ctx); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return x.use(func(idx blevesearch.Index) error {
		for start := 0; start < n; start += x.opts.batchSize {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("%s: after %d of %d: %w", op, start, n, err)
			}
			end := min(start+x.opts.batchSize, n)
			b := idx.NewBatch()
			for i := start; i < end; i++ {
				if err := add(b, i); err != nil {
					return fmt.Errorf("%s: item %d of %d: %w", op, i+1, n, err)
				}
			}
			if err := idx.Batch(b); err != nil {
				return fmt.Errorf("%s: write items %d-%d of %d: %w", op, start+1, end, n, err)
			}
		}
		return nil
	})
}

// writable reports why x cannot be written to now: ctx is done, or x was
// opened ReadOnly.
func (x *Index) writable(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if x.opts.readOnly {
		return fmt.Errorf("%s: %w", x.dir, ErrReadOnly)
	}
	return nil
}
