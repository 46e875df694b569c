package ingest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/ottwatch/ottwatch/crawler"
)

// maxRuns is how many recent crawls of each source the state keeps.
const maxRuns = 20

// State is what crawls remember between runs, in crawl-state.json in the
// data directory: the validators of feeds and sitemaps, for conditional
// requests, and how each source fared. It is a crawler.Validators.
type State struct {
	path string
	mu   sync.Mutex

	HTTP    map[string]validators    `json:"http"`
	Sources map[string]*SourceHealth `json:"sources"`
}

// validators are what a feed's or sitemap's last answer said of its
// version.
type validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// SourceHealth is how a source fared in its recent crawls.
type SourceHealth struct {
	LastSuccess time.Time   `json:"last_success,omitzero"`
	Runs        []SourceRun `json:"runs"` // most recent last
}

// SourceRun is one crawl of a source.
type SourceRun struct {
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Stats    crawler.Stats `json:"stats"`
	Error    string        `json:"error,omitempty"`
}

// OK reports whether the run fetched something and did not fail.
func (r SourceRun) OK() bool { return r.Error == "" && r.Stats.Fetched > 0 }

// LoadState reads the crawl state of a data directory; a missing file is an
// empty state.
func LoadState(dataDir string) (*State, error) {
	s := &State{path: filepath.Join(dataDir, "crawl-state.json"),
		HTTP: make(map[string]validators), Sources: make(map[string]*SourceHealth)}
	data, err := os.ReadFile(s.path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	} else if err != nil {
		return nil, fmt.Errorf("crawl state: %w", err)
	}
	if err := json.Unmarshal(data, s); err != nil {
		return nil, fmt.Errorf("crawl state %s: %w (remove the file to start afresh)", s.path, err)
	}
	if s.HTTP == nil {
		s.HTTP = make(map[string]validators)
	}
	if s.Sources == nil {
		s.Sources = make(map[string]*SourceHealth)
	}
	return s, nil
}

// Validators returns what the last crawl learnt of a feed or sitemap.
func (s *State) Validators(url string) (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v := s.HTTP[url]
	return v.ETag, v.LastModified
}

// SetValidators remembers a feed's or sitemap's validators.
func (s *State) SetValidators(url, etag, lastModified string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if etag == "" && lastModified == "" {
		delete(s.HTTP, url)
		return
	}
	s.HTTP[url] = validators{etag, lastModified}
}

// Record adds a crawl of the named source.
func (s *State) Record(name string, run SourceRun) {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.Sources[name]
	if h == nil {
		h = &SourceHealth{}
		s.Sources[name] = h
	}
	h.Runs = append(h.Runs, run)
	if len(h.Runs) > maxRuns {
		h.Runs = h.Runs[len(h.Runs)-maxRuns:]
	}
	if run.OK() {
		h.LastSuccess = run.Started
	}
}

// Save writes the state to a temporary file and renames it into place, so
// a crash never leaves half a file.
func (s *State) Save() error {
	s.mu.Lock()
	data, err := json.MarshalIndent(s, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".crawl-state-*")
	if err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("crawl state: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	if err := os.Rename(tmp.Name(), s.path); err != nil {
		return fmt.Errorf("crawl state: %w", err)
	}
	return nil
}
