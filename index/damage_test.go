package index

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ottwatch/ottwatch"
)

// damagedArticles is how many articles the damaged archives hold: enough
// for several pages of each bucket.
const damagedArticles = 300

// sampleArchive writes an archive of damagedArticles articles, some with
// their page kept, closes it and returns its file and articles by id.
func sampleArchive(t *testing.T) (string, map[string]*ottwatch.Article) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "archive.db")
	ar, err := OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	want := make(map[string]*ottwatch.Article)
	var pages []Page
	for i := range damagedArticles {
		a := newArticle(i, fmt.Sprintf("Articolo %d: %s", i, strings.Repeat(fmt.Sprintf("parola%d ", i), 40)))
		want[a.ID] = a
		p := Page{Article: a, Origin: "fixture"}
		if i%3 == 0 {
			p.HTML, p.ContentType = []byte("<p>"+a.Body+"</p>"), "text/html"
		}
		pages = append(pages, p)
	}
	if _, err := ar.Put(pages); err != nil {
		t.Fatal(err)
	}
	if err := ar.SetCursor("bleve", damagedArticles); err != nil {
		t.Fatal(err)
	}
	if err := ar.Close(); err != nil {
		t.Fatal(err)
	}
	return path, want
}

// copyFile copies src to a new file in a temporary directory.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	if err := os.WriteFile(dst, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return dst
}

func zeroPage(n int) func([]byte) []byte {
	return func(b []byte) []byte {
		if off := n * os.Getpagesize(); off < len(b) {
			clear(b[off:min(off+os.Getpagesize(), len(b))])
		}
		return b
	}
}

// damage rewrites the file at path through f.
func damage(t *testing.T, path string, f func([]byte) []byte) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, f(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// readAll reads everything through the archive's methods, returning the
// first error.
func readAll(ar *Archive) error {
	if _, err := ar.Count(); err != nil {
		return err
	}
	ids, err := ar.IDs()
	if err != nil {
		return err
	}
	for _, id := range ids {
		if _, err := ar.Get(id); err != nil {
			return err
		}
		if _, _, err := ar.HTML(id); err != nil {
			return err
		}
	}
	_, err = ar.After(0, damagedArticles*2)
	return err
}

func TestOpenArchiveRefusesWhatIsNotAnArchive(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	otherBolt := filepath.Join(dir, "other.db")
	db, err := bolt.Open(otherBolt, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("settings")); return err }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	noBuckets := filepath.Join(dir, "nobuckets.db")
	db, err = bolt.Open(noBuckets, 0o644, nil)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	tests := []struct {
		name string
		path string
		opts []ArchiveOption
		want error
	}{
		{"zero bytes", write("empty.db", nil), nil, ErrEmptyArchive},
		{"zero bytes, read-only", write("empty2.db", nil), []ArchiveOption{ReadOnly()}, ErrEmptyArchive},
		{"database with nothing in it", noBuckets, nil, ErrEmptyArchive},
		{"text", write("notes.txt", []byte(strings.Repeat("not an archive\n", 1000))), nil, ErrNotArchive},
		{"short text", write("short.txt", []byte("hello")), nil, ErrNotArchive},
		{"another program's bbolt file", otherBolt, nil, ErrNotArchive},
		{"a directory", dir, nil, ErrNotArchive},
		{"missing, must exist", filepath.Join(dir, "missing.db"), []ArchiveOption{MustExist()}, ErrNoArchive},
		{"missing, read-only", filepath.Join(dir, "missing.db"), []ArchiveOption{ReadOnly()}, ErrNoArchive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.ReadFile(tt.path)
			ar, err := OpenArchive(tt.path, tt.opts...)
			if err == nil {
				ar.Close()
			}
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			after, _ := os.ReadFile(tt.path)
			if !bytes.Equal(before, after) {
				t.Error("the file was changed")
			}
			if _, err := os.Stat(filepath.Join(dir, "missing.db")); err == nil {
				t.Error("a missing archive was created")
			}
		})
	}
}

func TestOpenArchiveReplaceEmpty(t *testing.T) {
	for _, name := range []string{"zero bytes", "missing"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "archive.db")
			if name == "zero bytes" {
				if err := os.WriteFile(path, nil, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			ar, err := OpenArchive(path, ReplaceEmpty())
			if err != nil {
				t.Fatal(err)
			}
			defer ar.Close()
			put(t, ar, newArticle(1, "uno"))
			if n, err := ar.Count(); err != nil || n != 1 {
				t.Fatalf("count = %d, %v", n, err)
			}
		})
	}
}

// TestDamagedArchive damages an archive as a disk or an interrupted copy
// would, and checks that no method panics, that opening it for writing
// fails and leaves the file as it was, and that Recover copies out every
// article it can read, intact.
func TestDamagedArchive(t *testing.T) {
	good, want := sampleArchive(t)
	size := func() int {
		info, err := os.Stat(good)
		if err != nil {
			t.Fatal(err)
		}
		return int(info.Size())
	}()
	pages := size / os.Getpagesize()
	tests := []struct {
		name   string
		damage func([]byte) []byte
		// detected says that opening for writing must fail.
		detected bool
	}{
		{"truncated to half", func(b []byte) []byte { return b[:len(b)/2] }, true},
		{"truncated to a quarter", func(b []byte) []byte { return b[:len(b)/4] }, true},
	}
	// A sample of pages, spread over the file; fewer with -short.
	step := max(pages/24, 1)
	if testing.Short() {
		step = max(pages/8, 1)
	}
	for p := 2; p < pages; p += step {
		tests = append(tests, struct {
			name     string
			damage   func([]byte) []byte
			detected bool
		}{fmt.Sprintf("zeros over page %d", p), zeroPage(p), false})
	}
	detected := 0
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := copyFile(t, good)
			damage(t, path, tt.damage)
			before, _ := os.ReadFile(path)
			same := func() bool { after, _ := os.ReadFile(path); return bytes.Equal(before, after) }

			ar, err := OpenArchive(path)
			if err == nil {
				// Only a page bbolt does not use may be damaged unseen.
				if err := readAll(ar); err != nil {
					t.Errorf("opened for writing, then: %v", err)
				}
				ar.Close()
			} else {
				detected++
				if !errors.Is(err, ErrArchiveDamaged) {
					t.Errorf("open: %v, want %v", err, ErrArchiveDamaged)
				}
				if !same() {
					t.Error("a damaged archive was written to")
				}
			}
			if tt.detected && err == nil {
				t.Fatal("the damage was not detected")
			}

			// Read-only, every method answers or fails without a panic.
			if ar, err := OpenArchive(path, ReadOnly()); err == nil {
				if err := readAll(ar); err != nil && !errors.Is(err, ErrArchiveDamaged) {
					t.Errorf("read-only: %v", err)
				}
				_ = ar.Check()
				ar.Close()
			}

			before, _ = os.ReadFile(path) // opening a sound one for writing writes to it
			out := filepath.Join(t.TempDir(), "recovered.db")
			st, err := Recover(path, out)
			if err != nil {
				t.Fatalf("recover: %v", err)
			}
			if !same() {
				t.Error("recover wrote to the damaged archive")
			}
			rec, err := OpenArchive(out, MustExist())
			if err != nil {
				t.Fatal(err)
			}
			defer rec.Close()
			if err := rec.Check(); err != nil {
				t.Errorf("recovered archive: %v", err)
			}
			ids, err := rec.IDs()
			if err != nil {
				t.Fatal(err)
			}
			// A piece of the file may hold no article at all (the first
			// quarter may be all index pages); one that holds an
			// article's text must give it back.
			present := 0
			for _, a := range want {
				first, _, _ := strings.Cut(a.Body, "\n")
				if bytes.Contains(before, []byte(first)) {
					present++
				}
			}
			if len(ids) != st.Articles || (len(ids) == 0 && present > 0) {
				t.Fatalf("recovered %d articles, the archive holds %d; %d articles' text is in the file", st.Articles, len(ids), present)
			}
			for _, id := range ids {
				a, err := rec.Get(id)
				if err != nil {
					t.Fatal(err)
				}
				if w := want[id]; w == nil || a.Title != w.Title || a.Body != w.Body || a.URL != w.URL {
					t.Errorf("article %s recovered wrong: %q", id, a.Title)
				}
			}
			t.Logf("%d of %d articles recovered, %d pages; %d problems", st.Articles, damagedArticles, st.Pages, len(st.Problems))
		})
	}
	if detected == 0 {
		t.Error("no damage was detected")
	}
}

func TestRecoverUndamaged(t *testing.T) {
	good, want := sampleArchive(t)
	out := filepath.Join(t.TempDir(), "recovered.db")
	st, err := Recover(good, out)
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != len(want) || st.Pages != damagedArticles/3 || len(st.Problems) > 0 {
		t.Fatalf("recover: %+v", st)
	}
	if _, err := Recover(good, out); err == nil {
		t.Error("recovered into an archive that holds articles")
	}
	ar, err := OpenArchive(out, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	for id := range want {
		if !ar.HasURL(want[id].URL) {
			t.Fatalf("article %s: URL not recovered", id)
		}
		if o, _ := ar.Origin(id); o != "fixture" {
			t.Fatalf("article %s: origin %q", id, o)
		}
	}
}

// TestRecoverKeepsNotices checks that what webhooks were told survives a
// recovery, their cursors moved to the same articles in the new numbering:
// articles updated after being archived leave gaps in the old sequence
// that the new archive closes.
func TestRecoverKeepsNotices(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	ar, err := OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	var articles []*ottwatch.Article
	for i := range 6 {
		articles = append(articles, newArticle(i, fmt.Sprintf("Articolo %d", i)))
	}
	put(t, ar, articles...)                                        // sequences 1-6
	articles[0].Body, articles[1].Body = "rivisto", "anche questo" // 0 and 1 again: 7 and 8
	put(t, ar, articles[0], articles[1])
	notice := Notice{Articles: []string{articles[2].ID}, At: time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)}
	if err := ar.RecordNotice("slack", articles[2].ID, notice, 6); err != nil { // up to article 5
		t.Fatal(err)
	}
	if err := ar.SetNoticeCursor("team", 7); err != nil { // up to article 0, updated
		t.Fatal(err)
	}
	if err := ar.Close(); err != nil {
		t.Fatal(err)
	}

	out := filepath.Join(t.TempDir(), "recovered.db")
	if _, err := Recover(path, out); err != nil {
		t.Fatal(err)
	}
	rec, err := OpenArchive(out, ReadOnly())
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	tests := []struct {
		hook string
		last *ottwatch.Article // the last article its cursor covers
	}{
		{"slack", articles[5]},
		{"team", articles[0]},
	}
	for _, tt := range tests {
		seq, known, err := rec.NoticeCursor(tt.hook)
		if err != nil || !known {
			t.Fatalf("%s: cursor %d, %v, %v", tt.hook, seq, known, err)
		}
		at, err := rec.After(seq-1, 1)
		if err != nil || len(at) != 1 || at[0].Article.ID != tt.last.ID {
			t.Errorf("%s: cursor %d covers up to %v (%v), want %s", tt.hook, seq, at, err, tt.last.ID)
		}
	}
	got, err := rec.Delivered("slack", articles[2].ID)
	if err != nil || got == nil || !got.At.Equal(notice.At) || len(got.Articles) != 1 {
		t.Errorf("notice not recovered: %+v, %v", got, err)
	}
}
