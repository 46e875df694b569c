package meilitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const key = "test-master-key"

// call sends a request with the master key and decodes the JSON answer.
func call(t *testing.T, s *Server, method, path string, body any) (int, map[string]any) {
	t.Helper()
	return callKey(t, s, key, method, path, body)
}

func callKey(t *testing.T, s *Server, apiKey, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		if b, ok := body.(string); ok {
			r = strings.NewReader(b)
		} else {
			raw, err := json.Marshal(body)
			if err != nil {
				t.Fatal(err)
			}
			r = bytes.NewReader(raw)
		}
	}
	req, err := http.NewRequestWithContext(t.Context(), method, s.URL()+path, r)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if len(raw) > 0 && raw[0] == '{' {
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, out
}

// enqueue sends a write, checks the 202 summarized task and waits for it.
func enqueue(t *testing.T, s *Server, method, path string, body any) map[string]any {
	t.Helper()
	status, task := call(t, s, method, path, body)
	if status != http.StatusAccepted {
		t.Fatalf("%s %s = %d %v, want 202", method, path, status, task)
	}
	return wait(t, s, task["taskUid"])
}

// wait polls a task until it is finished.
func wait(t *testing.T, s *Server, uid any) map[string]any {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		_, task := call(t, s, http.MethodGet, fmt.Sprintf("/tasks/%v", uid), nil)
		if st := task["status"]; st == "succeeded" || st == "failed" {
			return task
		}
		time.Sleep(2 * time.Millisecond)
	}
	t.Fatalf("task %v not finished", uid)
	return nil
}

// mustSucceed fails the test unless the task succeeded.
func mustSucceed(t *testing.T, task map[string]any) {
	t.Helper()
	if task["status"] != "succeeded" {
		t.Fatalf("task %v: %v, error %v", task["uid"], task["status"], task["error"])
	}
}

// checkError checks an error answer: status, code, and the shape of the body.
func checkError(t *testing.T, what string, status int, body map[string]any, wantStatus int, wantCode string) {
	t.Helper()
	if status != wantStatus || body["code"] != wantCode {
		t.Fatalf("%s = %d %v, want %d %s", what, status, body, wantStatus, wantCode)
	}
	for _, k := range []string{"message", "code", "type", "link"} {
		if v, ok := body[k].(string); !ok || v == "" {
			t.Errorf("%s: error body has no %s: %v", what, k, body)
		}
	}
}

// startIndex starts a double with an index "docs" holding docs, with
// settings applied first.
func startIndex(t *testing.T, settings map[string]any, docs []map[string]any) *Server {
	t.Helper()
	s := NewServer(WithMasterKey(key))
	t.Cleanup(s.Close)
	mustSucceed(t, enqueue(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "docs", "primaryKey": "id"}))
	if settings != nil {
		mustSucceed(t, enqueue(t, s, http.MethodPatch, "/indexes/docs/settings", settings))
	}
	if docs != nil {
		mustSucceed(t, enqueue(t, s, http.MethodPost, "/indexes/docs/documents", docs))
	}
	return s
}

// ids returns the ids of the hits of a search answer, in order.
func ids(body map[string]any) []string {
	var out []string
	hits, _ := body["hits"].([]any)
	for _, h := range hits {
		out = append(out, fmt.Sprint(h.(map[string]any)["id"]))
	}
	return out
}
