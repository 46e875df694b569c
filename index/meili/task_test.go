package meili

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

// changePrimaryKey deletes the index of x behind its back and makes it
// again with the primary key "uid", so that the tasks of the next Upsert
// fail on the server.
func changePrimaryKey(t *testing.T, s *meilitest.Server, x *Index) {
	t.Helper()
	admin := s.Client()
	if err := s.Await(admin.DeleteIndexWithContext(t.Context(), x.UID())); err != nil {
		t.Fatal(err)
	}
	if err := s.Await(admin.CreateIndexWithContext(t.Context(), &meilisearch.IndexConfig{Uid: x.UID(), PrimaryKey: "uid"})); err != nil {
		t.Fatal(err)
	}
}

func TestFailedTask(t *testing.T) {
	s := meilitest.Shared(t)
	p := meilitest.NewProxy(t, s.URL)
	x := openAt(t, p.URL)
	changePrimaryKey(t, s, x)

	// The client's WaitForTask answers a failed task with no error: the
	// task's status must be read.
	info, err := s.Client().Index(x.UID()).AddDocumentsWithContext(t.Context(), []map[string]string{{"id": "a"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	task, err := s.Client().WaitForTaskWithContext(t.Context(), info.TaskUID, 10*time.Millisecond)
	if err != nil || task.Status != meilisearch.TaskStatusFailed {
		t.Fatalf("WaitForTask = %s, %v; want a failed task and no error", task.Status, err)
	}

	p.Reset()
	err = x.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]})
	var te *TaskError
	if !errors.As(err, &te) || te.Code != "missing_document_id" || te.Message == "" || te.Status != "failed" {
		t.Fatalf("err = %v, want a failed TaskError", err)
	}
	if !errors.Is(err, ErrTaskFailed) || errors.Is(err, ErrUnreachable) {
		t.Errorf("err = %v: want ErrTaskFailed only", err)
	}
	if !regexp.MustCompile(`meilisearch task \d+ failed: missing_document_id: .+`).MatchString(err.Error()) {
		t.Errorf("message %q", err.Error())
	}
	if n := p.Count("POST", "/indexes/"+x.UID()+"/documents"); n != 1 {
		t.Errorf("%d document requests, want 1: a failed task is not retried", n)
	}
	if n, _ := x.Count(t.Context()); n != 0 {
		t.Errorf("Count = %d after a failed task", n)
	}
}

func TestTaskTimeout(t *testing.T) {
	x, p := openProxied(t)
	x.opts.taskTimeout = 50 * time.Millisecond // Open waits with the default
	p.OnRequest(func(r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/tasks/") {
			time.Sleep(300 * time.Millisecond)
		}
	})
	err := x.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a task timeout", err)
	}
	p.OnRequest(nil)
	y := openShared(t)
	if err := y.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]}); err != nil {
		t.Errorf("fast server: %v", err)
	}
}

// TestKeyLacksPermission uses a key that may search but not write: Open
// and Search work, Upsert fails at once with a 403.
func TestKeyLacksPermission(t *testing.T) {
	s := meilitest.Shared(t)
	x := openAt(t, s.URL)
	list, _ := indextestAll()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	key, err := s.Client().CreateKeyWithContext(t.Context(), &meilisearch.Key{
		Name:    "read only",
		Actions: []string{"search", "indexes.get", "settings.get", "stats.get", "documents.get", "tasks.get"},
		Indexes: []string{x.UID()},
	})
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	p := meilitest.NewProxy(t, s.URL)
	y, err := Open(t.Context(), Config{URL: p.URL, APIKey: Secret(key.Key), IndexUID: x.UID()}, fastRetry)
	if err != nil {
		t.Fatalf("Open with a read-only key: %v", err)
	}
	defer y.Close()
	if res, err := y.Search(t.Context(), ottwatch.Query{Text: "Agcom"}); err != nil || res.Total == 0 {
		t.Errorf("Search with a read-only key: %v, %v", res, err)
	}
	p.Reset()
	err = y.Upsert(t.Context(), list[:1])
	var ae *APIError
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusForbidden || ae.Code != "invalid_api_key" {
		t.Fatalf("Upsert with a read-only key: %v, want a 403 APIError", err)
	}
	if errors.Is(err, ErrUnreachable) || strings.Contains(err.Error(), key.Key) {
		t.Errorf("err = %v", err)
	}
	if n := len(p.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: a 403 is not retried", n)
	}
}
