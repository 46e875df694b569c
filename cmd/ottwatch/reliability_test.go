package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/index/bleve"
)

// fixtureArticles is how many articles a crawl of the fixture site keeps.
const fixtureArticles = 14

// copyOfCrawled returns a copy of a data directory that crawled the
// fixture site, for a test to damage.
func copyOfCrawled(t *testing.T) string {
	t.Helper()
	dst := filepath.Join(t.TempDir(), "data")
	if err := os.CopyFS(dst, os.DirFS(crawledDataDir(t))); err != nil {
		t.Fatal(err)
	}
	return dst
}

// indexed returns how many documents the data directory's Bleve index
// holds.
func indexed(t *testing.T, dataDir string) int {
	t.Helper()
	idx, err := bleve.Open(filepath.Join(dataDir, "bleve"))
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	n, err := idx.Count(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// wantOneLineError checks that a command failed with one line that says
// want.
func wantOneLineError(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want one saying %q", want)
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, want) {
		t.Fatalf("error %q, want one line saying %q", msg, want)
	}
}

// TestReliabilityArchiveNotRecreated: an empty, missing or foreign file
// where the archive should be is an error, not a new archive, and reindex
// never empties an index from an empty archive (issue 9, item 3).
func TestReliabilityArchiveNotRecreated(t *testing.T) {
	site := siteDir(t)
	tests := []struct {
		name    string
		prepare func(t *testing.T, archive string)
		args    []string
		want    string // in the error; "" for success
	}{
		{"zero bytes: sync", truncateTo(0), []string{"sync"}, "empty"},
		{"zero bytes: reindex", truncateTo(0), []string{"reindex"}, "empty"},
		{"zero bytes: crawl", truncateTo(0), []string{"crawl", "--delay", "0", site}, "--new-archive"},
		{"zero bytes: crawl --new-archive", truncateTo(0), []string{"crawl", "--delay", "0", "--new-archive", site}, ""},
		{"missing: sync", remove, []string{"sync"}, "no archive"},
		{"missing: reindex", remove, []string{"reindex"}, "no archive"},
		{"missing, index left: crawl", remove, []string{"crawl", "--delay", "0", site}, "--new-archive"},
		{"missing: crawl --new-archive", remove, []string{"crawl", "--delay", "0", "--new-archive", site}, ""},
		{"foreign file: crawl --new-archive", foreign, []string{"crawl", "--delay", "0", "--new-archive", site}, "not an ottwatch archive"},
		{"foreign file: sync", foreign, []string{"sync"}, "not an ottwatch archive"},
		{"empty archive: reindex", emptyArchive, []string{"reindex"}, "the archive is empty and the index is not"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := copyOfCrawled(t)
			archive := filepath.Join(dir, "archive.db")
			tt.prepare(t, archive)
			before, _ := os.ReadFile(archive)
			_, _, err := run(t, "", append([]string{"--data-dir", dir}, tt.args...)...)
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				if n := indexed(t, dir); n != fixtureArticles {
					t.Errorf("index holds %d documents, want %d", n, fixtureArticles)
				}
				return
			}
			wantOneLineError(t, err, tt.want)
			if after, _ := os.ReadFile(archive); !bytes.Equal(before, after) && !strings.HasPrefix(tt.name, "empty archive") {
				t.Error("the file where the archive should be was changed")
			}
			if n := indexed(t, dir); n != fixtureArticles {
				t.Errorf("index holds %d documents, want the %d it held", n, fixtureArticles)
			}
		})
	}
	t.Run("first crawl of a new data directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "new")
		if _, _, err := run(t, "", "--data-dir", dir, "crawl", "--delay", "0", site); err != nil {
			t.Fatal(err)
		}
		if n := indexed(t, dir); n != fixtureArticles {
			t.Errorf("index holds %d documents", n)
		}
	})
}

func truncateTo(n int64) func(*testing.T, string) {
	return func(t *testing.T, path string) {
		if err := os.Truncate(path, n); err != nil {
			t.Fatal(err)
		}
	}
}

func remove(t *testing.T, path string) {
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func foreign(t *testing.T, path string) {
	if err := os.WriteFile(path, []byte(strings.Repeat("my notes\n", 2000)), 0o644); err != nil {
		t.Fatal(err)
	}
}

func emptyArchive(t *testing.T, path string) {
	remove(t, path)
	ar, err := index.OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	ar.Close()
}

// TestReliabilityDamagedArchive: a damaged archive gives one error line
// and is never written to, by any command, and 'archive recover' then
// 'reindex' bring back every article (issue 9, item 4).
func TestReliabilityDamagedArchive(t *testing.T) {
	damages := []struct {
		name   string
		damage func([]byte) []byte
	}{
		{"truncated to half", func(b []byte) []byte { return b[:len(b)/2] }},
		{"freelist page zeroed", zeroFreelist(t)},
	}
	pages := 32 // the fixture's archive is 128 KB
	step := 1
	if testing.Short() {
		step = 5
	}
	for p := 2; p < pages; p += step {
		damages = append(damages, struct {
			name   string
			damage func([]byte) []byte
		}{fmt.Sprintf("zeros over page %d", p), func(b []byte) []byte {
			off := p * 4096
			if off < len(b) {
				clear(b[off:min(off+4096, len(b))])
			}
			return b
		}})
	}
	detected := 0
	for _, d := range damages {
		t.Run(d.name, func(t *testing.T) {
			dir := copyOfCrawled(t)
			archive := filepath.Join(dir, "archive.db")
			data, err := os.ReadFile(archive)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(archive, d.damage(data), 0o644); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(archive)
			_, _, err = run(t, "", "--data-dir", dir, "archive", "check")
			if err == nil {
				return // a page the archive does not use
			}
			detected++
			wantOneLineError(t, err, "damaged")
			for _, args := range [][]string{{"sync"}, {"reindex"}, {"crawl", "--delay", "0", siteDir(t)}} {
				_, _, err := run(t, "", append([]string{"--data-dir", dir}, args...)...)
				if err == nil && !strings.HasPrefix(d.name, "zeros") {
					t.Fatalf("%s: no error", args[0])
				}
				// A zeroed page inside a record's value leaves the file's
				// structure sound: commands fail on the record when they
				// read it, and write nothing over it.
				if err != nil {
					wantOneLineError(t, err, "")
				}
				if after, _ := os.ReadFile(archive); !bytes.Equal(before, after) {
					t.Fatalf("%s wrote to the damaged archive", args[0])
				}
			}
			out, _, err := run(t, "", "--data-dir", dir, "archive", "recover", "--replace")
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(out, "articles") {
				t.Errorf("recover said %q", out)
			}
			if after, _ := os.ReadFile(filepath.Join(dir, strings.TrimSuffix(keptAs(t, dir), "\n"))); !bytes.Equal(before, after) {
				t.Error("the damaged archive was not kept as it was")
			}
			if _, _, err := run(t, "", "--data-dir", dir, "archive", "check"); err != nil {
				t.Errorf("recovered archive: %v", err)
			}
			if _, _, err := run(t, "", "--data-dir", dir, "reindex"); err != nil {
				t.Fatal(err)
			}
			t.Logf("recovered: %s", strings.TrimSpace(out))
		})
	}
	if detected == 0 {
		t.Error("no damage was detected")
	}
}

// zeroFreelist returns a damage that zeroes the page holding the
// archive's free list, as in the issue ("invalid freelist page: 0").
func zeroFreelist(t *testing.T) func([]byte) []byte {
	return func(b []byte) []byte {
		// Each meta page records the free list's page 48 bytes in.
		for _, meta := range []int{0, 4096} {
			pg := int(b[meta+48]) | int(b[meta+49])<<8
			if off := pg * 4096; pg > 1 && off+4096 <= len(b) {
				clear(b[off : off+4096])
			}
		}
		return b
	}
}

// keptAs returns the name of the damaged archive recover kept.
func keptAs(t *testing.T, dir string) string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "archive-damaged-*.db"))
	if err != nil || len(m) != 1 {
		t.Fatalf("kept damaged archives: %v, %v", m, err)
	}
	return filepath.Base(m[0])
}

// TestReliabilityLostIndex: an index removed behind ottwatch's back is
// found out and filled again from the archive, by sync and by crawl
// (issue 9, item 7).
func TestReliabilityLostIndex(t *testing.T) {
	for _, args := range [][]string{{"sync"}, {"crawl", "--delay", "0", siteDir(t)}} {
		t.Run(args[0], func(t *testing.T) {
			dir := copyOfCrawled(t)
			if err := os.RemoveAll(filepath.Join(dir, "bleve")); err != nil {
				t.Fatal(err)
			}
			out, stderr, err := run(t, "", append([]string{"--data-dir", dir}, args...)...)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(stderr, "had lost articles") {
				t.Errorf("no message that the index was lost: %q", stderr)
			}
			if args[0] == "sync" && !strings.Contains(out, "again") {
				t.Errorf("sync said %q", out)
			}
			if n := indexed(t, dir); n != fixtureArticles {
				t.Errorf("index holds %d documents after %s, want %d", n, args[0], fixtureArticles)
			}
		})
	}
}

// TestReliabilityFlags: numbers and durations out of range are refused
// with one line naming the flag, before anything is done (issue 9,
// item 8).
func TestReliabilityFlags(t *testing.T) {
	site := siteDir(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"crawl", "--watch", "--every", "0s", site}, "--every 0s"},
		{[]string{"crawl", "--watch", "--every", "59s", site}, "at least 1m"},
		{[]string{"crawl", "--depth", "-1", site}, "--depth -1"},
		{[]string{"crawl", "--parallelism", "0", site}, "--parallelism 0"},
		{[]string{"crawl", "--batch", "0", site}, "--batch 0"},
		{[]string{"crawl", "--max-body", "0", site}, "--max-body 0"},
		{[]string{"crawl", "--timeout", "0", site}, "--timeout 0s"},
		{[]string{"crawl", "--delay", "-1s", site}, "--delay -1s"},
		{[]string{"crawl", "--sync-every", "0", site}, "--sync-every 0s"},
		{[]string{"--data-dir", "", "crawl", site}, "--data-dir is empty"},
		{[]string{"--data-dir", " ", "sync"}, "--data-dir is empty"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			_, _, err := run(t, "", append([]string{"--data-dir", dir}, tt.args...)...)
			wantOneLineError(t, err, tt.want)
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Error("the data directory was used")
			}
		})
	}
	t.Run("tag --lang zz", func(t *testing.T) {
		_, _, err := run(t, "Amazon e Agcom", "tag", "--lang", "zz")
		wantOneLineError(t, err, `--lang "zz"`)
	})
}
