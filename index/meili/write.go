package meili

import (
	"bytes"
	"context"
	"fmt"

	"github.com/ottwatch/ottwatch"
)

// Upsert adds or replaces articles, keyed by id. All articles are checked
// before any is sent: one that is nil, has no id or an id Meilisearch
// refuses fails the call. They are sent in batches (WithBatch), each an
// add-or-replace task, all sent before Upsert waits for them in order; it
// returns when every task has succeeded. A call of several batches is not
// atomic: when one fails, the others may have been written. When one id
// appears twice, the last article wins.
func (x *Index) Upsert(ctx context.Context, articles []*ottwatch.Article) error {
	if err := x.use(ctx); err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	docs := make([][]byte, len(articles))
	for i, a := range articles {
		raw, err := encodeDocument(a)
		if err != nil {
			return fmt.Errorf("upsert article %d of %d: %w", i+1, len(articles), err)
		}
		docs[i] = raw
	}
	batches := splitBatches(docs, x.opts.batchDocs, x.opts.batchBytes)
	tasks := make([]int64, 0, len(batches))
	done := 0
	for i, b := range batches {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("upsert: after %d of %d articles: %w", done, len(articles), err)
		}
		info, err := x.idx.AddDocumentsWithContext(ctx, b.body, nil)
		if err != nil {
			return fmt.Errorf("upsert: send batch %d of %d (articles %d-%d): %w", i+1, len(batches), b.first+1, b.first+b.n, convert(err))
		}
		tasks = append(tasks, info.TaskUID)
		done += b.n
	}
	for i, uid := range tasks {
		if err := x.await(ctx, uid); err != nil {
			b := batches[i]
			return fmt.Errorf("upsert: batch %d of %d (articles %d-%d): %w", i+1, len(batches), b.first+1, b.first+b.n, err)
		}
	}
	return nil
}

// batch is a JSON array of documents first..first+n-1.
type batch struct {
	body     []byte
	first, n int
}

// splitBatches groups encoded documents into JSON arrays of at most
// maxDocs documents and maxBytes bytes; a document larger than maxBytes
// makes a batch of its own.
func splitBatches(docs [][]byte, maxDocs, maxBytes int) []batch {
	var out []batch
	var buf bytes.Buffer
	first, n := 0, 0
	flush := func() {
		if n == 0 {
			return
		}
		buf.WriteByte(']')
		out = append(out, batch{body: bytes.Clone(buf.Bytes()), first: first, n: n})
		buf.Reset()
		n = 0
	}
	for i, d := range docs {
		if n > 0 && (n >= maxDocs || buf.Len()+1+len(d)+1 > maxBytes) {
			flush()
		}
		if n == 0 {
			first = i
			buf.WriteByte('[')
		} else {
			buf.WriteByte(',')
		}
		buf.Write(d)
		n++
	}
	flush()
	return out
}

// Delete removes articles by id; missing ids are not an error, nor are
// empty ids or ids Meilisearch could not hold, which are skipped.
func (x *Index) Delete(ctx context.Context, ids []string) error {
	if err := x.use(ctx); err != nil {
		return fmt.Errorf("delete: %w", err)
	}
	var valid []string
	for _, id := range ids {
		if validID(id) {
			valid = append(valid, id)
		}
	}
	for start := 0; start < len(valid); start += x.opts.batchDocs {
		end := min(start+x.opts.batchDocs, len(valid))
		info, err := x.idx.DeleteDocumentsWithContext(ctx, valid[start:end], nil)
		if err != nil {
			return fmt.Errorf("delete articles %d-%d of %d: %w", start+1, end, len(valid), convert(err))
		}
		if err := x.await(ctx, info.TaskUID); err != nil {
			return fmt.Errorf("delete articles %d-%d of %d: %w", start+1, end, len(valid), err)
		}
	}
	return nil
}

// Reset removes every article, keeping the index and its settings.
func (x *Index) Reset(ctx context.Context) error {
	if err := x.use(ctx); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	info, err := x.idx.DeleteAllDocumentsWithContext(ctx, nil)
	if err != nil {
		return fmt.Errorf("reset: %w", convert(err))
	}
	if err := x.await(ctx, info.TaskUID); err != nil {
		return fmt.Errorf("reset: %w", err)
	}
	return nil
}
