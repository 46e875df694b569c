package bleve

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

var _ index.Rebuilder = (*Index)(nil)

// Rebuild makes an empty index in a directory beside x's, lets fill write
// into it, and renames it into x's place, dropping the old index. Searches
// on x answer from the old index until the rename, and wait for it. When
// fill fails, x is left as it was.
func (x *Index) Rebuild(ctx context.Context, fill func(ctx context.Context, next ottwatch.Index) error) error {
	if err := x.writable(ctx); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	work, err := os.MkdirTemp(filepath.Dir(x.dir), "."+filepath.Base(x.dir)+".rebuild-")
	if err != nil {
		return fmt.Errorf("rebuild bleve index at %s: %w", x.dir, err)
	}
	defer os.RemoveAll(work)
	nextDir, oldDir := filepath.Join(work, "next"), filepath.Join(work, "old")
	idx, err := create(nextDir, x.config(), true)
	if err != nil {
		return fmt.Errorf("rebuild bleve index at %s: %w", x.dir, err)
	}
	next := &Index{dir: nextDir, opts: x.opts, idx: idx}
	err = fill(ctx, next)
	if cerr := next.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("rebuild bleve index at %s: %w", x.dir, err)
	}

	x.mu.Lock()
	defer x.mu.Unlock()
	if err := x.takeDown(); err != nil {
		return fmt.Errorf("rebuild: %w", err)
	}
	if err := os.Rename(x.dir, oldDir); err != nil {
		return fmt.Errorf("rebuild bleve index at %s: %w", x.dir, err)
	}
	var renameErr error
	if err := os.Rename(nextDir, x.dir); err != nil {
		// Put the old one back.
		renameErr = fmt.Errorf("rebuild bleve index at %s: %w", x.dir, err)
		if err := os.Rename(oldDir, x.dir); err != nil {
			return fmt.Errorf("%w; the old index is left at %s: %v", renameErr, oldDir, err)
		}
	}
	idx, err = open(x.dir, x.config())
	if err != nil {
		return fmt.Errorf("rebuild bleve index at %s: reopen: %w", x.dir, err)
	}
	x.idx, x.closed = idx, false
	return renameErr
}

// takeDown closes the open index so that another can take its directory;
// x.mu must be held. Until x.closed is false again, with the new index in
// x.idx, every method fails.
func (x *Index) takeDown() error {
	if x.closed {
		return errClosed
	}
	if err := x.idx.Close(); err != nil {
		return fmt.Errorf("close bleve index at %s: %w", x.dir, err)
	}
	x.closed = true
	return nil
}
