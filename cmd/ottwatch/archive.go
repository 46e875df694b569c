package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch/index"
)

// archiveUse is what a command wants of the archive.
type archiveUse int

const (
	// archiveWrite opens an archive that must exist, for writing.
	archiveWrite archiveUse = iota
	// archiveCrawl opens the archive for writing, creating it on the
	// first crawl of a data directory that holds no index yet.
	archiveCrawl
	// archiveRead opens an archive that must exist, read-only.
	archiveRead
)

// archiveFile is the archive's file in the data directory.
func (g *globals) archiveFile() string { return filepath.Join(g.dataDir, "archive.db") }

// openArchive opens the data directory's archive for use, with extra
// options. With fresh (crawl --new-archive) crawl starts a new archive
// where there is none or an empty file; a file that is not an archive, or a
// damaged one, is never replaced.
func (g *globals) openArchive(use archiveUse, fresh bool, extra ...index.ArchiveOption) (*index.Archive, error) {
	opts := extra
	used := g.indexLeftBehind()
	switch {
	case use == archiveRead:
		opts = append(opts, index.ReadOnly())
	case use == archiveCrawl && fresh:
		opts = append(opts, index.ReplaceEmpty())
	case use == archiveWrite || used != "":
		opts = append(opts, index.MustExist())
	}
	ar, err := index.OpenArchive(g.archiveFile(), opts...)
	switch {
	case err == nil:
		return ar, nil
	case errors.Is(err, index.ErrNoArchive) && use == archiveCrawl:
		return nil, fmt.Errorf("no archive in %s, which holds %s: restore archive.db from a backup, or pass --new-archive to start a new one", g.dataDir, used)
	case errors.Is(err, index.ErrNoArchive):
		return nil, fmt.Errorf("no archive in %s: run 'ottwatch crawl' first, restore archive.db from a backup, or pass --data-dir", g.dataDir)
	case errors.Is(err, index.ErrEmptyArchive):
		return nil, fmt.Errorf("%w: restore it from a backup, or run 'ottwatch crawl --new-archive' to start a new one", err)
	case errors.Is(err, index.ErrNotArchive):
		return nil, fmt.Errorf("%w: move it away, or pass another --data-dir", err)
	case errors.Is(err, index.ErrArchiveDamaged):
		return nil, fmt.Errorf("%w; nothing was written to it: 'ottwatch archive check' lists the damage and 'ottwatch archive recover' copies every readable article into a new archive", err)
	}
	return nil, err
}

// indexLeftBehind says what in the data directory shows it was used
// before (an index, a crawl's state), or "" for a directory never used.
func (g *globals) indexLeftBehind() string {
	for _, f := range []struct{ name, what string }{
		{"bleve", "an index (bleve)"},
		{"crawl-state.json", "the state of earlier crawls (crawl-state.json)"},
	} {
		if _, err := os.Stat(filepath.Join(g.dataDir, f.name)); !errors.Is(err, fs.ErrNotExist) {
			return f.what
		}
	}
	return ""
}

func newArchiveCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "archive",
		Short: "Check the archive of record, or recover what is readable of a damaged one",
		Long: `The archive (archive.db in the data directory) is the record of every article
ottwatch kept; indexes are rebuilt from it. 'archive check' reads it and
lists any damage; 'archive recover' copies every article it can read out of
a damaged archive into a new one.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newArchiveCheckCmd(g), newArchiveRecoverCmd(g))
	return cmd
}
