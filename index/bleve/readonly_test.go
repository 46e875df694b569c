package bleve

import (
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
)

// snapshot returns the hash of every file under dir, by path.
func snapshot(t *testing.T, dir string) map[string][32]byte {
	t.Helper()
	out := make(map[string][32]byte)
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[path] = sha256.Sum256(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameFiles(a, b map[string][32]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// readAll searches, counts and gets through x.
func readAll(t *testing.T, x *Index, id string) {
	t.Helper()
	ctx := context.Background()
	res, err := x.Search(ctx, ottwatch.Query{Text: "Agcom", Facets: true})
	if err != nil || res.Total == 0 {
		t.Fatalf("Search: %v, %v", res, err)
	}
	if n, err := x.Count(ctx); err != nil || n == 0 {
		t.Fatalf("Count: %d, %v", n, err)
	}
	if _, err := x.Get(ctx, id); err != nil {
		t.Fatalf("Get: %v", err)
	}
}

// Item 11 of the reliability report: searching opened the index for
// writing, so its files changed on every request and a read-only copy
// could not be searched.
func TestReadOnly(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	w, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	articles := indextest.Corpus(200)
	if err := w.Upsert(context.Background(), articles); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, dir)

	// Read-only copies: the directory and files without write permission.
	if err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		mode := fs.FileMode(0o444)
		if d.IsDir() {
			mode = 0o555
		}
		return os.Chmod(path, mode)
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err == nil {
				os.Chmod(path, 0o755)
			}
			return nil
		})
	})

	// Two readers at once, as 'serve' and 'search' are.
	r1, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatalf("open read-only: %v", err)
	}
	r2, err := Open(dir, ReadOnly())
	if err != nil {
		t.Fatalf("open read-only a second time: %v", err)
	}
	readAll(t, r1, articles[0].ID)
	readAll(t, r2, articles[1].ID)
	ctx := context.Background()
	for name, write := range map[string]func() error{
		"Upsert": func() error { return r1.Upsert(ctx, articles[:1]) },
		"Delete": func() error { return r1.Delete(ctx, []string{articles[0].ID}) },
		"Reset":  func() error { return r1.Reset(ctx) },
		"Rebuild": func() error {
			return r1.Rebuild(ctx, func(context.Context, ottwatch.Index) error { return nil })
		},
	} {
		if err := write(); !errors.Is(err, ErrReadOnly) {
			t.Errorf("%s on a read-only index: %v, want ErrReadOnly", name, err)
		}
	}
	for _, x := range []*Index{r1, r2} {
		if err := x.Close(); err != nil {
			t.Fatal(err)
		}
	}
	if after := snapshot(t, dir); !sameFiles(before, after) {
		t.Errorf("reading changed the index files: %d files before, %d after", len(before), len(after))
	}
}

func TestReadOnlyCreatesNothing(t *testing.T) {
	for _, empty := range []bool{false, true} {
		dir := filepath.Join(t.TempDir(), "index")
		if empty {
			if err := os.Mkdir(dir, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := Open(dir, ReadOnly()); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("empty=%v: %v, want fs.ErrNotExist", empty, err)
		}
		entries, _ := os.ReadDir(filepath.Dir(dir))
		if want := map[bool]int{false: 0, true: 1}[empty]; len(entries) != want {
			t.Errorf("empty=%v: %d entries left, want %d", empty, len(entries), want)
		}
	}
}
