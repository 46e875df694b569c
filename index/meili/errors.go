package meili

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/meilisearch/meilisearch-go"
)

// ErrUnreachable is wrapped by the errors of requests that still failed
// after every retry: connection errors, timeouts, 429 and 5xx answers.
var ErrUnreachable = errors.New("meilisearch unreachable")

// ErrTaskFailed is wrapped by the errors of writes whose Meilisearch task
// failed or was canceled; see TaskError.
var ErrTaskFailed = errors.New("meilisearch task failed")

// errClosed is returned by the methods of a closed Index.
var errClosed = errors.New("meilisearch index is closed")

// UnreachableError is a request that failed after every attempt. It wraps
// ErrUnreachable and the cause of the last failure.
type UnreachableError struct {
	URL      string // the server, without credentials
	Method   string
	Path     string
	Attempts int
	Err      error // the last failure
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%v at %s: %s %s failed after %d attempt(s): %v",
		ErrUnreachable, e.URL, e.Method, e.Path, e.Attempts, e.Err)
}

// Unwrap returns ErrUnreachable and the last failure.
func (e *UnreachableError) Unwrap() []error { return []error{ErrUnreachable, e.Err} }

// APIError is an error answer of Meilisearch: its HTTP status and the
// code, type, message and link of its body.
type APIError struct {
	Method     string
	Path       string
	StatusCode int
	Code       string
	Type       string
	Message    string
	Link       string
}

func (e *APIError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("meilisearch: %s %s: status %d: %s", e.Method, e.Path, e.StatusCode, e.Message)
	}
	return fmt.Sprintf("meilisearch: %s %s: status %d: %s: %s", e.Method, e.Path, e.StatusCode, e.Code, e.Message)
}

// TaskError is a Meilisearch task that failed (or was canceled): its uid,
// type, and the code and message of its error. It wraps ErrTaskFailed.
// Failed tasks are not retried.
type TaskError struct {
	UID      int64
	IndexUID string
	Type     string
	Status   string
	Code     string
	Message  string
}

func (e *TaskError) Error() string {
	if e.Status != string(meilisearch.TaskStatusFailed) {
		return fmt.Sprintf("meilisearch task %d %s", e.UID, e.Status)
	}
	return fmt.Sprintf("meilisearch task %d failed: %s: %s", e.UID, e.Code, e.Message)
}

// Unwrap returns ErrTaskFailed.
func (e *TaskError) Unwrap() error { return ErrTaskFailed }

// convert turns an error of the Meilisearch client into one of this
// package: the context's error, an *UnreachableError, an *APIError, or the
// client's error with its cause.
func convert(err error) error {
	var me *meilisearch.Error
	if !errors.As(err, &me) {
		return err
	}
	if me.OriginError != nil {
		var ue *UnreachableError
		if errors.As(me.OriginError, &ue) {
			return ue
		}
		var urlErr *url.Error
		if errors.As(me.OriginError, &urlErr) && (errors.Is(urlErr.Err, context.Canceled) || errors.Is(urlErr.Err, context.DeadlineExceeded)) {
			return urlErr.Err
		}
		if me.MeilisearchApiError.Code == "" && me.StatusCode == 0 {
			return me.OriginError
		}
	}
	if me.StatusCode != 0 {
		ae := &APIError{
			Method: me.Method, Path: me.Endpoint, StatusCode: me.StatusCode,
			Code: me.MeilisearchApiError.Code, Type: me.MeilisearchApiError.Type,
			Message: me.MeilisearchApiError.Message, Link: me.MeilisearchApiError.Link,
		}
		if ae.Code == "" && ae.Message == "empty meilisearch message" {
			ae.Message = "no error body"
		}
		if me.OriginError != nil && ae.Code == "" {
			ae.Message = me.OriginError.Error()
		}
		return ae
	}
	return err
}

// hasCode reports whether err is a Meilisearch error answer with code.
func hasCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}
