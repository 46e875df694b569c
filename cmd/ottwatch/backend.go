package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/bleve"
)

// backend is an open index and the name its cursor has in the archive.
// Its Search widens entity filters and facets to the entities under them
// (index.ScopedSearch); the embedded Index searches as the backend does.
type backend struct {
	ottwatch.Index
	Name string // "bleve", or "meili:URL/UID"
	Kind string // bleve or meili
	tree ottwatch.EntityTree
}

// EntityTree returns the hierarchy of the gazetteer in use.
func (b *backend) EntityTree() ottwatch.EntityTree { return b.tree }

// Search runs q with its entities widened to the entities under them, as
// the gazetteer in use arranges them.
func (b *backend) Search(ctx context.Context, q ottwatch.Query) (*ottwatch.Results, error) {
	return index.ScopedSearch(ctx, b.Index, b.tree, q)
}

// settings returns the effective settings, with --index (or the value of
// reindex's --backend) when given.
func (g *globals) settings(indexFlag string) (*settings, error) {
	if indexFlag == "" {
		indexFlag = g.index
	}
	return loadSettings(g.configFile, indexFlag)
}

// openBackend opens the configured index. Commands that only read pass
// create=false: they get a clear error when nothing was crawled yet, and
// the Bleve index opened read-only, which changes nothing on disk and can
// be a copy without write permission.
func (g *globals) openBackend(ctx context.Context, s *settings, create bool) (*backend, error) {
	gaz, err := g.gazetteer()
	if err != nil {
		return nil, err
	}
	if s.Index.Value == backendMeili {
		idx, err := g.openMeili(ctx, s)
		if err != nil {
			return nil, err
		}
		return &backend{Index: idx, Name: cursorName(s), Kind: backendMeili, tree: gaz}, nil
	}
	dir := filepath.Join(g.dataDir, "bleve")
	if !create {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no index in %s: run 'ottwatch crawl' first, or pass --data-dir", g.dataDir)
		}
	}
	var opts []bleve.Option
	if !create {
		opts = append(opts, bleve.ReadOnly())
	}
	idx, err := bleve.Open(dir, opts...)
	if errors.Is(err, bleve.ErrNotIndex) || errors.Is(err, bleve.ErrSchema) {
		return nil, fmt.Errorf("%w; the index is rebuilt from the archive by 'ottwatch reindex'", err)
	} else if err != nil {
		return nil, err
	}
	return &backend{Index: idx, Name: cursorName(s), Kind: backendBleve, tree: gaz}, nil
}

// discardBrokenBleve removes the data directory's Bleve index when it is
// damaged or of another schema, so that reindex can make it anew: it is a
// projection of the archive, which keeps everything.
func (g *globals) discardBrokenBleve() error {
	dir := filepath.Join(g.dataDir, "bleve")
	idx, err := bleve.Open(dir)
	switch {
	case err == nil:
		return idx.Close()
	case errors.Is(err, bleve.ErrNotIndex) || errors.Is(err, bleve.ErrSchema):
		g.logger().Warn("removing the damaged index to rebuild it", "dir", dir, "err", err)
		return os.RemoveAll(dir)
	}
	return err
}

// openReader opens the configured index for a command that only reads it.
func (g *globals) openReader(ctx context.Context) (*backend, error) {
	s, err := g.settings("")
	if err != nil {
		return nil, err
	}
	return g.openBackend(ctx, s, false)
}

// cursorName is the name of the configured index's cursor in the archive:
// each Meilisearch index has its own, the data directory's Bleve index one.
func cursorName(s *settings) string {
	if s.Index.Value == backendMeili {
		return "meili:" + strings.TrimRight(redactURL(s.MeiliURL.Value), "/") + "/" + s.MeiliIndex.Value
	}
	return backendBleve
}

// syncIndex opens the configured index and brings it up to date with the
// archive, batch articles per request.
func (g *globals) syncIndex(ctx context.Context, ar *index.Archive, s *settings, batch int) (index.SyncStats, *backend, error) {
	be, err := g.openBackend(ctx, s, true)
	if err != nil {
		return index.SyncStats{}, nil, g.undelivered(ar, s, err)
	}
	defer be.Close()
	st, err := index.SyncVerified(ctx, ar, be.Name, be, batch)
	if st.Rebuilt != "" {
		g.logger().Warn("the index had lost articles; the whole archive was delivered to it again", "index", be.Kind, "found", st.Rebuilt)
	}
	if err != nil {
		return st, be, g.undelivered(ar, s, err)
	}
	return st, be, nil
}

// undelivered explains a failed sync: what waits in the archive and how to
// deliver it.
func (g *globals) undelivered(ar *index.Archive, s *settings, err error) error {
	waiting, werr := index.Waiting(ar, cursorName(s))
	if werr != nil {
		return err
	}
	if meiliUnreachable(err) {
		return fmt.Errorf("Meilisearch at %s is unreachable; %d articles wait in the archive and 'ottwatch sync' will deliver them (%w)",
			redactURL(s.MeiliURL.Value), waiting, err)
	}
	return fmt.Errorf("%d articles wait in the archive for the index; 'ottwatch sync' will deliver them (%w)", waiting, err)
}
