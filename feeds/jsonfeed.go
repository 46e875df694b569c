package feeds

import (
	"encoding/json"
	"io"
	"time"

	gorilla "github.com/gorilla/feeds"
)

// jsonFeed is a JSON Feed 1.1 document. gorilla/feeds makes the feed and its
// items; jsonFeed adds what it lacks: the feed URL, each item's language,
// and an _ottwatch extension per item with the story, why it matched and the
// other outlets.
type jsonFeed struct {
	*gorilla.JSONFeed
	Items []*jsonItem `json:"items"`
}

type jsonItem struct {
	*gorilla.JSONItem
	Language string   `json:"language,omitempty"`
	Ottwatch *jsonExt `json:"_ottwatch,omitempty"`
}

// jsonExt is the _ottwatch extension of an item.
type jsonExt struct {
	Story  string       `json:"story"`
	Source string       `json:"source"`
	Why    jsonWhy      `json:"why"`
	Others []jsonOutlet `json:"others"`
}

type jsonWhy struct {
	Entities []jsonMention `json:"entities"`
	Words    []string      `json:"words"`
	Query    string        `json:"query,omitempty"`
}

type jsonMention struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Count    int      `json:"count"`
	Surfaces []string `json:"surfaces"`
}

type jsonOutlet struct {
	Source    string     `json:"source"`
	Title     string     `json:"title"`
	URL       string     `json:"url,omitempty"`
	Published *time.Time `json:"date_published,omitempty"`
}

func renderJSON(w io.Writer, d *Digest) error {
	f, err := gorillaFeed(d)
	if err != nil {
		return err
	}
	jf := (&gorilla.JSON{Feed: f}).JSONFeed()
	jf.Language = d.Lang
	jf.FeedUrl = d.FeedURL
	doc := &jsonFeed{JSONFeed: jf, Items: []*jsonItem{}}
	for i, it := range jf.Items {
		item := d.Items[i]
		it.ContentHTML = it.Summary // gorilla puts the description there
		it.Summary = item.Summary
		it.Tags = item.Categories()
		ext := &jsonExt{Story: item.Story, Source: item.Source, Others: []jsonOutlet{},
			Why: jsonWhy{Entities: []jsonMention{}, Words: item.Why.Words, Query: item.Why.Query}}
		if ext.Why.Words == nil {
			ext.Why.Words = []string{}
		}
		for _, m := range item.Why.Entities {
			ext.Why.Entities = append(ext.Why.Entities, jsonMention{ID: m.ID, Name: m.Name, Count: m.Count,
				Surfaces: append([]string{}, m.Surfaces...)})
		}
		for _, o := range item.Others {
			jo := jsonOutlet{Source: o.Source, Title: o.Title, URL: o.Link}
			if !o.Published.IsZero() {
				p := o.Published
				jo.Published = &p
			}
			ext.Others = append(ext.Others, jo)
		}
		doc.Items = append(doc.Items, &jsonItem{JSONItem: it, Language: item.Lang, Ottwatch: ext})
	}
	jf.Items = nil
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(true) // <script> in a title stays \u003cscript\u003e
	return enc.Encode(doc)
}
