package crawler

import (
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"time"
)

// newTransport returns the transport crawls fetch through: HTTP(S) with
// timeouts, and file:// for local folders of pages, inflating gzipped
// bodies to at most maxBody bytes.
func newTransport(timeout time.Duration, maxBody int) http.RoundTripper {
	t := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	t.RegisterProtocol("file", fileTransport{http.NewFileTransport(http.Dir("/"))})
	return inflateTransport{next: t, maxBody: int64(maxBody)}
}

// inflateTransport inflates the bodies served gzipped that the HTTP
// transport leaves compressed: a gzip Content-Encoding it did not ask for,
// and files served as application/x-gzip or at a .gz URL (sitemaps) with no
// Content-Encoding. It inflates them itself, to maxBody bytes at most: the
// collector would inflate them without a bound, after limiting only their
// compressed size.
type inflateTransport struct {
	next    http.RoundTripper
	maxBody int64
}

func (t inflateTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.next.RoundTrip(req)
	if err != nil || resp.Uncompressed {
		return resp, err
	}
	encoding := strings.ToLower(resp.Header.Get("Content-Encoding"))
	gzipped := strings.Contains(encoding, "gzip") ||
		encoding == "" && (strings.Contains(strings.ToLower(resp.Header.Get("Content-Type")), "gzip") || strings.HasSuffix(strings.ToLower(req.URL.Path), ".gz"))
	if !gzipped {
		return resp, nil
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		resp.Body.Close()
		return nil, fmt.Errorf("inflate %s: %w", req.URL, err)
	}
	resp.Body = &inflated{zr: zr, body: resp.Body, left: t.maxBody, url: req.URL.String()}
	resp.Header.Del("Content-Encoding")
	resp.Header.Del("Content-Length")
	resp.ContentLength = -1
	resp.Uncompressed = true
	return resp, nil
}

// inflated reads an inflated body and fails once it passes its bound.
type inflated struct {
	zr   *gzip.Reader
	body io.ReadCloser
	left int64
	url  string
}

func (b *inflated) Read(p []byte) (int, error) {
	if b.left <= 0 {
		// One byte more tells a body of exactly the bound from a larger one.
		if n, _ := b.zr.Read(make([]byte, 1)); n > 0 {
			return 0, fmt.Errorf("%s: %w", b.url, ErrTooLarge)
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.zr.Read(p)
	b.left -= int64(n)
	return n, err
}

func (b *inflated) Close() error {
	b.zr.Close()
	return b.body.Close()
}

// ErrTooLarge is returned for a body that inflates to more than the
// crawl's maximum body size.
var ErrTooLarge = errors.New("inflates to more than the maximum body size (--max-body)")

// fileTransport serves local files without the charset the file server
// assumes: like a browser opening a file, the page's own <meta charset> or
// byte order mark decides.
type fileTransport struct{ rt http.RoundTripper }

func (f fileTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := f.rt.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	if ct := resp.Header.Get("Content-Type"); strings.Contains(ct, "charset") {
		mt, _, _ := mime.ParseMediaType(ct)
		if mt == "" {
			mt = mime.TypeByExtension(path.Ext(req.URL.Path))
		}
		resp.Header.Set("Content-Type", mt)
	}
	return resp, nil
}
