package meili

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// Fields of the Meilisearch document beyond those of package index.
const (
	fieldTitle          = "title"     // the title, whatever the language
	fieldPublishedText  = "published" // readable date, UTC
	fieldSummary        = "summary"   // the description, else the lead of the body
	fieldImage          = "image"
	fieldSiteName       = "site_name"
	fieldCanonicalURL   = "canonical_url"
	fieldCountry        = "country"
	fieldAuthors        = "authors"
	fieldHTMLLang       = "html_lang"
	fieldLangConfidence = "lang_confidence"
	fieldMentions       = "mentions"
	fieldFetchedAt      = index.FieldFetched // Unix seconds
	fieldPublishedExact = "published_exact"  // RFC 3339 with nanoseconds, for Get
	fieldFetchedExact   = "fetched_exact"    // RFC 3339 with nanoseconds, for Get
	// fieldFingerprint is the fingerprint in 16 hex digits: Meilisearch
	// keeps numbers as doubles, which hold 53 bits.
	fieldFingerprint = "fingerprint"
	primaryKey       = index.FieldID
)

// publishedLayout is the layout of fieldPublishedText: readable, and
// sorted as a string in date order.
const publishedLayout = "2006-01-02 15:04 MST"

// readerFields are what a reader scans first, in this order: every
// document starts with them, null when empty. Meilisearch keeps the order
// in which an index first saw each field, so that the first document fixes
// it for all.
var readerFields = []string{
	fieldTitle, index.FieldSource, fieldPublishedText, index.FieldLang, index.FieldEntityNames,
	fieldSummary, index.FieldURL, fieldImage,
}

// restFields follow readerFields, when not empty: ids, hashes, the
// fields that rebuild the article, then the per-language copies of the
// text, which Meilisearch searches.
var restFields = append([]string{
	index.FieldID, fieldSiteName, fieldCanonicalURL, index.FieldCluster, fieldFingerprint, fieldCountry,
	fieldAuthors, fieldHTMLLang, fieldLangConfidence, index.FieldEntities, index.FieldEntityTypes,
	fieldMentions, index.FieldTopics, index.FieldPublished, fieldFetchedAt, fieldPublishedExact, fieldFetchedExact,
}, textAttributes()...)

// documentIDPattern is what Meilisearch accepts as a string document id.
var documentIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,511}$`)

// validID reports whether id can be a Meilisearch document id.
func validID(id string) bool { return documentIDPattern.MatchString(id) }

// encodeDocument returns the JSON document of a: the projection of
// package index (index.Document) without its JSON copy of the article,
// with the reader's fields first (readerFields) and the fields from which
// decodeArticle rebuilds a exactly.
func encodeDocument(a *ottwatch.Article) ([]byte, error) {
	if a == nil {
		return nil, fmt.Errorf("nil article")
	}
	if !validID(a.ID) && strings.TrimSpace(a.ID) != "" {
		return nil, fmt.Errorf("article id %q: a Meilisearch document id has only a-z, A-Z, 0-9, - and _, at most 511 bytes", a.ID)
	}
	// Times are stored below, also those JSON cannot write.
	c := *a
	c.Published, c.Fetched = time.Time{}, time.Time{}
	doc, err := index.Document(&c)
	if err != nil {
		return nil, err
	}
	delete(doc, index.FieldArticle)
	put := func(field string, value any) {
		if value != "" && value != 0.0 && value != 0 {
			doc[field] = value
		}
	}
	put(fieldTitle, a.Title)
	put(fieldSummary, summary(a))
	put(fieldImage, a.Image)
	put(fieldSiteName, a.SiteName)
	put(fieldCanonicalURL, a.CanonicalURL)
	put(fieldCountry, a.Country)
	put(fieldHTMLLang, a.HTMLLang)
	put(fieldLangConfidence, a.LangConfidence)
	if a.Fingerprint != 0 {
		doc[fieldFingerprint] = fmt.Sprintf("%016x", a.Fingerprint)
	}
	if len(a.Authors) > 0 {
		doc[fieldAuthors] = a.Authors
	}
	if len(a.Entities) > 0 {
		doc[fieldMentions] = a.Entities
	}
	if len(a.Topics) > 0 {
		doc[index.FieldTopics] = a.Topics
	}
	putTime(doc, index.FieldPublished, fieldPublishedExact, a.Published)
	putTime(doc, fieldFetchedAt, fieldFetchedExact, a.Fetched)
	if !a.Published.IsZero() {
		doc[fieldPublishedText] = a.Published.UTC().Format(publishedLayout)
	}

	var b bytes.Buffer
	b.WriteByte('{')
	write := func(field string, value any) error {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(field)
		v, err := json.Marshal(value)
		if err != nil {
			return fmt.Errorf("article %s: encode %s: %w", a.ID, field, err)
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
		return nil
	}
	for _, f := range readerFields {
		if err := write(f, doc[f]); err != nil {
			return nil, err
		}
	}
	for _, f := range restFields {
		if v, ok := doc[f]; ok {
			if err := write(f, v); err != nil {
				return nil, err
			}
		}
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// summary is what a reader of the dashboard sees of the text: the
// description, else the lead of the body.
func summary(a *ottwatch.Article) string {
	if d := textnorm.OneLine(a.Description); d != "" {
		return d
	}
	return index.Lead(a.Body)
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

// articleFields are the fields decodeArticle reads: what a search asks
// Meilisearch to return of each hit.
var articleFields = append([]string{
	index.FieldID, index.FieldURL, fieldCanonicalURL, index.FieldSource, fieldSiteName, fieldCountry, fieldImage,
	fieldHTMLLang, index.FieldLang, fieldLangConfidence, fieldAuthors, fieldMentions, index.FieldTopics,
	index.FieldCluster, fieldFingerprint, index.FieldPublished, fieldPublishedExact, fieldFetchedAt, fieldFetchedExact,
}, textAttributes()...)

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
		// go-json decodes as encoding/json does, faster: a search decodes
		// every hit it shows.
		if err := gojson.Unmarshal(raw, dst); err != nil && firstErr == nil {
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
	get(fieldCountry, &a.Country)
	get(fieldImage, &a.Image)
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
