package meili

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// Fields of the Meilisearch document beyond those of package index.
const (
	fieldCanonicalURL   = "canonical_url"
	fieldSiteName       = "site_name"
	fieldAuthors        = "authors"
	fieldPublishedExact = "published"  // RFC 3339 with nanoseconds, for Get
	fieldFetchedAt      = "fetched_at" // Unix seconds
	fieldFetchedExact   = "fetched"    // RFC 3339 with nanoseconds, for Get
	fieldLangConfidence = "lang_confidence"
	fieldMentions       = "mentions"
	fieldHTMLLang       = "html_lang"
	// fieldFingerprint is the fingerprint in 16 hex digits: Meilisearch
	// keeps numbers as doubles, which hold 53 bits.
	fieldFingerprint = "fingerprint"
	primaryKey       = index.FieldID
)

// documentIDPattern is what Meilisearch accepts as a string document id.
var documentIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,511}$`)

// validID reports whether id can be a Meilisearch document id.
func validID(id string) bool { return documentIDPattern.MatchString(id) }

// encodeDocument returns the JSON document of a: readable fields for the
// Meilisearch dashboard, filters, sorting and search, from which
// decodeArticle rebuilds a exactly. Empty values are left out.
func encodeDocument(a *ottwatch.Article) ([]byte, error) {
	if a == nil {
		return nil, fmt.Errorf("nil article")
	}
	if strings.TrimSpace(a.ID) == "" {
		return nil, fmt.Errorf("article %q: empty id", a.URL)
	}
	if !validID(a.ID) {
		return nil, fmt.Errorf("article id %q: a Meilisearch document id has only a-z, A-Z, 0-9, - and _, at most 511 bytes", a.ID)
	}
	suffix := index.LangSuffix(a.Lang)
	doc := map[string]any{index.FieldID: a.ID}
	put := func(field, value string) {
		if value != "" {
			doc[field] = value
		}
	}
	put(index.FieldURL, a.URL)
	put(fieldCanonicalURL, a.CanonicalURL)
	put(index.FieldSource, a.Source)
	put(fieldSiteName, a.SiteName)
	put(index.FieldCluster, a.Cluster)
	if a.Fingerprint != 0 {
		doc[fieldFingerprint] = fmt.Sprintf("%016x", a.Fingerprint)
	}
	put(index.TextField(index.FieldTitle, suffix), a.Title)
	put(index.TextField(index.FieldDescription, suffix), a.Description)
	put(index.TextField(index.FieldBody, suffix), a.Body)
	put(fieldHTMLLang, a.HTMLLang)
	put(index.FieldLang, a.Lang)
	if len(a.Authors) > 0 {
		doc[fieldAuthors] = a.Authors
	}
	if a.LangConfidence != 0 {
		doc[fieldLangConfidence] = a.LangConfidence
	}
	putTime(doc, index.FieldPublished, fieldPublishedExact, a.Published)
	putTime(doc, fieldFetchedAt, fieldFetchedExact, a.Fetched)
	if len(a.Entities) > 0 {
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
		putList(index.FieldEntities, ids)
		putList(index.FieldEntityNames, names)
		putList(index.FieldEntityTypes, types)
		doc[fieldMentions] = a.Entities
	}
	if len(a.Topics) > 0 {
		doc[index.FieldTopics] = a.Topics
	}
	raw, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("article %s: encode: %w", a.ID, err)
	}
	return raw, nil
}

// putTime stores a non-zero time twice: as Unix seconds in field, for
// filters and sorting, and exactly in exact, for decodeArticle. A time
// whose year RFC 3339 cannot write keeps only its seconds.
func putTime(doc map[string]any, field, exact string, t time.Time) {
	if t.IsZero() {
		return
	}
	doc[field] = t.Unix()
	if y := t.UTC().Year(); y >= 0 && y <= 9999 {
		doc[exact] = t.UTC().Format(time.RFC3339Nano)
	}
}

// decodeArticle rebuilds an article from the fields of a stored document
// or search hit; fields it does not know, such as _formatted, are ignored.
func decodeArticle(fields map[string]json.RawMessage) (*ottwatch.Article, error) {
	a := &ottwatch.Article{}
	var firstErr error
	get := func(field string, dst any) bool {
		raw, ok := fields[field]
		if !ok || string(raw) == "null" {
			return false
		}
		if err := json.Unmarshal(raw, dst); err != nil && firstErr == nil {
			firstErr = fmt.Errorf("field %s: %w", field, err)
			return false
		}
		return true
	}
	get(index.FieldID, &a.ID)
	get(index.FieldURL, &a.URL)
	get(fieldCanonicalURL, &a.CanonicalURL)
	get(index.FieldSource, &a.Source)
	get(fieldSiteName, &a.SiteName)
	get(fieldHTMLLang, &a.HTMLLang)
	get(index.FieldLang, &a.Lang)
	get(fieldLangConfidence, &a.LangConfidence)
	get(fieldAuthors, &a.Authors)
	get(fieldMentions, &a.Entities)
	get(index.FieldTopics, &a.Topics)
	get(index.FieldCluster, &a.Cluster)
	var fp string
	if get(fieldFingerprint, &fp) {
		n, err := strconv.ParseUint(fp, 16, 64)
		if err != nil && firstErr == nil {
			firstErr = fmt.Errorf("field %s: %w", fieldFingerprint, err)
		}
		a.Fingerprint = n
	}

	// The text is in the fields of the article's language, or of whatever
	// language it was stored under.
	suffixes := append([]string{index.LangSuffix(a.Lang)}, index.Suffixes()...)
	for _, f := range []struct {
		prefix string
		dst    *string
	}{{index.FieldTitle, &a.Title}, {index.FieldDescription, &a.Description}, {index.FieldBody, &a.Body}} {
		for _, s := range suffixes {
			if get(index.TextField(f.prefix, s), f.dst) {
				break
			}
		}
	}
	a.Published = getTime(get, index.FieldPublished, fieldPublishedExact)
	a.Fetched = getTime(get, fieldFetchedAt, fieldFetchedExact)
	if firstErr != nil {
		return nil, fmt.Errorf("decode document %q: %w", a.ID, firstErr)
	}
	return a, nil
}

// getTime reads a time stored by putTime, in UTC.
func getTime(get func(string, any) bool, field, exact string) time.Time {
	var s string
	if get(exact, &s) {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC()
		}
	}
	var secs int64
	if get(field, &secs) {
		return time.Unix(secs, 0).UTC()
	}
	return time.Time{}
}
