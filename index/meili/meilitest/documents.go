package meilitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"
)

// addDocuments serves POST (add or replace) and PUT (add or update)
// /indexes/{uid}/documents, with a JSON array or object, or NDJSON.
func (e *engine) addDocuments(w http.ResponseWriter, r *http.Request, uid string, body []byte, update bool) {
	if err := validIndexUID(uid); err != nil {
		writeError(w, err)
		return
	}
	docs, perr := parseDocuments(r.Header.Get("Content-Type"), body)
	if perr != nil {
		writeError(w, perr)
		return
	}
	pkParam := r.URL.Query().Get("primaryKey")

	e.mu.Lock()
	x := e.indexes[uid]
	pk := pkParam
	if pk == "" && x != nil {
		pk = x.primaryKey
	}
	if pk == "" && len(docs) > 0 {
		pk, _ = inferPrimaryKey(docs[0])
	}
	if pk != "" {
		counts := map[string]int{}
		for _, d := range docs {
			if id, ok := documentID(d[pk]); ok {
				counts[id]++
			}
		}
		e.addReceived(uid, counts)
	}
	e.mu.Unlock()

	details := map[string]any{"receivedDocuments": len(docs), "indexedDocuments": nil}
	writeJSON(w, http.StatusAccepted, e.enqueue(uid, typeDocumentAddition, details, func(t *task) *apiError {
		x := e.indexes[uid]
		created := false
		if x == nil {
			x = newIndex(uid, "", time.Now().UTC())
			created = true
		}
		pk := x.primaryKey
		switch {
		case pkParam != "" && pk != "" && pkParam != pk:
			return newError(http.StatusBadRequest, "index_primary_key_already_exists",
				fmt.Sprintf("Index `%s`: Index already has a primary key: `%s`.", uid, pk))
		case pk == "" && pkParam != "":
			pk = pkParam
		case pk == "" && len(docs) > 0:
			var err *apiError
			if pk, err = inferPrimaryKey(docs[0]); err != nil {
				return err
			}
		}
		ids := make([]string, len(docs))
		for i, d := range docs {
			v, ok := d[pk]
			if !ok {
				return newError(http.StatusBadRequest, "missing_document_id",
					fmt.Sprintf("Document doesn't have a `%s` attribute: `%s`.", pk, mustJSON(d)))
			}
			id, ok := documentID(v)
			if !ok {
				return newError(http.StatusBadRequest, "invalid_document_id", fmt.Sprintf(
					"Document identifier `%s` is invalid. A document identifier can be of type integer or string, only composed of alphanumeric characters (a-z A-Z 0-9), hyphens (-) and underscores (_), and can not be more than 511 bytes.",
					mustJSON(v)))
			}
			ids[i] = id
		}
		if created {
			x = e.createIndexLocked(uid, "")
		}
		x.primaryKey = pk
		for i, d := range docs {
			old := x.docs[ids[i]]
			if update && old != nil {
				merged := deepCopy(old.fields).(map[string]any)
				for k, v := range d {
					merged[k] = v
				}
				d = merged
			}
			x.noteFields(d)
			nd := &document{id: ids[i], fields: d}
			if old != nil {
				nd.internal = old.internal
			} else {
				nd.internal = x.nextDocID
				x.nextDocID++
			}
			x.docs[ids[i]] = nd
		}
		x.updatedAt = time.Now().UTC()
		t.details["indexedDocuments"] = len(docs)
		return nil
	}))
}

// addReceived counts received documents of index uid, keeping them aside
// when a pending task is still to create it. e.mu must be held.
func (e *engine) addReceived(uid string, counts map[string]int) {
	if e.early == nil {
		e.early = map[string]map[string]int{}
	}
	if x := e.indexes[uid]; x != nil {
		for id, n := range counts {
			x.received[id] += n
		}
		return
	}
	m := e.early[uid]
	if m == nil {
		m = map[string]int{}
		e.early[uid] = m
	}
	for id, n := range counts {
		m[id] += n
	}
}

// takeEarlyReceived returns and forgets the counts addReceived kept aside.
// e.mu must be held.
func (e *engine) takeEarlyReceived(uid string) map[string]int {
	m := e.early[uid]
	delete(e.early, uid)
	if m == nil {
		m = map[string]int{}
	}
	return m
}

// inferPrimaryKey finds the one field of doc whose name ends with "id", as
// Meilisearch does when no primary key is given.
func inferPrimaryKey(doc map[string]any) (string, *apiError) {
	var found []string
	for k := range doc {
		if strings.HasSuffix(strings.ToLower(k), "id") {
			found = append(found, k)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return "", newError(http.StatusBadRequest, "index_primary_key_no_candidate_found",
			"The primary key inference failed as the engine did not find any field ending with `id` in its name. Please specify the primary key manually using the `primaryKey` query parameter.")
	}
	return "", newError(http.StatusBadRequest, "index_primary_key_multiple_candidates_found",
		fmt.Sprintf("The primary key inference failed as the engine found %d fields ending with `id` in their names: '%s'. Please specify the primary key manually using the `primaryKey` query parameter.",
			len(found), strings.Join(found, "' and '")))
}

// parseDocuments decodes a documents payload by its content type.
func parseDocuments(contentType string, body []byte) ([]map[string]any, *apiError) {
	accepted := "Accepted values for the Content-Type header are: `application/json`, `application/x-ndjson`, `text/csv`"
	if contentType == "" {
		return nil, newError(http.StatusUnsupportedMediaType, "missing_content_type",
			"A Content-Type header is required. "+accepted)
	}
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt = contentType
	}
	malformed := func(format string, err error) *apiError {
		return newError(http.StatusBadRequest, "malformed_payload",
			fmt.Sprintf("The `%s` payload provided is malformed. `%v`.", format, err))
	}
	var docs []map[string]any
	switch mt {
	case "application/json":
		var v any
		if err := decodeJSON(body, &v); err != nil {
			return nil, malformed("json", err)
		}
		switch v := v.(type) {
		case map[string]any:
			docs = []map[string]any{v}
		case []any:
			for i, item := range v {
				m, ok := item.(map[string]any)
				if !ok {
					return nil, malformed("json", fmt.Errorf("Couldn't serialize document value: document %d is not an object", i))
				}
				docs = append(docs, m)
			}
		default:
			return nil, malformed("json", fmt.Errorf("Couldn't serialize document value: expected an object or an array of objects"))
		}
	case "application/x-ndjson":
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.UseNumber()
		for dec.More() {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				return nil, malformed("ndjson", err)
			}
			docs = append(docs, m)
		}
	case "text/csv":
		return nil, newError(http.StatusUnsupportedMediaType, "invalid_content_type",
			"meilitest: the test double does not support CSV payloads")
	default:
		return nil, newError(http.StatusUnsupportedMediaType, "invalid_content_type",
			fmt.Sprintf("The Content-Type `%s` is invalid. %s", contentType, accepted))
	}
	return docs, nil
}

// deleteDocuments serves POST /indexes/{uid}/documents/delete-batch: a JSON
// array of ids, strings or integers.
func (e *engine) deleteDocuments(w http.ResponseWriter, uid string, body []byte) {
	var raw []any
	if err := decodeJSON(body, &raw); err != nil {
		writeError(w, badJSON(err))
		return
	}
	ids := make([]string, 0, len(raw))
	for _, v := range raw {
		switch v := v.(type) {
		case string:
			ids = append(ids, v)
		case json.Number:
			ids = append(ids, v.String())
		default:
			writeError(w, newError(http.StatusBadRequest, "invalid_document_ids",
				fmt.Sprintf("Invalid value type at `[%d]`: expected a string or an integer", len(ids))))
			return
		}
	}
	details := map[string]any{"providedIds": len(ids), "deletedDocuments": nil, "originalFilter": nil}
	writeJSON(w, http.StatusAccepted, e.enqueue(uid, typeDocumentDeletion, details, func(t *task) *apiError {
		x := e.indexes[uid]
		if x == nil {
			return indexNotFound(uid)
		}
		n := 0
		for _, id := range ids {
			if _, ok := x.docs[id]; ok {
				delete(x.docs, id)
				n++
			}
		}
		x.updatedAt = time.Now().UTC()
		t.details["deletedDocuments"] = n
		return nil
	}))
}

// deleteAllDocuments serves DELETE /indexes/{uid}/documents.
func (e *engine) deleteAllDocuments(w http.ResponseWriter, uid string) {
	details := map[string]any{"providedIds": 0, "deletedDocuments": nil, "originalFilter": nil}
	writeJSON(w, http.StatusAccepted, e.enqueue(uid, typeDocumentDeletion, details, func(t *task) *apiError {
		x := e.indexes[uid]
		if x == nil {
			return indexNotFound(uid)
		}
		t.details["deletedDocuments"] = len(x.docs)
		x.docs = map[string]*document{}
		x.updatedAt = time.Now().UTC()
		return nil
	}))
}

// getDocument serves GET /indexes/{uid}/documents/{id}.
func (e *engine) getDocument(w http.ResponseWriter, uid, id, fields string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		writeError(w, indexNotFound(uid))
		return
	}
	d := x.docs[id]
	if d == nil {
		writeError(w, newError(http.StatusNotFound, "document_not_found", fmt.Sprintf("Document `%s` not found.", id)))
		return
	}
	writeJSON(w, http.StatusOK, x.retrieve(d.fields, splitFields(fields)))
}

func splitFields(s string) []string {
	if s == "" {
		return nil
	}
	var out []string
	for _, f := range strings.Split(s, ",") {
		if f = strings.TrimSpace(f); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// retrieve returns the displayed fields of a document, restricted to
// fields when not empty ("*" for all).
func (x *index) retrieve(doc map[string]any, fields []string) map[string]any {
	out := map[string]any{}
	for k, v := range doc {
		if !matchAny(x.settings.DisplayedAttributes, k) {
			continue
		}
		if len(fields) > 0 && !matchAny(fields, k) {
			continue
		}
		out[k] = deepCopy(v)
	}
	return out
}

// matchAny reports whether field is named by one of the attribute
// patterns: "*", an exact name, a parent of a nested field, or a pattern
// with * at its start or end.
func matchAny(patterns []string, field string) bool {
	for _, p := range patterns {
		if matchPattern(p, field) {
			return true
		}
	}
	return false
}

func matchPattern(p, field string) bool {
	switch {
	case p == "*" || p == field || strings.HasPrefix(field, p+"."):
		return true
	case strings.HasPrefix(p, "*") && strings.HasSuffix(p, "*") && len(p) > 1:
		return strings.Contains(field, p[1:len(p)-1])
	case strings.HasPrefix(p, "*"):
		return strings.HasSuffix(field, p[1:])
	case strings.HasSuffix(p, "*"):
		return strings.HasPrefix(field, p[:len(p)-1])
	}
	return false
}

// listDocuments serves GET /indexes/{uid}/documents.
func (e *engine) listDocuments(w http.ResponseWriter, r *http.Request, uid string) {
	p, fields, perr := listQuery(r)
	if perr != nil {
		writeError(w, perr)
		return
	}
	var filter any
	if f := r.URL.Query().Get("filter"); f != "" {
		filter = f
	}
	e.writeDocuments(w, uid, p, splitFields(fields), filter, nil)
}

// fetchDocuments serves POST /indexes/{uid}/documents/fetch.
func (e *engine) fetchDocuments(w http.ResponseWriter, uid string, body []byte) {
	var req struct {
		Offset *int     `json:"offset"`
		Limit  *int     `json:"limit"`
		Fields []string `json:"fields"`
		Filter any      `json:"filter"`
		IDs    []any    `json:"ids"`
	}
	if err := decodeJSON(body, &req); err != nil {
		writeError(w, badJSON(err))
		return
	}
	p := pageParams{limit: 20}
	if req.Offset != nil {
		p.offset = max(*req.Offset, 0)
	}
	if req.Limit != nil {
		p.limit = max(*req.Limit, 0)
	}
	var ids map[string]bool
	if req.IDs != nil {
		ids = map[string]bool{}
		for _, v := range req.IDs {
			if id, ok := documentID(v); ok {
				ids[id] = true
			}
		}
	}
	e.writeDocuments(w, uid, p, req.Fields, req.Filter, ids)
}

func (e *engine) writeDocuments(w http.ResponseWriter, uid string, p pageParams, fields []string, filter any, ids map[string]bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		writeError(w, indexNotFound(uid))
		return
	}
	var f filterExpr
	if filter != nil {
		var perr *apiError
		if f, perr = parseFilterParam(filter, x.settings, uid, "invalid_document_filter"); perr != nil {
			writeError(w, perr)
			return
		}
	}
	results := []map[string]any{}
	total := 0
	for _, d := range x.sortedDocs() {
		if (ids != nil && !ids[d.id]) || (f != nil && !f.eval(d.fields)) {
			continue
		}
		if total >= p.offset && len(results) < p.limit {
			results = append(results, x.retrieve(d.fields, fields))
		}
		total++
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results, "offset": p.offset, "limit": p.limit, "total": total})
}
