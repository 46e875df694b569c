package crawler

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

func cp1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestParsePageCharsets(t *testing.T) {
	const text = "L’Arcep a décidé: 10 € pour la fibre, ça coûte «cher»"
	page := func(head string) string {
		return "<html><head>" + head + "</head><body><p>" + text + "</p></body></html>"
	}
	tests := []struct {
		name        string
		body        []byte
		contentType string
	}{
		{"utf-8 meta", []byte(page(`<meta charset="utf-8">`)), "text/html"},
		{"windows-1252 http-equiv", cp1252(t, page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`)), "text/html"},
		{"windows-1252 meta charset", cp1252(t, page(`<meta charset="windows-1252">`)), ""},
		{"iso-8859-1 label means windows-1252", cp1252(t, page(`<meta charset="iso-8859-1">`)), ""},
		{"header wins over meta", cp1252(t, page(`<meta charset="utf-8">`)), "text/html; charset=windows-1252"},
		{"utf-8 BOM, no declaration", append([]byte("\xef\xbb\xbf"), page("")...), "text/html"},
		{"no declaration, valid utf-8", []byte(page("")), ""},
	}
	u, _ := url.Parse("https://example.com/a")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePage(tt.body, u, tt.contentType)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.TrimSpace(p.Doc.Find("p").Text()); got != text {
				t.Errorf("text = %q, want %q", got, text)
			}
		})
	}
}

func TestLinks(t *testing.T) {
	const body = `<html><head><base href="https://example.com/news/"></head><body>
<a href="a.html">a</a> <a href="a.html#comments">a again</a> <a href="/b?utm_source=x">b</a>
<a href="mailto:x@example.com">mail</a> <a href="javascript:void(0)">js</a> <a href="#top">top</a>
<a href="photo.JPG">photo</a> <a href="https://other.example/c" rel="nofollow">c</a> <a href=" d.html ">d</a>`
	u, _ := url.Parse("https://example.com/index.html")
	p, err := ParsePage([]byte(body), u, "text/html")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range p.Links() {
		got = append(got, l.String())
	}
	want := []string{"https://example.com/news/a.html", "https://example.com/b?utm_source=x", "https://example.com/news/d.html"}
	if !slices.Equal(got, want) {
		t.Errorf("Links() = %q, want %q", got, want)
	}
}
