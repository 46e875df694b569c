package feeds

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Format is a way to render a digest.
type Format string

// The formats a digest renders to.
const (
	FormatRSS      Format = "rss"  // RSS 2.0
	FormatAtom     Format = "atom" // Atom 1.0
	FormatJSON     Format = "json" // JSON Feed 1.1
	FormatMarkdown Format = "md"   // Markdown
	FormatHTML     Format = "html" // an email-ready HTML page
)

// Formats are every format, in the order help texts list them.
var Formats = []Format{FormatRSS, FormatAtom, FormatJSON, FormatMarkdown, FormatHTML}

// ParseFormat reads a format name: rss, atom, json, md (or markdown) or
// html.
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if f == "markdown" {
		f = FormatMarkdown
	}
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	return "", fmt.Errorf("format %q: want rss, atom, json, md or html", s)
}

// ContentType returns the media type a format is served as.
func (f Format) ContentType() string {
	switch f {
	case FormatRSS:
		return "application/rss+xml; charset=utf-8"
	case FormatAtom:
		return "application/atom+xml; charset=utf-8"
	case FormatJSON:
		return "application/feed+json; charset=utf-8"
	case FormatMarkdown:
		return "text/markdown; charset=utf-8"
	}
	return "text/html; charset=utf-8"
}

// Render writes d to w in format f. Everything that comes from articles or
// queries is escaped for the format. Nothing is written when rendering
// fails.
func Render(w io.Writer, d *Digest, f Format) error {
	var buf bytes.Buffer
	var err error
	switch f {
	case FormatRSS:
		err = renderRSS(&buf, d)
	case FormatAtom:
		err = renderAtom(&buf, d)
	case FormatJSON:
		err = renderJSON(&buf, d)
	case FormatMarkdown:
		err = renderMarkdown(&buf, d)
	case FormatHTML:
		err = renderHTML(&buf, d)
	default:
		return fmt.Errorf("render: unknown format %q", f)
	}
	if err != nil {
		return fmt.Errorf("render %s: %w", f, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}
