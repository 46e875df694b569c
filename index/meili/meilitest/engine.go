package meilitest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// engine holds the state of the double: indexes, their documents and the
// task queue. One worker goroutine processes tasks in order.
type engine struct {
	taskDelay time.Duration

	mu       sync.Mutex
	cond     *sync.Cond // signals pending tasks or closing
	indexes  map[string]*index
	tasks    []*task // by uid
	pending  []*task
	failNext int
	early    map[string]map[string]int // received counts of indexes not yet created
	closed   bool
	done     chan struct{}
}

// index is one Meilisearch index.
type index struct {
	uid        string
	primaryKey string
	createdAt  time.Time
	updatedAt  time.Time
	settings   *settings
	docs       map[string]*document
	nextDocID  uint64
	received   map[string]int
	fieldOrder []string // fields in the order first seen, for "*"
	fieldSeen  map[string]bool
}

// document is one stored document.
type document struct {
	id       string
	internal uint64 // Meilisearch's internal id: insertion order
	fields   map[string]any
	cache    *docIndex // tokenized searchable fields, built on demand
}

func newEngine(taskDelay time.Duration) *engine {
	e := &engine{
		taskDelay: taskDelay,
		indexes:   map[string]*index{},
		done:      make(chan struct{}),
	}
	e.cond = sync.NewCond(&e.mu)
	go e.work()
	return e
}

func (e *engine) close() {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.closed = true
	e.cond.Broadcast()
	e.mu.Unlock()
	<-e.done
}

func (e *engine) failTasks(n int) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failNext = max(n, 0)
}

// takeTaskFault reports whether the task being processed must fail.
// e.mu must be held.
func (e *engine) takeTaskFault() bool {
	if e.failNext > 0 {
		e.failNext--
		return true
	}
	return false
}

func newIndex(uid, primaryKey string, now time.Time) *index {
	return &index{
		uid: uid, primaryKey: primaryKey, createdAt: now, updatedAt: now,
		settings: defaultSettings(), docs: map[string]*document{},
		received: map[string]int{}, fieldSeen: map[string]bool{},
	}
}

// indexUIDPattern is what Meilisearch accepts as an index uid.
var indexUIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,400}$`)

func validIndexUID(uid string) *apiError {
	if !indexUIDPattern.MatchString(uid) {
		return newError(http.StatusBadRequest, "invalid_index_uid", fmt.Sprintf(
			"`%s` is not a valid index uid. Index uid can be an integer or a string containing only alphanumeric characters, hyphens (-) and underscores (_), and can not be more than 512 bytes.", uid))
	}
	return nil
}

func indexNotFound(uid string) *apiError {
	return newError(http.StatusNotFound, "index_not_found", fmt.Sprintf("Index `%s` not found.", uid))
}

// documentIDPattern is what Meilisearch accepts as a string document id.
var documentIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,511}$`)

// documentID returns the canonical id of a primary key value: a valid
// string, or an integer as its decimal text.
func documentID(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, documentIDPattern.MatchString(v)
	case json.Number:
		s := v.String()
		if _, err := v.Int64(); err == nil && !strings.ContainsAny(s, ".eE") {
			return s, true
		}
	}
	return "", false
}

// noteFields records the fields of doc in the order first seen.
func (x *index) noteFields(doc map[string]any) {
	keys := slices.Sorted(maps.Keys(doc))
	for _, k := range keys {
		if !x.fieldSeen[k] {
			x.fieldSeen[k] = true
			x.fieldOrder = append(x.fieldOrder, k)
		}
	}
}

// sortedDocs returns the documents in internal id order.
func (x *index) sortedDocs() []*document {
	out := make([]*document, 0, len(x.docs))
	for _, d := range x.docs {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].internal < out[j].internal })
	return out
}

func (e *engine) documents(uid string) []map[string]any {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		return nil
	}
	var out []map[string]any
	for _, d := range x.sortedDocs() {
		out = append(out, deepCopy(d.fields).(map[string]any))
	}
	return out
}

func (e *engine) received(uid string) map[string]int {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		return map[string]int{}
	}
	return maps.Clone(x.received)
}

func (e *engine) indexUIDs() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Sorted(maps.Keys(e.indexes))
}

// deepCopy copies a decoded JSON value.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, x := range v {
			s[i] = deepCopy(x)
		}
		return s
	}
	return v
}
