// Package ottwatch holds the domain of ottwatch: articles about telecom and OTT
// markets, the entities they mention, and the small interfaces the pipeline
// stages meet at. It imports nothing outside the standard library.
package ottwatch

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Article is one news article as it flows through the pipeline: extracted by
// the crawler, enriched by nlp and stored by index.
type Article struct {
	ID             string    `json:"id"`
	URL            string    `json:"url"`
	CanonicalURL   string    `json:"canonical_url"`
	Source         string    `json:"source"`
	Country        string    `json:"country,omitempty"` // the source's country, ISO 3166-1 alpha-2
	SiteName       string    `json:"site_name,omitempty"`
	Title          string    `json:"title"`
	Description    string    `json:"description,omitempty"`
	Image          string    `json:"image,omitempty"` // the page's og:image (or twitter:image), absolute
	Body           string    `json:"body"`
	Authors        []string  `json:"authors,omitempty"`
	Published      time.Time `json:"published,omitzero"`
	Fetched        time.Time `json:"fetched,omitzero"` // the first fetch: the archive keeps it when the article is fetched again
	HTMLLang       string    `json:"html_lang,omitempty"`
	Lang           string    `json:"lang"`
	LangConfidence float64   `json:"lang_confidence"`
	Entities       []Mention `json:"entities"`
	Topics         []string  `json:"topics"`
	// Fingerprint is a SimHash of the body: near-duplicate texts have
	// fingerprints a few bits apart.
	Fingerprint uint64 `json:"fingerprint,omitempty"`
	// Cluster is the id of the story (Story.ID) the article belongs to:
	// the event it reports, in whatever outlet or language, as the archive
	// assigned it.
	Cluster string `json:"cluster,omitempty"`
}

// ArticleID returns the stable id of the article at canonicalURL: the first
// 16 bytes of its SHA-256, in hex.
func ArticleID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:16])
}

// EntityIDs returns the ids of the entities the article mentions, in the
// order of its mentions.
func (a *Article) EntityIDs() []string {
	ids := make([]string, len(a.Entities))
	for i, m := range a.Entities {
		ids[i] = m.ID
	}
	return ids
}

// Mention is one entity found in an article: which entity, how often, and
// the surface forms that matched.
type Mention struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Type     EntityType `json:"type"`
	Count    int        `json:"count"`
	Surfaces []string   `json:"surfaces,omitempty"`
}

// EntityType is the kind of an entity.
type EntityType string

// The entity types of the gazetteer.
const (
	Company    EntityType = "company"
	Regulator  EntityType = "regulator"
	Court      EntityType = "court"
	Government EntityType = "government"
	Person     EntityType = "person"
	Product    EntityType = "product"
)

// Valid reports whether t is one of the known entity types.
func (t EntityType) Valid() bool {
	switch t {
	case Company, Regulator, Court, Government, Person, Product:
		return true
	}
	return false
}

// Entity is one entry of the gazetteer: a company, regulator, court,
// government body, person or product that articles may mention.
type Entity struct {
	ID       string     `json:"id"`
	Name     string     `json:"name"`
	Type     EntityType `json:"type"`
	Country  string     `json:"country,omitempty"`
	Wikidata string     `json:"wikidata,omitempty"`
	Parent   string     `json:"parent,omitempty"`
	Aliases  []string   `json:"aliases"`
}
