package index

import (
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestNoticeRecords(t *testing.T) {
	path := filepath.Join(t.TempDir(), "archive.db")
	ar, err := OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	const hook = "webhook:w/chat"
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	steps := []struct {
		name   string
		do     func() error
		cursor uint64
		known  bool
	}{
		{"unknown webhook", func() error { return nil }, 0, false},
		{"started at 5", func() error { _, err := ar.StartNotices(hook, 5); return err }, 5, true},
		{"started again: no change", func() error { _, err := ar.StartNotices(hook, 9); return err }, 5, true},
		{"a notice at 7", func() error { return ar.RecordNotice(hook, "s1", Notice{Articles: []string{"a", "b"}, At: at}, 7) }, 7, true},
		{"cursor forward", func() error { return ar.SetNoticeCursor(hook, 8) }, 8, true},
		{"cursor never back", func() error { return ar.SetNoticeCursor(hook, 3) }, 8, true},
		{"an older notice keeps the cursor", func() error { return ar.RecordNotice(hook, "s2", Notice{Articles: []string{"c"}, At: at}, 6) }, 8, true},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		cursor, known, err := ar.NoticeCursor(hook)
		if err != nil || cursor != s.cursor || known != s.known {
			t.Errorf("%s: cursor %d (known %v, %v), want %d (known %v)", s.name, cursor, known, err, s.cursor, s.known)
		}
	}
	ar.Close()

	ar, err = OpenArchive(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	if err := ar.Check(); err != nil {
		t.Errorf("archive check: %v", err)
	}
	n, err := ar.Delivered(hook, "s1")
	if err != nil || n == nil || !slices.Equal(n.Articles, []string{"a", "b"}) || !n.At.Equal(at) {
		t.Errorf("notice of s1 after reopening: %+v, %v", n, err)
	}
	if n, err := ar.Delivered(hook, "s3"); n != nil || err != nil {
		t.Errorf("notice of a story never told: %+v, %v", n, err)
	}
	if n, err := ar.Delivered("webhook:other/x", "s1"); n != nil || err != nil {
		t.Errorf("notice to another webhook: %+v, %v", n, err)
	}
	if started, err := ar.StartNotices("webhook:other/x", 2); !started || err != nil {
		t.Errorf("another webhook not started: %v", err)
	}
}
