package crawler

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// start is where a crawl begins and the part of the web it may reach.
type start struct {
	urls []*url.URL // pages to fetch first
	// scope: an http(s) host, or for local files a directory ("file" scheme).
	scheme, host, dir string
}

// resolveStart turns a command-line argument into a start: an http(s) URL,
// a file:// URL, or a local path (a file, or a directory whose index.html,
// or else whose every .html file, starts the crawl).
func resolveStart(arg string) (*start, error) {
	if u, err := url.Parse(arg); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		if u.Host == "" {
			return nil, fmt.Errorf("%q: URL has no host", arg)
		}
		return &start{urls: []*url.URL{u}, scheme: u.Scheme, host: strings.ToLower(u.Host)}, nil
	} else if err == nil && u.Scheme == "file" {
		arg = u.Path
	} else if err == nil && u.Scheme != "" && len(u.Scheme) > 1 {
		return nil, fmt.Errorf("%q: unsupported scheme %q (use http, https, file or a path)", arg, u.Scheme)
	}
	path, err := filepath.Abs(arg)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", arg, err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: no such file or directory", arg)
	}
	if !info.IsDir() {
		return &start{urls: []*url.URL{fileURL(path)}, scheme: "file", dir: filepath.Dir(path)}, nil
	}
	s := &start{scheme: "file", dir: path}
	if index := filepath.Join(path, "index.html"); isFile(index) {
		s.urls = []*url.URL{fileURL(index)}
		return s, nil
	}
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".htm")) {
			s.urls = append(s.urls, fileURL(p))
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", arg, err)
	}
	if len(s.urls) == 0 {
		return nil, fmt.Errorf("%s: no index.html and no .html files", arg)
	}
	return s, nil
}

func isFile(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.Mode().IsRegular()
}

func fileURL(path string) *url.URL {
	return &url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
}

// contains reports whether u is inside the start's scope.
func (s *start) contains(u *url.URL) bool {
	if s.scheme == "file" {
		return u.Scheme == "file" && (u.Path == s.dir || strings.HasPrefix(u.Path, s.dir+"/"))
	}
	return (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, s.host)
}

// robotsURL returns where the robots.txt that governs u is: the site root
// for http(s), the start directory for local files.
func (s *start) robotsURL() string {
	if s.scheme == "file" {
		return fileURL(filepath.Join(s.dir, "robots.txt")).String()
	}
	return s.scheme + "://" + s.host + "/robots.txt"
}

// robotsPath returns u's path as robots.txt rules see it.
func (s *start) robotsPath(u *url.URL) string {
	if s.scheme == "file" {
		p := strings.TrimPrefix(u.Path, s.dir)
		if !strings.HasPrefix(p, "/") {
			p = "/" + p
		}
		return p
	}
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}
