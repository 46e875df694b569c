package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/bleve"
)

// openIndex opens the embedded index under the data directory. Commands
// that only read pass create=false and get a clear error when nothing was
// crawled yet.
func (g *globals) openIndex(create bool) (ottwatch.Index, error) {
	dir := filepath.Join(g.dataDir, "bleve")
	if !create {
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no index in %s: run 'ottwatch crawl' first, or pass --data-dir", g.dataDir)
		}
	}
	if err := os.MkdirAll(g.dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	idx, err := bleve.Open(dir)
	if err != nil {
		return nil, err
	}
	return idx, nil
}
