package meilitest

import (
	"encoding/json"
	"net/http"
)

// apiError is an error the way Meilisearch answers it: an HTTP status and
// a body {"message", "code", "type", "link"}.
type apiError struct {
	status  int
	Message string `json:"message"`
	Code    string `json:"code"`
	Type    string `json:"type"`
	Link    string `json:"link"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// errorLink is the documentation link Meilisearch gives for an error code.
func errorLink(code string) string {
	return "https://docs.meilisearch.com/errors#" + code
}

// newError returns an error of type invalid_request, the type of most
// errors a client causes.
func newError(status int, code, message string) *apiError {
	return newTypedError(status, code, "invalid_request", message)
}

func newTypedError(status int, code, typ, message string) *apiError {
	return &apiError{status: status, Message: message, Code: code, Type: typ, Link: errorLink(code)}
}

// taskErrorObject is the "error" object of a failed task.
type taskErrorObject struct {
	Message string `json:"message"`
	Code    string `json:"code"`
	Type    string `json:"type"`
	Link    string `json:"link"`
}

func (e *apiError) object() *taskErrorObject {
	return &taskErrorObject{Message: e.Message, Code: e.Code, Type: e.Type, Link: e.Link}
}

// writeJSON writes v as the JSON body of a response with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(newTypedError(status, "internal", "internal", "meilitest: encode response: "+err.Error()))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError writes e as Meilisearch does.
func writeError(w http.ResponseWriter, e *apiError) {
	writeJSON(w, e.status, e)
}
