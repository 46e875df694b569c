package feeds

import (
	"encoding/xml"
	"html"
	"io"

	gorilla "github.com/gorilla/feeds"
)

// Namespaces the XML feeds use beyond their own.
const (
	nsDublinCore = "http://purl.org/dc/elements/1.1/"
	nsAtom       = "http://www.w3.org/2005/Atom"
	generator    = "ottwatch"
)

// Category domains (RSS) and schemes (Atom) of the categories of an item.
const (
	schemeEntity = "urn:ottwatch:entity"
	schemeTopic  = "urn:ottwatch:topic"
)

// rssDoc is an RSS 2.0 document. gorilla/feeds makes the channel and its
// items; rssDoc adds what it lacks: several categories per item, each item's
// language (dc:language) and the channel's self link (atom:link).
type rssDoc struct {
	XMLName xml.Name    `xml:"rss"`
	Version string      `xml:"version,attr"`
	DC      string      `xml:"xmlns:dc,attr"`
	Atom    string      `xml:"xmlns:atom,attr"`
	Channel *rssChannel `xml:"channel"`
}

type rssChannel struct {
	*gorilla.RssFeed
	Self  *rssSelf   `xml:"atom:link,omitempty"`
	Items []*rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	*gorilla.RssItem
	Categories []rssCategory `xml:"category"`
	Language   string        `xml:"dc:language,omitempty"`
}

type rssCategory struct {
	Domain string `xml:"domain,attr,omitempty"`
	Value  string `xml:",chardata"`
}

func renderRSS(w io.Writer, d *Digest) error {
	f, err := gorillaFeed(d)
	if err != nil {
		return err
	}
	ch := (&gorilla.Rss{Feed: f}).RssFeed()
	// Readers take a channel's description for HTML: escape it so that it
	// reads as the text it is.
	ch.Description = html.EscapeString(d.Description)
	ch.Language = d.Lang
	ch.ManagingEditor = "" // RSS wants an e-mail address there
	ch.Generator = generator
	ch.Docs = "https://www.rssboard.org/rss-specification"
	doc := &rssDoc{Version: "2.0", DC: nsDublinCore, Atom: nsAtom, Channel: &rssChannel{RssFeed: ch}}
	if d.FeedURL != "" {
		doc.Channel.Self = &rssSelf{Href: d.FeedURL, Rel: "self", Type: "application/rss+xml"}
	}
	for i, it := range ch.Items {
		item := d.Items[i]
		ri := &rssItem{RssItem: it, Language: item.Lang}
		for _, m := range item.Entities {
			ri.Categories = append(ri.Categories, rssCategory{Domain: schemeEntity, Value: m.Name})
		}
		for _, t := range item.Topics {
			ri.Categories = append(ri.Categories, rssCategory{Domain: schemeTopic, Value: t})
		}
		doc.Channel.Items = append(doc.Channel.Items, ri)
	}
	ch.Items = nil
	return writeXML(w, doc)
}

// writeXML writes v as an indented XML document.
func writeXML(w io.Writer, v any) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
