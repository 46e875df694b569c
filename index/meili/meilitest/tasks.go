package meilitest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Task statuses and types, as Meilisearch names them.
const (
	statusEnqueued   = "enqueued"
	statusProcessing = "processing"
	statusSucceeded  = "succeeded"
	statusFailed     = "failed"

	typeIndexCreation    = "indexCreation"
	typeIndexDeletion    = "indexDeletion"
	typeSettingsUpdate   = "settingsUpdate"
	typeDocumentAddition = "documentAdditionOrUpdate"
	typeDocumentDeletion = "documentDeletion"
)

// task is one asynchronous operation. apply runs on the worker with the
// engine's lock held; it changes nothing when it returns an error.
type task struct {
	uid        int64
	indexUID   string
	status     string
	typ        string
	details    map[string]any
	err        *apiError
	enqueuedAt time.Time
	startedAt  time.Time
	finishedAt time.Time
	apply      func(t *task) *apiError
}

// enqueue registers a task and returns its summarized view, which the
// route answers with 202 Accepted.
func (e *engine) enqueue(indexUID, typ string, details map[string]any, apply func(t *task) *apiError) map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := &task{
		uid: int64(len(e.tasks)), indexUID: indexUID, status: statusEnqueued, typ: typ,
		details: details, enqueuedAt: time.Now().UTC(), apply: apply,
	}
	e.tasks = append(e.tasks, t)
	e.pending = append(e.pending, t)
	e.cond.Signal()
	return map[string]any{
		"taskUid": t.uid, "indexUid": nullable(t.indexUID), "status": t.status,
		"type": t.typ, "enqueuedAt": formatTime(t.enqueuedAt),
	}
}

// work processes the pending tasks in order until the engine closes.
func (e *engine) work() {
	defer close(e.done)
	for {
		e.mu.Lock()
		for len(e.pending) == 0 && !e.closed {
			e.cond.Wait()
		}
		if e.closed {
			e.mu.Unlock()
			return
		}
		t := e.pending[0]
		e.pending = e.pending[1:]
		t.status, t.startedAt = statusProcessing, time.Now().UTC()
		delay := e.taskDelay
		e.mu.Unlock()

		if delay > 0 {
			time.Sleep(delay)
		}

		e.mu.Lock()
		if e.takeTaskFault() {
			t.err = newTypedError(http.StatusInternalServerError, "internal", "internal",
				"meilitest: task failed on purpose (injected by FailTasks)")
		} else {
			t.err = t.apply(t)
		}
		t.status = statusSucceeded
		if t.err != nil {
			t.status = statusFailed
		}
		t.finishedAt = time.Now().UTC()
		e.mu.Unlock()
	}
}

// view returns the full task object of GET /tasks/{uid}. e.mu must be held.
func (t *task) view() map[string]any {
	v := map[string]any{
		"uid": t.uid, "batchUid": nil, "indexUid": nullable(t.indexUID),
		"status": t.status, "type": t.typ, "canceledBy": nil,
		"details": t.details, "error": nil, "duration": nil,
		"enqueuedAt": formatTime(t.enqueuedAt), "startedAt": nil, "finishedAt": nil,
	}
	if !t.startedAt.IsZero() {
		v["batchUid"] = t.uid
		v["startedAt"] = formatTime(t.startedAt)
	}
	if !t.finishedAt.IsZero() {
		v["finishedAt"] = formatTime(t.finishedAt)
		v["duration"] = fmt.Sprintf("PT%.6fS", t.finishedAt.Sub(t.startedAt).Seconds())
	}
	if t.err != nil {
		v["error"] = t.err.object()
	}
	return v
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// getTask serves GET /tasks/{uid}.
func (e *engine) getTask(w http.ResponseWriter, raw string) {
	uid, err := strconv.ParseInt(raw, 10, 64)
	if err != nil {
		writeError(w, newError(http.StatusBadRequest, "invalid_task_uids",
			fmt.Sprintf("Invalid value in parameter `taskUid`: could not parse `%s` as a positive integer", raw)))
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if uid < 0 || uid >= int64(len(e.tasks)) {
		writeError(w, newError(http.StatusNotFound, "task_not_found", fmt.Sprintf("Task `%d` not found.", uid)))
		return
	}
	writeJSON(w, http.StatusOK, e.tasks[uid].view())
}

// listTasks serves GET /tasks, newest first, with the indexUids, statuses,
// types, limit and from parameters.
func (e *engine) listTasks(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	set := func(name string) map[string]bool {
		v := q.Get(name)
		if v == "" || v == "*" {
			return nil
		}
		m := map[string]bool{}
		for _, s := range strings.Split(v, ",") {
			m[strings.TrimSpace(s)] = true
		}
		return m
	}
	indexes, statuses, types := set("indexUids"), set("statuses"), set("types")
	limit := 20
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			writeError(w, newError(http.StatusBadRequest, "invalid_task_limit",
				fmt.Sprintf("Invalid value in parameter `limit`: could not parse `%s` as a positive integer", v)))
			return
		}
		limit = n
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	from := int64(len(e.tasks)) - 1
	if v := q.Get("from"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeError(w, newError(http.StatusBadRequest, "invalid_task_from",
				fmt.Sprintf("Invalid value in parameter `from`: could not parse `%s` as a positive integer", v)))
			return
		}
		from = min(n, from)
	}
	results := []map[string]any{}
	total := 0
	var next any
	for uid := int64(len(e.tasks)) - 1; uid >= 0; uid-- {
		t := e.tasks[uid]
		if (indexes != nil && !indexes[t.indexUID]) || (statuses != nil && !statuses[t.status]) || (types != nil && !types[t.typ]) {
			continue
		}
		total++
		if uid > from {
			continue
		}
		if len(results) < limit {
			results = append(results, t.view())
		} else if next == nil {
			next = uid
		}
	}
	var fromV any
	if len(results) > 0 {
		fromV = results[0]["uid"]
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "total": total, "limit": limit, "from": fromV, "next": next})
}

// indexBusy reports whether index uid has tasks not yet finished. e.mu
// must be held.
func (e *engine) indexBusy(uid string) bool {
	for _, t := range e.pending {
		if t.indexUID == uid {
			return true
		}
	}
	for i := len(e.tasks) - 1; i >= 0 && i >= len(e.tasks)-64; i-- {
		if t := e.tasks[i]; t.indexUID == uid && t.status == statusProcessing {
			return true
		}
	}
	return false
}
