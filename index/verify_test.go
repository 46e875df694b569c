package index

import (
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/ottwatch/ottwatch"
)

// mapIndex is an in-memory ottwatch.Index.
type mapIndex struct {
	ottwatch.Index
	docs map[string]*ottwatch.Article
}

func newMapIndex() *mapIndex { return &mapIndex{docs: make(map[string]*ottwatch.Article)} }

func (m *mapIndex) Upsert(_ context.Context, articles []*ottwatch.Article) error {
	for _, a := range articles {
		m.docs[a.ID] = a
	}
	return nil
}

func (m *mapIndex) Get(_ context.Context, id string) (*ottwatch.Article, error) {
	if a, ok := m.docs[id]; ok {
		return a, nil
	}
	return nil, ottwatch.ErrNotFound
}

func (m *mapIndex) Count(context.Context) (int, error) { return len(m.docs), nil }

func (m *mapIndex) Reset(context.Context) error { clear(m.docs); return nil }

func TestSyncVerified(t *testing.T) {
	tests := []struct {
		name        string
		damage      func(m *mapIndex)
		wantRebuilt bool
	}{
		{"intact", func(*mapIndex) {}, false},
		{"holds more than the archive", func(m *mapIndex) { m.docs["extra"] = newArticle(99, "x") }, false},
		{"lost (emptied)", func(m *mapIndex) { clear(m.docs) }, true},
		{"lost its latest article", func(m *mapIndex) { delete(m.docs, newArticle(19, "").ID) }, true},
		{"lost one, replaced by another", func(m *mapIndex) {
			delete(m.docs, newArticle(0, "").ID)
			m.docs["extra"] = newArticle(99, "x")
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar := openTestArchive(t)
			for i := range 20 {
				put(t, ar, newArticle(i, "corpo"))
			}
			idx := newMapIndex()
			if st, err := SyncVerified(t.Context(), ar, "test", idx, 7); err != nil || st.Delivered != 20 || st.Rebuilt != "" {
				t.Fatalf("first sync: %+v, %v", st, err)
			}
			tt.damage(idx)
			st, err := SyncVerified(t.Context(), ar, "test", idx, 7)
			if err != nil {
				t.Fatal(err)
			}
			if got := st.Rebuilt != ""; got != tt.wantRebuilt {
				t.Fatalf("rebuilt = %q, want rebuilt %v", st.Rebuilt, tt.wantRebuilt)
			}
			if tt.wantRebuilt && st.Delivered != 20 {
				t.Errorf("delivered %d again, want 20", st.Delivered)
			}
			ids, _ := ar.IDs()
			for _, id := range ids {
				if _, ok := idx.docs[id]; !ok {
					t.Fatalf("article %s not in the index after sync", id)
				}
			}
			if err := Verify(t.Context(), ar, "test", idx); err != nil {
				t.Errorf("verify after sync: %v", err)
			}
		})
	}
}

func TestVerifyFindsAnySampledLoss(t *testing.T) {
	ar := openTestArchive(t)
	for i := range 50 {
		put(t, ar, newArticle(i, "corpo"))
	}
	idx := newMapIndex()
	if _, err := Sync(t.Context(), ar, "test", idx, 0); err != nil {
		t.Fatal(err)
	}
	_, sample, err := ar.sampleUpTo(50, verifySample)
	if err != nil || len(sample) != verifySample {
		t.Fatalf("sample %v, %v", sample, err)
	}
	for _, id := range sample {
		lost := newMapIndex()
		maps.Copy(lost.docs, idx.docs)
		delete(lost.docs, id)
		if err := Verify(t.Context(), ar, "test", lost); !errors.Is(err, ErrIndexIncomplete) {
			t.Errorf("lost %s: %v", id, err)
		}
	}
	if !slices.Contains(sample, newArticle(49, "").ID) {
		t.Error("the latest article is not sampled")
	}
}

func TestRebuildRefusesAnEmptyArchive(t *testing.T) {
	tests := []struct {
		name    string
		indexed int
		want    error
	}{
		{"empty archive, full index", 3, ErrWouldEmpty},
		{"empty archive, empty index", 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar := openTestArchive(t)
			idx := newMapIndex()
			for i := range tt.indexed {
				idx.docs[newArticle(i, "").ID] = newArticle(i, "")
			}
			_, err := Rebuild(t.Context(), ar, "test", idx, 0)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if len(idx.docs) != tt.indexed {
				t.Errorf("the index holds %d documents, had %d", len(idx.docs), tt.indexed)
			}
		})
	}
}
