package meili

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
	"github.com/ottwatch/ottwatch/index/meili/meilitest"
)

func TestFailedTask(t *testing.T) {
	s := newDouble(t)
	x := openDouble(t, s)
	s.ResetRequests()
	s.FailTasks(1)
	err := x.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]})
	var te *TaskError
	if !errors.As(err, &te) || te.Code != "internal" || te.Message == "" || te.Status != "failed" {
		t.Fatalf("err = %v, want a failed TaskError", err)
	}
	if !errors.Is(err, ErrTaskFailed) || errors.Is(err, ErrUnreachable) {
		t.Errorf("err = %v: want ErrTaskFailed only", err)
	}
	if !regexp.MustCompile(`meilisearch task \d+ failed: internal: .+`).MatchString(err.Error()) {
		t.Errorf("message %q", err.Error())
	}
	if n := s.CountRequests("POST", "/indexes/"+x.UID()+"/documents"); n != 1 {
		t.Errorf("%d document requests, want 1: a failed task is not retried", n)
	}
	if n, _ := x.Count(t.Context()); n != 0 {
		t.Errorf("Count = %d after a failed task", n)
	}
}

func TestTaskTimeout(t *testing.T) {
	s := newDouble(t)
	x := openDouble(t, s, WithTaskTimeout(50*time.Millisecond))
	slow := newDouble(t, meilitest.WithTaskDelay(300*time.Millisecond))
	y := openDouble(t, slow) // Open waits for its own tasks with the default timeout.
	y.opts.taskTimeout = 50 * time.Millisecond
	err := y.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a task timeout", err)
	}
	if err := x.Upsert(t.Context(), []*ottwatch.Article{indextest.Fixtures()[indextest.It1]}); err != nil {
		t.Errorf("fast server: %v", err)
	}
}
