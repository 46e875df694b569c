package meilitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// route dispatches a request whose body has been read.
func route(e *engine, w http.ResponseWriter, r *http.Request, body []byte) {
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	m := r.Method
	notAllowed := func() {
		writeError(w, newError(http.StatusMethodNotAllowed, "method_not_allowed",
			fmt.Sprintf("meilitest: method %s is not allowed on %s", m, r.URL.Path)))
	}
	switch {
	case len(parts) == 1 && parts[0] == "health":
		if m != http.MethodGet {
			notAllowed()
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "available"})
	case len(parts) == 1 && parts[0] == "version":
		if m != http.MethodGet {
			notAllowed()
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{
			"commitSha": "meilitest", "commitDate": "2025-01-01T00:00:00Z", "pkgVersion": Version,
		})
	case len(parts) == 1 && parts[0] == "stats":
		e.globalStats(w)
	case len(parts) == 1 && parts[0] == "tasks":
		if m != http.MethodGet {
			notAllowed()
			return
		}
		e.listTasks(w, r)
	case len(parts) == 2 && parts[0] == "tasks":
		if m != http.MethodGet {
			notAllowed()
			return
		}
		e.getTask(w, parts[1])
	case len(parts) == 1 && parts[0] == "indexes":
		switch m {
		case http.MethodGet:
			e.listIndexes(w, r)
		case http.MethodPost:
			e.createIndex(w, r, body)
		default:
			notAllowed()
		}
	case len(parts) >= 2 && parts[0] == "indexes":
		routeIndex(e, w, r, parts[1], parts[2:], body, notAllowed)
	default:
		writeError(w, newError(http.StatusNotFound, "not_found", fmt.Sprintf("meilitest: no route %s %s", m, r.URL.Path)))
	}
}

// routeIndex dispatches the routes under /indexes/{uid}.
func routeIndex(e *engine, w http.ResponseWriter, r *http.Request, uid string, rest []string, body []byte, notAllowed func()) {
	m := r.Method
	switch {
	case len(rest) == 0:
		switch m {
		case http.MethodGet:
			e.getIndex(w, uid)
		case http.MethodDelete:
			e.deleteIndex(w, uid)
		default:
			notAllowed()
		}
	case rest[0] == "settings" && len(rest) == 1:
		switch m {
		case http.MethodGet:
			e.getSettings(w, uid)
		case http.MethodPatch:
			if ok := requireJSON(w, r); ok {
				e.updateSettings(w, uid, body)
			}
		case http.MethodDelete:
			e.updateSettings(w, uid, []byte(resetAllSettings()))
		default:
			notAllowed()
		}
	case rest[0] == "settings" && len(rest) == 2:
		e.subSetting(w, r, uid, rest[1], body, notAllowed)
	case rest[0] == "documents" && len(rest) == 1:
		switch m {
		case http.MethodGet:
			e.listDocuments(w, r, uid)
		case http.MethodPost, http.MethodPut:
			e.addDocuments(w, r, uid, body, m == http.MethodPut)
		case http.MethodDelete:
			e.deleteAllDocuments(w, uid)
		default:
			notAllowed()
		}
	case rest[0] == "documents" && len(rest) == 2 && rest[1] == "delete-batch" && m == http.MethodPost:
		if requireJSON(w, r) {
			e.deleteDocuments(w, uid, body)
		}
	case rest[0] == "documents" && len(rest) == 2 && rest[1] == "fetch" && m == http.MethodPost:
		if requireJSON(w, r) {
			e.fetchDocuments(w, uid, body)
		}
	case rest[0] == "documents" && len(rest) == 2:
		switch m {
		case http.MethodGet:
			e.getDocument(w, uid, rest[1], r.URL.Query().Get("fields"))
		case http.MethodDelete:
			e.deleteDocuments(w, uid, mustJSON([]string{rest[1]}))
		default:
			notAllowed()
		}
	case rest[0] == "stats" && len(rest) == 1:
		if m != http.MethodGet {
			notAllowed()
			return
		}
		e.indexStats(w, uid)
	case rest[0] == "search" && len(rest) == 1:
		switch m {
		case http.MethodPost:
			if requireJSON(w, r) {
				e.search(w, uid, body)
			}
		case http.MethodGet:
			e.search(w, uid, searchFromQuery(r))
		default:
			notAllowed()
		}
	default:
		writeError(w, newError(http.StatusNotFound, "not_found", fmt.Sprintf("meilitest: no route %s %s", m, r.URL.Path)))
	}
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// requireJSON checks that a request with a JSON body says so, as
// Meilisearch does.
func requireJSON(w http.ResponseWriter, r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		writeError(w, newError(http.StatusUnsupportedMediaType, "missing_content_type",
			"A Content-Type header is required. Accepted values for the Content-Type header are: `application/json`"))
		return false
	}
	if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
		writeError(w, newError(http.StatusUnsupportedMediaType, "invalid_content_type",
			fmt.Sprintf("The Content-Type `%s` is invalid. Accepted values for the Content-Type header are: `application/json`", ct)))
		return false
	}
	return true
}

// decodeJSON decodes a body keeping numbers exact.
func decodeJSON(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

func badJSON(err error) *apiError {
	return newError(http.StatusBadRequest, "bad_request", "Json deserialize error: "+err.Error())
}

func (e *engine) createIndex(w http.ResponseWriter, r *http.Request, body []byte) {
	if !requireJSON(w, r) {
		return
	}
	var req map[string]any
	if err := decodeJSON(body, &req); err != nil {
		writeError(w, badJSON(err))
		return
	}
	for k := range req {
		if k != "uid" && k != "primaryKey" {
			writeError(w, newError(http.StatusBadRequest, "bad_request",
				fmt.Sprintf("Unknown field `%s`: expected one of `uid`, `primaryKey`", k)))
			return
		}
	}
	uid, ok := req["uid"].(string)
	if !ok {
		writeError(w, newError(http.StatusBadRequest, "missing_index_uid", "Missing field `uid`"))
		return
	}
	if err := validIndexUID(uid); err != nil {
		writeError(w, err)
		return
	}
	var pk string
	if v, present := req["primaryKey"]; present && v != nil {
		if pk, ok = v.(string); !ok {
			writeError(w, newError(http.StatusBadRequest, "invalid_index_primary_key",
				"Invalid value type at `.primaryKey`: expected a string, but found something else"))
			return
		}
	}
	details := map[string]any{"primaryKey": nullable(pk)}
	writeJSON(w, http.StatusAccepted, e.enqueue(uid, typeIndexCreation, details, func(t *task) *apiError {
		if e.indexes[uid] != nil {
			return newError(http.StatusConflict, "index_already_exists", fmt.Sprintf("Index `%s` already exists.", uid))
		}
		e.createIndexLocked(uid, pk)
		return nil
	}))
}

func indexView(x *index) map[string]any {
	return map[string]any{
		"uid": x.uid, "createdAt": formatTime(x.createdAt), "updatedAt": formatTime(x.updatedAt),
		"primaryKey": nullable(x.primaryKey),
	}
}

func (e *engine) getIndex(w http.ResponseWriter, uid string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		writeError(w, indexNotFound(uid))
		return
	}
	writeJSON(w, http.StatusOK, indexView(x))
}

// pageParams reads offset and limit query parameters.
type pageParams struct{ offset, limit int }

func listQuery(r *http.Request) (pageParams, string, *apiError) {
	p := pageParams{limit: 20}
	q := r.URL.Query()
	for name, dst := range map[string]*int{"offset": &p.offset, "limit": &p.limit} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return p, "", newError(http.StatusBadRequest, "invalid_document_"+name,
					fmt.Sprintf("Invalid value in parameter `%s`: could not parse `%s` as a positive integer", name, v))
			}
			*dst = n
		}
	}
	return p, q.Get("fields"), nil
}

func (e *engine) listIndexes(w http.ResponseWriter, r *http.Request) {
	p, _, perr := listQuery(r)
	if perr != nil {
		perr.Code = strings.Replace(perr.Code, "document", "index", 1)
		perr.Link = errorLink(perr.Code)
		writeError(w, perr)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	uids := make([]string, 0, len(e.indexes))
	for uid := range e.indexes {
		uids = append(uids, uid)
	}
	slices.Sort(uids)
	results := []map[string]any{}
	for i := p.offset; i < len(uids) && len(results) < p.limit; i++ {
		results = append(results, indexView(e.indexes[uids[i]]))
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "offset": p.offset, "limit": p.limit, "total": len(uids)})
}

func (e *engine) deleteIndex(w http.ResponseWriter, uid string) {
	writeJSON(w, http.StatusAccepted, e.enqueue(uid, typeIndexDeletion, map[string]any{"deletedDocuments": 0}, func(t *task) *apiError {
		x := e.indexes[uid]
		if x == nil {
			return indexNotFound(uid)
		}
		t.details["deletedDocuments"] = len(x.docs)
		delete(e.indexes, uid)
		return nil
	}))
}

func (e *engine) indexStats(w http.ResponseWriter, uid string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		writeError(w, indexNotFound(uid))
		return
	}
	writeJSON(w, http.StatusOK, e.statsOf(x))
}

// statsOf returns the stats object of an index. e.mu must be held.
func (e *engine) statsOf(x *index) map[string]any {
	dist := map[string]int{}
	size := 0
	for _, d := range x.docs {
		for k := range d.fields {
			dist[k]++
		}
		size += len(mustJSON(d.fields))
	}
	avg := 0
	if len(x.docs) > 0 {
		avg = size / len(x.docs)
	}
	return map[string]any{
		"numberOfDocuments": len(x.docs), "isIndexing": e.indexBusy(x.uid),
		"fieldDistribution": dist, "rawDocumentDbSize": size, "avgDocumentSize": avg,
		"numberOfEmbeddedDocuments": 0, "numberOfEmbeddings": 0,
	}
}

func (e *engine) globalStats(w http.ResponseWriter) {
	e.mu.Lock()
	defer e.mu.Unlock()
	indexes := map[string]any{}
	total := 0
	for uid, x := range e.indexes {
		s := e.statsOf(x)
		total += s["rawDocumentDbSize"].(int)
		indexes[uid] = s
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"databaseSize": total, "usedDatabaseSize": total, "lastUpdate": nil, "indexes": indexes,
	})
}
