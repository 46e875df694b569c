// Package index keeps articles and makes them searchable: the archive of
// record (every article ever kept, on bbolt, each write numbered), Sync,
// which brings a search index up to date with the archive, and the schema
// that every search backend (index/bleve, index/meili) projects articles
// into: the languages with their own analysed fields, the field names, and
// the projection of an article into a flat document.
package index

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/ottwatch/ottwatch"
)

// SchemaVersion is the version of the field layout below. A backend records
// it in its index and refuses an index written with another version: change
// it whenever a field is added, renamed or analysed differently.
const SchemaVersion = 4

// FallbackLang is the field suffix of articles in any other language, or
// with no language at all.
const FallbackLang = "xx"

// Field names of the projected document.
const (
	FieldID          = "id"
	FieldURL         = "url"
	FieldLang        = "lang"
	FieldEntities    = "entities"
	FieldEntityNames = "entity_names"
	FieldEntityTypes = "entity_types"
	FieldSource      = "source"
	FieldTopics      = "topics"
	FieldPublished   = "published_at"
	// FieldFetched is when ottwatch first fetched the article
	// (Article.Fetched): digests count an article crawled after its date
	// in the window it was first seen in (ottwatch.Query.SeenSince).
	FieldFetched = "fetched_at"
	// FieldCluster is the story cluster of an article (Article.Cluster): a
	// keyword, filterable, that Query.Collapse keeps one hit of. An article
	// without a cluster is a story of its own.
	FieldCluster = "cluster"
	// FieldArticle holds the whole article as JSON, stored and not indexed,
	// so that Get and search hits can return it unchanged.
	FieldArticle = "article"
)

// Prefixes of the per-language text fields: the field of an article's title
// is FieldTitle + "_" + its suffix, as TextField builds it.
const (
	FieldTitle       = "title"
	FieldDescription = "description"
	FieldBody        = "body"
)

// TextFields are the prefixes of the per-language text fields.
var TextFields = []string{FieldTitle, FieldDescription, FieldBody}

// Suffixes returns every per-language field suffix: ottwatch.Languages, then
// FallbackLang.
func Suffixes() []string {
	return append(slices.Clone(ottwatch.Languages), FallbackLang)
}

// LangSuffix returns the field suffix of an article whose Lang is lang: the
// lowercased primary subtag ("it" for "it", "IT" or "it-CH") when it is one
// of ottwatch.Languages, FallbackLang otherwise.
func LangSuffix(lang string) string {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if slices.Contains(ottwatch.Languages, lang) {
		return lang
	}
	return FallbackLang
}

// TextField returns the name of the text field prefix (FieldTitle,
// FieldDescription or FieldBody) for the language suffix, as "body_it".
func TextField(prefix, suffix string) string {
	return prefix + "_" + suffix
}

// Document projects a into the flat document a backend indexes. Text goes to
// the fields of a's language; empty values are left out, so are a zero
// Published or Fetched and empty lists. Published and Fetched are
// time.Time in UTC; lists are []string; entity types are deduplicated. It
// fails when a has no id or cannot be encoded as JSON.
func Document(a *ottwatch.Article) (map[string]any, error) {
	if a == nil {
		return nil, fmt.Errorf("project article: nil article")
	}
	if strings.TrimSpace(a.ID) == "" {
		return nil, fmt.Errorf("project article %q: empty id", a.URL)
	}
	raw, err := json.Marshal(a)
	if err != nil {
		return nil, fmt.Errorf("project article %s: encode: %w", a.ID, err)
	}
	suffix := LangSuffix(a.Lang)
	doc := map[string]any{
		FieldID:      a.ID,
		FieldArticle: string(raw),
	}
	put := func(field, value string) {
		if value != "" {
			doc[field] = value
		}
	}
	put(FieldURL, a.URL)
	put(FieldLang, a.Lang)
	put(FieldSource, a.Source)
	put(FieldCluster, a.Cluster)
	put(TextField(FieldTitle, suffix), a.Title)
	put(TextField(FieldDescription, suffix), a.Description)
	put(TextField(FieldBody, suffix), a.Body)

	var ids, names, types []string
	for _, m := range a.Entities {
		if m.ID != "" {
			ids = append(ids, m.ID)
		}
		if m.Name != "" {
			names = append(names, m.Name)
		}
		if m.Type != "" && !slices.Contains(types, string(m.Type)) {
			types = append(types, string(m.Type))
		}
	}
	putList := func(field string, values []string) {
		if len(values) > 0 {
			doc[field] = values
		}
	}
	putList(FieldEntities, ids)
	putList(FieldEntityNames, names)
	putList(FieldEntityTypes, types)
	putList(FieldTopics, slices.DeleteFunc(slices.Clone(a.Topics), func(s string) bool { return s == "" }))
	if !a.Published.IsZero() {
		doc[FieldPublished] = a.Published.UTC()
	}
	if !a.Fetched.IsZero() {
		doc[FieldFetched] = a.Fetched.UTC()
	}
	return doc, nil
}

// DecodeArticle decodes the FieldArticle value of a stored document.
func DecodeArticle(raw []byte) (*ottwatch.Article, error) {
	var a ottwatch.Article
	// go-json decodes the same JSON as encoding/json five times faster;
	// a search decodes every hit it shows.
	if err := gojson.Unmarshal(raw, &a); err != nil {
		return nil, fmt.Errorf("decode stored article: %w", err)
	}
	return &a, nil
}
