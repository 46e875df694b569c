package feeds

import (
	"bytes"
	"fmt"

	gorilla "github.com/gorilla/feeds"
)

// gorillaFeed turns a digest into the generic feed of gorilla/feeds, which
// makes the RSS, Atom and JSON documents. Each item's description is the
// HTML of its summary, why it matched and the other outlets.
func gorillaFeed(d *Digest) (*gorilla.Feed, error) {
	f := &gorilla.Feed{
		Title:       d.Title,
		Link:        &gorilla.Link{Href: d.Link},
		Description: d.Description,
		Author:      &gorilla.Author{Name: generator},
		Updated:     d.Updated,
		Id:          d.ID,
	}
	for _, it := range d.Items {
		var body bytes.Buffer
		if err := templates.ExecuteTemplate(&body, "item-body", it); err != nil {
			return nil, fmt.Errorf("item %s: %w", it.GUID, err)
		}
		gi := &gorilla.Item{
			Title:       it.Title,
			Description: body.String(),
			Id:          it.GUID,
			IsPermaLink: "false",
			Created:     it.Published,
			Updated:     it.Updated,
		}
		if it.Link != "" {
			gi.Link = &gorilla.Link{Href: it.Link}
		}
		f.Items = append(f.Items, gi)
	}
	return f, nil
}
