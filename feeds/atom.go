package feeds

import (
	"io"
	"time"

	gorilla "github.com/gorilla/feeds"
)

// atomFeed is an Atom 1.0 document. gorilla/feeds makes the feed and its
// entries (with <published>); atomFeed adds what it lacks: a stable feed id,
// the self and alternate links, the generator, language (xml:lang, and
// dc:language on each entry for readers that ignore xml:lang), categories
// with term and scheme, and links to the other outlets of a story.
type atomFeed struct {
	*gorilla.AtomFeed
	DC        string         `xml:"xmlns:dc,attr"`
	Lang      string         `xml:"xml:lang,attr,omitempty"`
	Links     []atomLink     `xml:"link"`
	Generator *atomGenerator `xml:"generator"`
	Entries   []*atomEntry   `xml:"entry"`
}

type atomGenerator struct {
	Value string `xml:",chardata"`
}

type atomLink struct {
	Href  string `xml:"href,attr"`
	Rel   string `xml:"rel,attr,omitempty"`
	Type  string `xml:"type,attr,omitempty"`
	Title string `xml:"title,attr,omitempty"`
}

type atomEntry struct {
	*gorilla.AtomEntry
	Lang       string         `xml:"xml:lang,attr,omitempty"`
	Links      []atomLink     `xml:"link"`
	Categories []atomCategory `xml:"category"`
	Language   string         `xml:"dc:language,omitempty"`
}

type atomCategory struct {
	Term   string `xml:"term,attr"`
	Scheme string `xml:"scheme,attr,omitempty"`
}

func renderAtom(w io.Writer, d *Digest) error {
	f, err := gorillaFeed(d)
	if err != nil {
		return err
	}
	af := (&gorilla.Atom{Feed: f}).AtomFeed()
	af.Id = d.ID
	af.Link = nil
	doc := &atomFeed{AtomFeed: af, DC: nsDublinCore, Lang: d.Lang, Generator: &atomGenerator{generator}}
	if d.Link != "" {
		doc.Links = append(doc.Links, atomLink{Href: d.Link, Rel: "alternate", Type: "text/html"})
	}
	if d.FeedURL != "" {
		doc.Links = append(doc.Links, atomLink{Href: d.FeedURL, Rel: "self", Type: "application/atom+xml"})
	}
	for i, e := range af.Entries {
		item := d.Items[i]
		if item.Published.IsZero() { // an entry must say when it was updated
			e.Updated = d.Updated.Format(time.RFC3339)
		} else { // gorilla/feeds leaves <published> out
			e.Published = item.Published.Format(time.RFC3339)
		}
		ae := &atomEntry{AtomEntry: e, Lang: item.Lang, Language: item.Lang}
		if item.Link != "" {
			ae.Links = append(ae.Links, atomLink{Href: item.Link, Rel: "alternate", Type: "text/html"})
		}
		for _, o := range item.Others {
			if o.Link != "" {
				ae.Links = append(ae.Links, atomLink{Href: o.Link, Rel: "related", Type: "text/html", Title: o.Source})
			}
		}
		e.Links = nil
		for _, m := range item.Entities {
			ae.Categories = append(ae.Categories, atomCategory{Term: m.Name, Scheme: schemeEntity})
		}
		for _, t := range item.Topics {
			ae.Categories = append(ae.Categories, atomCategory{Term: t, Scheme: schemeTopic})
		}
		doc.Entries = append(doc.Entries, ae)
	}
	af.Entries = nil
	return writeXML(w, doc)
}
