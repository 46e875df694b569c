package feeds

import (
	"bytes"
	"context"
	"net/http"
)

// answer answers r with the response of render, through the cache of
// rendered responses (see guard.cached); nothing when r went away first.
func (s *Server) answer(w http.ResponseWriter, r *http.Request, render func(context.Context) response) {
	if res, ok := s.guard.cached(r, render); ok {
		send(w, r, res)
	}
}

// cachedHandler answers requests with h through the cache of rendered
// responses (see answer): the same search asked again within the cache
// TTL, or while it runs, by anyone, is answered without searching again.
// h runs on a copy of the request without its conditional and encoding
// headers, so that what is kept is the whole plain body; send then answers
// each request with its own ETag, gzip and 304.
func (s *Server) cachedHandler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.answer(w, r, func(ctx context.Context) response {
			inner := r.Clone(ctx)
			for _, name := range []string{"Accept-Encoding", "If-None-Match", "If-Modified-Since"} {
				inner.Header.Del(name)
			}
			inner.Method = http.MethodGet
			rec := &recorder{header: http.Header{}}
			h.ServeHTTP(rec, inner)
			return rec.response()
		})
	})
}

// recorder is an http.ResponseWriter that keeps what a handler writes.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

func (rec *recorder) Write(p []byte) (int, error) {
	rec.WriteHeader(http.StatusOK)
	return rec.body.Write(p)
}

// response returns what was written as a response for send.
func (rec *recorder) response() response {
	res := response{status: rec.status, contentType: rec.header.Get("Content-Type"),
		body: rec.body.Bytes(), cacheControl: rec.header.Get("Cache-Control")}
	if res.status == 0 {
		res.status = http.StatusOK
	}
	if t, err := http.ParseTime(rec.header.Get("Last-Modified")); err == nil {
		res.lastModified = t
	}
	return res
}
