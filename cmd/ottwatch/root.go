package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp"
	"golang.org/x/term"
)

// streams are where a command reads and writes; tests replace them.
type streams struct {
	In       io.Reader
	Out, Err io.Writer
	// Terminal says whether Err is a terminal, where progress bars go.
	Terminal bool
	// Width is the width tables fit; 0 means Out's terminal width, else
	// $COLUMNS, else 120.
	Width int
}

// width returns the width tables printed to Out fit.
func (s *streams) width() int {
	if s.Width > 0 {
		return s.Width
	}
	return outputWidth(s.Out)
}

func defaultStreams() *streams {
	return &streams{In: os.Stdin, Out: os.Stdout, Err: os.Stderr, Terminal: term.IsTerminal(int(os.Stderr.Fd()))}
}

// globals are the options every command shares.
type globals struct {
	io         *streams
	dataDir    string
	configFile string
	index      string
	gazFile    string
	verbose    bool
	// clock tells the time to whatever computes schedules and windows.
	clock ottwatch.Clock
}

// gazetteer returns the gazetteer in --gazetteer, or the embedded one,
// with the entities of the data directory's overlay (overlayFile) added.
func (g *globals) gazetteer() (*nlp.Gazetteer, error) {
	overlay, err := os.ReadFile(g.overlayFile())
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("gazetteer overlay: %w", err)
	}
	if g.gazFile == "" && overlay == nil {
		return nlp.DefaultGazetteer(), nil
	}
	if g.gazFile == "" {
		gaz, err := nlp.LoadOverlay(bytes.NewReader(overlay))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", g.overlayFile(), err)
		}
		return gaz, nil
	}
	f, err := os.Open(g.gazFile)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	defer f.Close()
	gaz, err := nlp.LoadGazetteer(f, bytes.NewReader(overlay))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", g.gazFile, err)
	}
	return gaz, nil
}

// overlayFile is the data directory's gazetteer overlay: the entities
// 'ottwatch gazetteer add' adopted, added to the gazetteer in use.
func (g *globals) overlayFile() string {
	return filepath.Join(g.dataDir, "gazetteer-overlay.yaml")
}

// enricher returns an enricher for langs with the gazetteer in use.
func (g *globals) enricher(langs []string) (*nlp.Enricher, error) {
	gaz, err := g.gazetteer()
	if err != nil {
		return nil, err
	}
	e, err := nlp.New(nlp.WithLanguages(langs...), nlp.WithGazetteer(gaz))
	if err != nil {
		return nil, fmt.Errorf("languages: %w", err)
	}
	return e, nil
}

// logger returns the logger commands log through: warnings and errors on
// stderr, everything with --verbose.
func (g *globals) logger() *slog.Logger {
	level := slog.LevelWarn
	if g.verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(g.io.Err, &slog.HandlerOptions{Level: level}))
}

// newRootCmd returns the ottwatch command, reading and writing io and
// telling the time by clock.
func newRootCmd(io *streams, clock ottwatch.Clock) *cobra.Command {
	g := &globals{io: io, clock: clock}
	cmd := &cobra.Command{
		Use:   "ottwatch",
		Short: "Market intelligence on telecom and OTT entrants, from the news",
		Long: `ottwatch crawls news sites, extracts each article, detects its language,
tags the companies, regulators and courts it names, indexes it and searches it.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	cmd.SetIn(io.In)
	cmd.SetOut(io.Out)
	cmd.SetErr(io.Err)
	cmd.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return fmt.Errorf("%w (see '%s --help')", err, c.CommandPath())
	})
	cmd.PersistentFlags().StringVar(&g.dataDir, "data-dir", defaultDataDir(),
		"where ottwatch keeps its index (env OTTWATCH_DATA_DIR)")
	cmd.PersistentFlags().StringVar(&g.configFile, "config", defaultConfigFile(),
		"configuration file (env OTTWATCH_CONFIG)")
	cmd.PersistentFlags().StringVar(&g.index, "index", "",
		"index to use: bleve (embedded, the default) or meili (the default when MEILI_URL is set; env OTTWATCH_INDEX)")
	cmd.PersistentFlags().StringVar(&g.gazFile, "gazetteer", os.Getenv("OTTWATCH_GAZETTEER"),
		"gazetteer file to use instead of the embedded one (env OTTWATCH_GAZETTEER; see 'ottwatch entities')")
	cmd.PersistentFlags().BoolVarP(&g.verbose, "verbose", "v", false, "log every page and decision to stderr")
	cmd.AddCommand(
		newCrawlCmd(g),
		newSourcesCmd(g),
		newSyncCmd(g),
		newReindexCmd(g),
		newConfigCmd(g),
		newSearchCmd(g),
		newStoriesCmd(g),
		newShowCmd(g),
		newExtractCmd(g),
		newTagCmd(g),
		newEntitiesCmd(g),
		newTopicsCmd(g),
		newDiscoverCmd(g),
		newGazetteerCmd(g),
		newWatchlistsCmd(g),
		newDigestCmd(g),
		newNotifyCmd(g),
		newServeCmd(g),
		newVersionCmd(g),
		newArchiveCmd(g),
	)
	g.completeFilters(cmd)
	cmd.PersistentPreRunE = func(*cobra.Command, []string) error {
		if strings.TrimSpace(g.dataDir) == "" {
			return errors.New("--data-dir is empty: give a directory, or leave the flag out for the default")
		}
		return nil
	}
	return cmd
}

// defaultDataDir returns $OTTWATCH_DATA_DIR, or ottwatch's folder in the
// user's data directory.
func defaultDataDir() string {
	if d := os.Getenv("OTTWATCH_DATA_DIR"); d != "" {
		return d
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "ottwatch")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "ottwatch-data"
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Application Support", "ottwatch")
	case "windows":
		if d, err := os.UserCacheDir(); err == nil {
			return filepath.Join(d, "ottwatch")
		}
	}
	return filepath.Join(home, ".local", "share", "ottwatch")
}
