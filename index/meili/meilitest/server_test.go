package meilitest

import (
	"errors"
	"net"
	"net/http"
	"slices"
	"syscall"
	"testing"
	"time"
)

func TestAuth(t *testing.T) {
	s := NewServer(WithMasterKey(key))
	defer s.Close()
	tests := []struct {
		name, key, path string
		status          int
		code            string
	}{
		{"health needs no key", "", "/health", 200, ""},
		{"missing key", "", "/version", 401, "missing_authorization_header"},
		{"wrong key", "nope", "/version", 403, "invalid_api_key"},
		{"wrong key on an index", "nope", "/indexes/x/search", 403, "invalid_api_key"},
		{"right key", key, "/version", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := callKey(t, s, tt.key, http.MethodGet, tt.path, nil)
			if tt.code == "" {
				if status != tt.status {
					t.Fatalf("status %d %v, want %d", status, body, tt.status)
				}
				return
			}
			checkError(t, tt.path, status, body, tt.status, tt.code)
			if body["type"] != "auth" {
				t.Errorf("type = %v, want auth", body["type"])
			}
		})
	}
	// Without a master key nothing is checked.
	open := NewServer()
	defer open.Close()
	if status, _ := callKey(t, open, "", http.MethodGet, "/version", nil); status != 200 {
		t.Errorf("no master key: status %d", status)
	}
}

func TestTaskLifecycle(t *testing.T) {
	s := NewServer(WithMasterKey(key), WithTaskDelay(100*time.Millisecond))
	defer s.Close()
	status, summary := call(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "movies", "primaryKey": "id"})
	if status != http.StatusAccepted {
		t.Fatalf("create index: %d %v", status, summary)
	}
	for k, want := range map[string]any{"indexUid": "movies", "status": "enqueued", "type": "indexCreation"} {
		if summary[k] != want {
			t.Errorf("summarized task %s = %v, want %v", k, summary[k], want)
		}
	}
	if _, ok := summary["taskUid"].(float64); !ok {
		t.Fatalf("summarized task has no taskUid: %v", summary)
	}
	if _, err := time.Parse(time.RFC3339Nano, summary["enqueuedAt"].(string)); err != nil {
		t.Errorf("enqueuedAt: %v", err)
	}
	seen := map[string]bool{}
	var task map[string]any
	for range 1000 {
		_, task = call(t, s, http.MethodGet, "/tasks/0", nil)
		seen[task["status"].(string)] = true
		if task["status"] == "succeeded" {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	for _, st := range []string{"processing", "succeeded"} {
		if !seen[st] {
			t.Errorf("never saw status %s (saw %v)", st, seen)
		}
	}
	if task["uid"] != float64(0) || task["error"] != nil || task["finishedAt"] == nil || task["duration"] == nil {
		t.Errorf("finished task: %v", task)
	}
	if d, _ := task["details"].(map[string]any); d["primaryKey"] != "id" {
		t.Errorf("details = %v", task["details"])
	}

	status, body := call(t, s, http.MethodGet, "/tasks/99", nil)
	checkError(t, "unknown task", status, body, 404, "task_not_found")

	// A failed task has an error object and changed nothing.
	failed := enqueue(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "movies"})
	if failed["status"] != "failed" {
		t.Fatalf("creating an existing index: %v", failed)
	}
	if e, _ := failed["error"].(map[string]any); e["code"] != "index_already_exists" || e["message"] == "" || e["link"] == "" {
		t.Errorf("error = %v", failed["error"])
	}

	_, list := call(t, s, http.MethodGet, "/tasks?statuses=failed", nil)
	if list["total"] != float64(1) {
		t.Errorf("failed tasks: %v", list)
	}
}

func TestIndexes(t *testing.T) {
	s := NewServer(WithMasterKey(key))
	defer s.Close()
	status, body := call(t, s, http.MethodGet, "/indexes/nope", nil)
	checkError(t, "unknown index", status, body, 404, "index_not_found")
	status, body = call(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "bad uid"})
	checkError(t, "bad uid", status, body, 400, "invalid_index_uid")

	mustSucceed(t, enqueue(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "a", "primaryKey": "id"}))
	status, body = call(t, s, http.MethodGet, "/indexes/a", nil)
	if status != 200 || body["uid"] != "a" || body["primaryKey"] != "id" {
		t.Errorf("GET index = %d %v", status, body)
	}
	if got := s.Indexes(); !slices.Equal(got, []string{"a"}) {
		t.Errorf("Indexes = %v", got)
	}
	mustSucceed(t, enqueue(t, s, http.MethodDelete, "/indexes/a", nil))
	if status, _ := call(t, s, http.MethodGet, "/indexes/a", nil); status != 404 {
		t.Errorf("deleted index: status %d", status)
	}
	if task := enqueue(t, s, http.MethodDelete, "/indexes/a", nil); task["status"] != "failed" {
		t.Errorf("deleting a missing index: %v", task)
	}
}

func TestDocuments(t *testing.T) {
	s := NewServer(WithMasterKey(key))
	defer s.Close()
	// Adding documents creates the index, with the primary key asked.
	mustSucceed(t, enqueue(t, s, http.MethodPost, "/indexes/books/documents?primaryKey=id", []map[string]any{
		{"id": "a", "title": "Alpha", "n": 1},
		{"id": "b", "title": "Beta", "n": 2.5},
	}))
	status, doc := call(t, s, http.MethodGet, "/indexes/books/documents/a", nil)
	if status != 200 || doc["title"] != "Alpha" || doc["n"] != float64(1) {
		t.Fatalf("GET document = %d %v", status, doc)
	}
	status, body := call(t, s, http.MethodGet, "/indexes/books/documents/zz", nil)
	checkError(t, "missing document", status, body, 404, "document_not_found")

	// POST replaces a document, PUT merges into it.
	mustSucceed(t, enqueue(t, s, http.MethodPost, "/indexes/books/documents", []map[string]any{{"id": "a", "other": true}}))
	if _, doc := call(t, s, http.MethodGet, "/indexes/books/documents/a", nil); doc["title"] != nil || doc["other"] != true {
		t.Errorf("after replace: %v", doc)
	}
	mustSucceed(t, enqueue(t, s, http.MethodPut, "/indexes/books/documents", []map[string]any{{"id": "a", "title": "Again"}}))
	if _, doc := call(t, s, http.MethodGet, "/indexes/books/documents/a", nil); doc["title"] != "Again" || doc["other"] != true {
		t.Errorf("after update: %v", doc)
	}
	if got := s.Received("books"); got["a"] != 3 || got["b"] != 1 {
		t.Errorf("Received = %v", got)
	}

	// A bad id fails the task and writes nothing.
	task := enqueue(t, s, http.MethodPost, "/indexes/books/documents", []map[string]any{{"id": "c"}, {"id": "bad id"}})
	if e, _ := task["error"].(map[string]any); task["status"] != "failed" || e["code"] != "invalid_document_id" {
		t.Errorf("bad id: %v", task)
	}
	task = enqueue(t, s, http.MethodPost, "/indexes/books/documents", []map[string]any{{"title": "no id"}})
	if e, _ := task["error"].(map[string]any); e["code"] != "missing_document_id" {
		t.Errorf("missing id: %v", task)
	}
	if _, stats := call(t, s, http.MethodGet, "/indexes/books/stats", nil); stats["numberOfDocuments"] != float64(2) {
		t.Errorf("stats = %v", stats)
	}

	// Payload errors are answered at once.
	status, body = call(t, s, http.MethodPost, "/indexes/books/documents", "[{")
	checkError(t, "malformed", status, body, 400, "malformed_payload")
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/indexes/books/documents", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("no content type: %d", resp.StatusCode)
	}

	task = enqueue(t, s, http.MethodPost, "/indexes/books/documents/delete-batch", []string{"a", "nope"})
	if d, _ := task["details"].(map[string]any); d["providedIds"] != float64(2) || d["deletedDocuments"] != float64(1) {
		t.Errorf("delete-batch: %v", task)
	}
	if docs := s.Documents("books"); len(docs) != 1 || docs[0]["id"] != "b" {
		t.Errorf("Documents = %v", docs)
	}
	mustSucceed(t, enqueue(t, s, http.MethodDelete, "/indexes/books/documents", nil))
	if docs := s.Documents("books"); len(docs) != 0 {
		t.Errorf("after delete all: %v", docs)
	}
}

func TestSettingsRoundTrip(t *testing.T) {
	s := NewServer(WithMasterKey(key))
	defer s.Close()
	mustSucceed(t, enqueue(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "x", "primaryKey": "id"}))
	_, def := call(t, s, http.MethodGet, "/indexes/x/settings", nil)
	for k, want := range map[string]string{
		"displayedAttributes": `["*"]`, "searchableAttributes": `["*"]`, "filterableAttributes": `[]`,
		"rankingRules":  `["words","typo","proximity","attribute","sort","exactness"]`,
		"typoTolerance": `{"disableOnAttributes":[],"disableOnNumbers":false,"disableOnWords":[],"enabled":true,"minWordSizeForTypos":{"oneTypo":5,"twoTypos":9}}`,
		"faceting":      `{"maxValuesPerFacet":100,"sortFacetValuesBy":{"*":"alpha"}}`,
		"pagination":    `{"maxTotalHits":1000}`, "localizedAttributes": `null`, "synonyms": `{}`,
	} {
		if got := string(mustJSON(def[k])); got != want {
			t.Errorf("default %s = %s, want %s", k, got, want)
		}
	}

	set := map[string]any{
		"searchableAttributes": []string{"title", "body"},
		"filterableAttributes": []any{"lang", map[string]any{"attributePatterns": []string{"tag*"}}},
		"sortableAttributes":   []string{"date"},
		"rankingRules":         []string{"sort", "words", "typo", "proximity", "attribute", "exactness", "date:desc"},
		"synonyms":             map[string][]string{"tim": {"telecom italia"}},
		"localizedAttributes":  []map[string]any{{"attributePatterns": []string{"*_it"}, "locales": []string{"ita"}}},
		"typoTolerance":        map[string]any{"minWordSizeForTypos": map[string]any{"oneTypo": 9, "twoTypos": 13}},
		"faceting":             map[string]any{"sortFacetValuesBy": map[string]string{"*": "count"}},
		"pagination":           map[string]any{"maxTotalHits": 5000},
	}
	mustSucceed(t, enqueue(t, s, http.MethodPatch, "/indexes/x/settings", set))
	_, got := call(t, s, http.MethodGet, "/indexes/x/settings", nil)
	for k, v := range set {
		want := string(mustJSON(v))
		switch k {
		case "typoTolerance":
			want = `{"disableOnAttributes":[],"disableOnNumbers":false,"disableOnWords":[],"enabled":true,"minWordSizeForTypos":{"oneTypo":9,"twoTypos":13}}`
		case "faceting":
			want = `{"maxValuesPerFacet":100,"sortFacetValuesBy":{"*":"count"}}`
		}
		if g := string(mustJSON(got[k])); g != want {
			t.Errorf("%s = %s, want %s", k, g, want)
		}
	}

	// A sub-setting route reads, replaces and resets one setting.
	mustSucceed(t, enqueue(t, s, http.MethodPut, "/indexes/x/settings/sortable-attributes", []string{"n"}))
	mustSucceed(t, enqueue(t, s, http.MethodDelete, "/indexes/x/settings/synonyms", nil))
	_, got = call(t, s, http.MethodGet, "/indexes/x/settings", nil)
	if string(mustJSON(got["sortableAttributes"])) != `["n"]` || string(mustJSON(got["synonyms"])) != `{}` {
		t.Errorf("after sub-setting routes: sortable %v synonyms %v", got["sortableAttributes"], got["synonyms"])
	}
	// null resets to the default.
	mustSucceed(t, enqueue(t, s, http.MethodPatch, "/indexes/x/settings", map[string]any{"rankingRules": nil}))
	if _, got = call(t, s, http.MethodGet, "/indexes/x/settings", nil); string(mustJSON(got["rankingRules"])) != `["words","typo","proximity","attribute","sort","exactness"]` {
		t.Errorf("reset ranking rules = %v", got["rankingRules"])
	}

	errs := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"unknown setting", map[string]any{"nope": 1}, 400, "bad_request"},
		{"bad type", map[string]any{"searchableAttributes": "title"}, 400, "invalid_settings_searchable_attributes"},
		{"bad ranking rule", map[string]any{"rankingRules": []string{"magic"}}, 400, "invalid_settings_ranking_rules"},
		{"bad locale", map[string]any{"localizedAttributes": []map[string]any{{"attributePatterns": []string{"*"}, "locales": []string{"klingon"}}}}, 400, "invalid_settings_localized_attributes"},
	}
	for _, tt := range errs {
		status, body := call(t, s, http.MethodPatch, "/indexes/x/settings", tt.body)
		checkError(t, tt.name, status, body, tt.status, tt.code)
	}
	// Some checks happen when the task is processed.
	task := enqueue(t, s, http.MethodPatch, "/indexes/x/settings", map[string]any{"typoTolerance": map[string]any{"minWordSizeForTypos": map[string]any{"oneTypo": 10, "twoTypos": 2}}})
	if e, _ := task["error"].(map[string]any); e["code"] != "invalid_settings_typo_tolerance" {
		t.Errorf("oneTypo > twoTypos: %v", task)
	}
}

func TestFaults(t *testing.T) {
	t.Run("FailRequests", func(t *testing.T) {
		s := NewServer(WithMasterKey(key))
		defer s.Close()
		s.FailRequests(2, http.StatusServiceUnavailable)
		for i := range 2 {
			status, body := call(t, s, http.MethodGet, "/health", nil)
			checkError(t, "injected failure", status, body, 503, "internal")
			_ = i
		}
		if status, _ := call(t, s, http.MethodGet, "/health", nil); status != 200 {
			t.Errorf("after the failures: %d", status)
		}
	})
	t.Run("RateLimit", func(t *testing.T) {
		s := NewServer(WithMasterKey(key))
		defer s.Close()
		s.RateLimit(1, 1500*time.Millisecond)
		resp, err := http.Get(s.URL() + "/health")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != "2" {
			t.Errorf("got %d Retry-After %q, want 429 and 2", resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if status, _ := call(t, s, http.MethodGet, "/health", nil); status != 200 {
			t.Errorf("after the limit: %d", status)
		}
	})
	t.Run("Latency", func(t *testing.T) {
		s := NewServer(WithMasterKey(key))
		defer s.Close()
		s.Latency(60 * time.Millisecond)
		start := time.Now()
		call(t, s, http.MethodGet, "/health", nil)
		if d := time.Since(start); d < 60*time.Millisecond {
			t.Errorf("answered in %v", d)
		}
	})
	t.Run("FailTasks", func(t *testing.T) {
		s := NewServer(WithMasterKey(key))
		defer s.Close()
		s.FailTasks(1)
		task := enqueue(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "a"})
		if e, _ := task["error"].(map[string]any); task["status"] != "failed" || e["code"] != "internal" {
			t.Errorf("failed task: %v", task)
		}
		if status, _ := call(t, s, http.MethodGet, "/indexes/a", nil); status != 404 {
			t.Errorf("a failed task changed something: %d", status)
		}
		mustSucceed(t, enqueue(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "a"}))
	})
	t.Run("RefuseConnections", func(t *testing.T) {
		s := NewServer(WithMasterKey(key))
		defer s.Close()
		url := s.URL()
		if err := s.RefuseConnections(true); err != nil {
			t.Fatal(err)
		}
		_, err := http.Get(url + "/health")
		if !errors.Is(err, syscall.ECONNREFUSED) {
			t.Fatalf("while refusing: err = %v, want connection refused", err)
		}
		if err := s.RefuseConnections(false); err != nil {
			t.Fatal(err)
		}
		if s.URL() != url {
			t.Errorf("URL changed: %s, was %s", s.URL(), url)
		}
		if status, _ := call(t, s, http.MethodGet, "/health", nil); status != 200 {
			t.Errorf("after refusing: %d", status)
		}
	})
	t.Run("Requests", func(t *testing.T) {
		s := NewServer(WithMasterKey(key))
		defer s.Close()
		call(t, s, http.MethodPost, "/indexes", map[string]any{"uid": "a"})
		got := s.Requests()
		if len(got) != 1 || got[0].Method != "POST" || got[0].Path != "/indexes" || got[0].Status != 202 || got[0].BodyBytes == 0 {
			t.Errorf("Requests = %+v", got)
		}
		if n := s.CountRequests("POST", "/indexes"); n != 1 {
			t.Errorf("CountRequests = %d", n)
		}
	})
}

func TestListen(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s, err := Listen(addr, WithMasterKey(key))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.URL() != "http://"+addr {
		t.Errorf("URL = %s", s.URL())
	}
	if status, _ := call(t, s, http.MethodGet, "/health", nil); status != 200 {
		t.Errorf("health: %d", status)
	}
	if _, err := Listen("192.0.2.1:7700"); err == nil {
		t.Errorf("Listen on a non-loopback address: no error")
	}
}
