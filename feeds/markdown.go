package feeds

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// renderMarkdown writes the digest as Markdown: a heading per section and
// per story, with what comes from articles and queries escaped so that it
// reads as text, never as markup or HTML.
func renderMarkdown(w io.Writer, d *Digest) error {
	b := bufio.NewWriter(w)
	fmt.Fprintf(b, "# %s\n\n%s\n\n%s · %s from %s\n", mdText(d.Title), mdText(d.Description),
		windowText(d.Window), plural(len(d.Items), "story", "stories"), plural(d.Articles, "article", "articles"))
	if len(d.Items) == 0 {
		fmt.Fprintf(b, "\nNo articles in this window.\n")
	}
	for _, s := range d.Sections {
		fmt.Fprintf(b, "\n## %s\n", mdText(s.Title))
		for _, it := range s.Items {
			writeMarkdownItem(b, it)
		}
	}
	return b.Flush()
}

func writeMarkdownItem(b *bufio.Writer, it *Item) {
	title := mdText(it.Title)
	if it.Link != "" {
		title = mdLink(it.Title, it.Link)
	}
	fmt.Fprintf(b, "\n### %s\n\n", title)
	meta := []string{mdText(it.Source), formatDateTime(it.Published)}
	if it.Lang != "" {
		meta = append(meta, mdText(it.Lang))
	}
	fmt.Fprintf(b, "%s\n", strings.Join(meta, " · "))
	if it.Snippet != "" {
		fmt.Fprintf(b, "\n%s\n", mdSnippet(it.Snippet))
	}
	var list []string
	if why := whyText(it.Why); why != "" {
		list = append(list, "**Why:** "+why)
	}
	if cats := it.Categories(); len(cats) > 0 {
		list = append(list, "**Tags:** "+mdJoin(cats))
	}
	if len(it.Others) > 0 {
		outlets := make([]string, len(it.Others))
		for i, o := range it.Others {
			outlets[i] = mdText(o.Source)
			if o.Link != "" {
				outlets[i] = mdLink(o.Source, o.Link)
			}
		}
		list = append(list, "**Also reported by:** "+strings.Join(outlets, ", "))
	}
	if len(list) > 0 {
		fmt.Fprintf(b, "\n- %s\n", strings.Join(list, "\n- "))
	}
	fmt.Fprintf(b, "\n<!-- guid: %s -->\n", strings.ReplaceAll(mdText(it.GUID), "--", "-\\-"))
}

// whyText says in Markdown why an item matched.
func whyText(w Why) string {
	var parts []string
	for _, m := range w.Entities {
		s := mdText(m.Name)
		if len(m.Surfaces) > 0 {
			quoted := make([]string, len(m.Surfaces))
			for i, f := range m.Surfaces {
				quoted[i] = "“" + mdText(f) + "”"
			}
			s += " (" + strings.Join(quoted, ", ") + ")"
		}
		parts = append(parts, s)
	}
	switch {
	case len(w.Words) > 0:
		parts = append(parts, "words: "+mdJoin(w.Words))
	case w.Query != "":
		parts = append(parts, "query “"+mdText(w.Query)+"”")
	}
	return strings.Join(parts, "; ")
}

// windowText describes a window in words.
func windowText(w Window) string {
	switch {
	case w.Since.IsZero() && w.Until.IsZero():
		return "All dates"
	case w.Since.IsZero():
		return "Before " + formatDateTime(w.Until)
	case w.Until.IsZero():
		return "Since " + formatDateTime(w.Since)
	}
	return formatDateTime(w.Since) + " – " + formatDateTime(w.Until)
}

func mdJoin(values []string) string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = mdText(v)
	}
	return strings.Join(out, ", ")
}

// mdSnippet writes a snippet with its matched words in bold.
func mdSnippet(snippet string) string {
	var b strings.Builder
	for _, p := range splitSnippet(snippet) {
		if p.Matched && strings.TrimSpace(p.Text) != "" {
			b.WriteString("**" + mdText(strings.TrimSpace(p.Text)) + "**")
			continue
		}
		b.WriteString(mdInline(p.Text))
	}
	return b.String()
}

// mdText escapes s as one line of Markdown text: the characters that start
// emphasis, code, links and strikethrough are backslashed, those of HTML and
// quotes become entities, and a start that would make a heading, list or
// block quote is escaped.
func mdText(s string) string {
	s = mdInline(textnorm.OneLine(s))
	if s == "" {
		return s
	}
	switch s[0] {
	case '#', '-', '+', '=':
		return `\` + s
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') {
		return s[:i] + `\` + s[i:]
	}
	return s
}

// mdInline escapes the characters of s that mean something within a line
// of Markdown.
func mdInline(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '~', '|':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdLink makes a Markdown link to an http(s) URL, its destination in angle
// brackets with anything that could end it percent-encoded.
func mdLink(text, url string) string {
	dest := strings.NewReplacer("<", "%3C", ">", "%3E", " ", "%20", `\`, "%5C", "\n", "", "\r", "", `"`, "%22").Replace(url)
	return "[" + mdText(text) + "](<" + dest + ">)"
}
