package bleve

import (
	"fmt"
	"strings"
	"time"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// Paging limits of Search.
const (
	DefaultLimit = index.DefaultLimit
	MaxLimit     = index.MaxLimit
	MaxOffset    = index.MaxOffset
)

// facetSize is how many values of each facet Search counts.
const facetSize = 20

// facetFields maps the facets of ottwatch.Query to the fields they count.
var facetFields = map[string]string{
	ottwatch.FacetLang:   index.FieldLang,
	ottwatch.FacetEntity: index.FieldEntities,
	ottwatch.FacetSource: index.FieldSource,
}

// newRequest translates q into a Bleve search request. The text, if any,
// decides the score; the filters only select.
func newRequest(q ottwatch.Query) (*blevesearch.SearchRequest, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	limit, offset := q.Limit, q.Offset

	text := textQuery(q.Text)
	filter := filterQuery(q)
	var root query.Query
	switch {
	case text == nil && filter == nil:
		root = blevesearch.NewMatchAllQuery()
	case filter == nil:
		root = text
	default:
		// A Must that is a disjunction stays a Must even when the text
		// analyses to no term at all, so the filter never widens to all.
		b := blevesearch.NewBooleanQuery()
		if text != nil {
			b.Must = text
		}
		b.AddFilter(filter)
		root = b
	}

	req := blevesearch.NewSearchRequestOptions(root, limit, offset, false)
	req.Fields = []string{index.FieldArticle}
	req.IncludeLocations = text != nil
	published := &search.SortField{
		Field:   index.FieldPublished,
		Desc:    true,
		Type:    search.SortFieldAsDate,
		Missing: search.SortFieldMissingLast,
	}
	switch q.Sort {
	case ottwatch.SortRelevance, "":
		req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, published, &search.SortDocID{}})
	case ottwatch.SortDate:
		req.SortByCustom(search.SortOrder{published, &search.SortDocID{}})
	default:
		return nil, fmt.Errorf("unknown sort %q", q.Sort)
	}
	if q.Facets {
		for name, field := range facetFields {
			req.AddFacet(name, blevesearch.NewFacetRequest(field, facetSize))
		}
	}
	return req, nil
}

// textQuery returns the query for free text, or nil when text is blank. Each
// word or quoted phrase is looked for in the title, description and body
// fields of every language, each analysed the way its field is, and in the
// entity names. Phrases must all match; words then only add to the score.
// Without phrases, any word matches.
func textQuery(text string) query.Query {
	phrases, words := ottwatch.ParseText(text)
	free := strings.Join(words, " ")
	if len(phrases) == 0 {
		if free == "" {
			return nil
		}
		return fieldsQuery(free, false)
	}
	b := blevesearch.NewBooleanQuery()
	for _, p := range phrases {
		b.AddMust(fieldsQuery(p, true))
	}
	if free != "" {
		b.AddShould(fieldsQuery(free, false))
	}
	return b
}

// fieldsQuery returns the disjunction of a match (or match-phrase) query for
// text over every searched field.
func fieldsQuery(text string, phrase bool) query.Query {
	match := func(field string, boost float64) query.Query {
		if phrase {
			q := blevesearch.NewMatchPhraseQuery(text)
			q.SetField(field)
			q.SetBoost(boost)
			return q
		}
		q := blevesearch.NewMatchQuery(text)
		q.SetField(field)
		q.SetBoost(boost)
		return q
	}
	var qs []query.Query
	for _, suffix := range index.Suffixes() {
		qs = append(qs,
			match(index.TextField(index.FieldTitle, suffix), boostTitle),
			match(index.TextField(index.FieldDescription, suffix), boostDescription),
			match(index.TextField(index.FieldBody, suffix), boostBody),
		)
	}
	qs = append(qs, match(index.FieldEntityNames, boostEntityName))
	return blevesearch.NewDisjunctionQuery(qs...)
}

// filterQuery returns the conjunction of the filters of q, or nil when it
// has none.
func filterQuery(q ottwatch.Query) query.Query {
	var all []query.Query
	anyOf := func(field string, values []string) {
		var qs []query.Query
		for _, v := range values {
			if v != "" {
				qs = append(qs, term(field, v))
			}
		}
		if len(qs) > 0 {
			all = append(all, blevesearch.NewDisjunctionQuery(qs...))
		}
	}
	anyOf(index.FieldLang, q.Langs)
	anyOf(index.FieldSource, q.Sources)
	anyOf(index.FieldTopics, q.Topics)
	for _, alt := range q.EntityAlternatives() {
		anyOf(index.FieldEntities, alt)
	}
	if !q.Since.IsZero() || !q.Until.IsZero() {
		yes, no := true, false
		r := blevesearch.NewDateRangeInclusiveQuery(clampTime(q.Since), clampTime(q.Until), &yes, &no)
		r.SetField(index.FieldPublished)
		all = append(all, r)
	}
	if len(all) == 0 {
		return nil
	}
	return blevesearch.NewConjunctionQuery(all...)
}

func term(field, value string) query.Query {
	q := blevesearch.NewTermQuery(value)
	q.SetField(field)
	return q
}

// clampTime brings a non-zero bound of a date range into the span Bleve
// accepts in queries, which holds every date it can index.
func clampTime(t time.Time) time.Time {
	switch {
	case t.IsZero():
		return t
	case t.Before(query.MinRFC3339CompatibleTime):
		return query.MinRFC3339CompatibleTime
	case t.After(query.MaxRFC3339CompatibleTime):
		return query.MaxRFC3339CompatibleTime
	}
	return t
}
