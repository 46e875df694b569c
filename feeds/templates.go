package feeds

import (
	"embed"
	"html/template"
	"strconv"
	"strings"
	"time"
)

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// templates are the HTML templates of the digest, of the feeds' item
// descriptions and of the server's pages.
var templates = template.Must(template.New("").Funcs(template.FuncMap{
	"splitSnippet": splitSnippet,
	"join":         strings.Join,
	"day":          formatDay,
	"datetime":     formatDateTime,
	"iso":          formatISO,
	"plural":       plural,
}).ParseFS(templateFiles, "templates/*.html"))

// formatDay writes a date as 2026-11-10, or "undated".
func formatDay(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.UTC().Format("2006-01-02")
}

// formatDateTime writes a time as 2026-11-10 08:30 UTC, or "undated".
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return "undated"
	}
	return t.UTC().Format("2006-01-02 15:04 MST")
}

// formatISO writes a time in RFC 3339, for <time datetime>.
func formatISO(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// plural returns "1 story" or "2 stories": n, then the word for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
