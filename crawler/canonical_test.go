package crawler

import (
	"net/url"
	"testing"
)

func TestCanonicalize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"HTTPS://WWW.Example.COM/a/b?utm_source=x&utm_medium=y#top", "https://www.example.com/a/b"},
		{"https://example.com:443/a?id=3&fbclid=abc&gclid=z&b=1", "https://example.com/a?b=1&id=3"},
		{"http://example.com:80", "http://example.com/"},
		{"http://example.com:8080/x?", "http://example.com:8080/x"},
		{"https://user:pw@example.com/x?UTM_Campaign=a&page=2", "https://example.com/x?page=2"},
		{"file:///tmp/site/a.html#c", "file:///tmp/site/a.html"},
	}
	for _, tt := range tests {
		u, err := url.Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := Canonicalize(u).String(); got != tt.want {
			t.Errorf("Canonicalize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSourceOf(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://www.Example.com/a", "example.com"},
		{"https://news.example.com:8443/a", "news.example.com"},
		{"file:///tmp/a.html", "local"},
	}
	for _, tt := range tests {
		u, _ := url.Parse(tt.in)
		if got := sourceOf(u); got != tt.want {
			t.Errorf("sourceOf(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
