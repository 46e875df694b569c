package crawler

import (
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"time"
)

// newTransport returns the transport crawls fetch through: HTTP(S) with
// timeouts, and file:// for local folders of pages.
func newTransport(timeout time.Duration) *http.Transport {
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
	return t
}

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
