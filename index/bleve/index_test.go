package bleve

import (
	"errors"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
)

// openTemp opens a fresh index in a temporary directory, closed when the
// test ends.
func openTemp(t *testing.T) *Index {
	t.Helper()
	x, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := x.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return x
}

func TestSuite(t *testing.T) {
	indextest.Run(t, func(t *testing.T) ottwatch.Index { return openTemp(t) })
}

// TestDifferences checks the documented differences from Meilisearch.
func TestDifferences(t *testing.T) {
	indextest.Differences(t, indextest.Bleve, func(t *testing.T) ottwatch.Index { return openTemp(t) })
}

func TestSuiteSmallBatches(t *testing.T) {
	indextest.Run(t, func(t *testing.T) ottwatch.Index {
		x, err := Open(t.TempDir(), WithBatchSize(3))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		t.Cleanup(func() { _ = x.Close() })
		return x
	})
}

func TestPersists(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	x, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	fx := indextest.Fixtures()
	if err := x.Upsert(t.Context(), []*ottwatch.Article{fx[indextest.It1], fx[indextest.Fr1]}); err != nil {
		t.Fatal(err)
	}
	if err := x.Delete(t.Context(), []string{fx[indextest.Fr1].ID}); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Fatal(err)
	}
	if err := x.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := x.Count(t.Context()); err == nil {
		t.Errorf("Count after Close: no error")
	}

	y, err := Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer y.Close()
	if n, err := y.Count(t.Context()); err != nil || n != 1 {
		t.Errorf("Count after reopen = %d, %v; want 1", n, err)
	}
	got, err := y.Get(t.Context(), fx[indextest.It1].ID)
	if err != nil || got.Title != fx[indextest.It1].Title {
		t.Errorf("Get after reopen = %v, %v", got, err)
	}
	res, err := y.Search(t.Context(), ottwatch.Query{Text: "telecomunicazione"})
	if err != nil || res.Total != 1 {
		t.Errorf("Search after reopen = %+v, %v; want 1 hit", res, err)
	}
}

func TestOpenRejects(t *testing.T) {
	// valid makes a real index in dir and closes it.
	valid := func(t *testing.T, dir string) {
		x, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := x.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]}); err != nil {
			t.Fatal(err)
		}
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write := func(t *testing.T, path, data string) {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name    string
		setup   func(t *testing.T, dir string)
		wantErr error // nil: any error
		// mayOpen allows Open to succeed: Bleve skips a snapshot whose
		// segments it cannot load and falls back to an older one.
		mayOpen bool
	}{
		{"other files", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, "notes.txt"), "hello")
		}, ErrNotIndex, false},
		{"garbage meta", func(t *testing.T, dir string) {
			valid(t, dir)
			write(t, filepath.Join(dir, metaFile), "\x00\x01garbage{")
		}, ErrNotIndex, false},
		{"meta without store", func(t *testing.T, dir string) {
			write(t, filepath.Join(dir, metaFile), `{"storage":"boltdb","index_type":"scorch"}`)
		}, ErrNotIndex, false},
		{"unknown index type", func(t *testing.T, dir string) {
			valid(t, dir)
			write(t, filepath.Join(dir, metaFile), `{"storage":"nope","index_type":"nope"}`)
		}, ErrNotIndex, false},
		{"empty store", func(t *testing.T, dir string) {
			valid(t, dir)
			if err := os.RemoveAll(filepath.Join(dir, storeDir)); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(dir, storeDir), 0o755); err != nil {
				t.Fatal(err)
			}
		}, ErrNotIndex, false},
		{"corrupt segment", func(t *testing.T, dir string) {
			// Scorch logs the snapshot it skips to the standard logger.
			w := log.Writer()
			log.SetOutput(io.Discard)
			t.Cleanup(func() { log.SetOutput(w) })
			valid(t, dir)
			segs, err := filepath.Glob(filepath.Join(dir, storeDir, "*.zap"))
			if err != nil || len(segs) == 0 {
				t.Fatalf("no segment: %v", err)
			}
			for _, p := range segs {
				b, err := os.ReadFile(p)
				if err != nil {
					t.Fatal(err)
				}
				for i := len(b) / 3; i < len(b)-20; i += 7 {
					b[i] ^= 0x5a
				}
				write(t, p, string(b))
			}
		}, ErrNotIndex, true},
		{"garbage store", func(t *testing.T, dir string) {
			valid(t, dir)
			store := filepath.Join(dir, storeDir)
			entries, err := os.ReadDir(store)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				write(t, filepath.Join(store, e.Name()), strings.Repeat("garbage!", 512))
			}
		}, ErrNotIndex, false},
		{"truncated store", func(t *testing.T, dir string) {
			valid(t, dir)
			store := filepath.Join(dir, storeDir)
			entries, err := os.ReadDir(store)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if err := os.Truncate(filepath.Join(store, e.Name()), 100); err != nil {
					t.Fatal(err)
				}
			}
		}, ErrNotIndex, false},
		{"plain bleve index", func(t *testing.T, dir string) {
			valid(t, dir)
			x, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := x.idx.DeleteInternal(schemaKey); err != nil {
				t.Fatal(err)
			}
			x.Close()
		}, ErrNotIndex, false},
		{"other schema", func(t *testing.T, dir string) {
			valid(t, dir)
			x, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := x.idx.SetInternal(schemaKey, []byte("0")); err != nil {
				t.Fatal(err)
			}
			x.Close()
		}, ErrSchema, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			tt.setup(t, dir)
			x, err := Open(dir)
			if err == nil && tt.mayOpen {
				defer x.Close()
				// Whatever it kept, it must answer without panicking.
				if _, err := x.Count(t.Context()); err != nil {
					t.Logf("Count: %v", err)
				}
				if _, err := x.Search(t.Context(), ottwatch.Query{Text: "Agcom", Facets: true}); err != nil {
					t.Logf("Search: %v", err)
				}
				return
			}
			if err == nil {
				x.Close()
				t.Fatalf("Open: no error")
			}
			if tt.wantErr != nil && !errors.Is(err, tt.wantErr) {
				t.Errorf("Open: %v; want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "open bleve index at "+dir) {
				t.Errorf("Open: %v; want the directory in the message", err)
			}
			t.Log(err)
		})
	}

	t.Run("file", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "file")
		write(t, path, "x")
		if x, err := Open(path); err == nil {
			x.Close()
			t.Errorf("Open of a file: no error")
		}
	})
	t.Run("empty path", func(t *testing.T) {
		if x, err := Open(""); err == nil {
			x.Close()
			t.Errorf("Open(\"\"): no error")
		}
	})
}
