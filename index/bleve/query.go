package bleve

import (
	"fmt"
	"strconv"
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

// publishedFacet is the name of the facet that counts the articles
// published in each span of Query.PublishedEdges, named by its index.
const publishedFacet = "_published"

// request is a Bleve search request and what Search needs to know of the
// query it was made from.
type request struct {
	*blevesearch.SearchRequest
	text   query.Query // the query of the text, nil without text: see locate
	ranked bool        // text sorted by relevance: see searchRanked
	spans  int         // the spans of Query.PublishedEdges counted
	count  bool        // Query.CountOnly: no hit is ordered or read
}

// newRequest translates q into a Bleve search request. The text, if any,
// decides the score; the filters only select. The request sorts on the
// score, then the publication date (newest first, undated last), then the
// id; without text, every score is the same and relevance is the date
// order.
func newRequest(q ottwatch.Query) (*request, error) {
	q, err := q.Check()
	if err != nil {
		return nil, err
	}
	limit, offset := q.Limit, q.Offset

	text := textQuery(q.TextQuery())
	filter := filterQuery(q)
	var root query.Query
	switch {
	case text == nil && filter == nil:
		root = blevesearch.NewMatchAllQuery()
	case filter == nil:
		root = text
	case text == nil:
		// The filter alone leads: as a Boolean filter it would be checked
		// against every article of the index in turn.
		root = filter
	default:
		// A Must that is a disjunction stays a Must even when the text
		// analyses to no term at all, so the filter never widens to all.
		b := blevesearch.NewBooleanQuery()
		b.Must = text
		b.AddFilter(filter)
		root = b
	}

	req := blevesearch.NewSearchRequestOptions(root, limit, offset, false)
	req.Fields = []string{index.FieldArticle}
	if text == nil {
		req.Score = blevesearch.ScoreNone // every hit scores 1: see score
	}
	published := &search.SortField{
		Field:   index.FieldPublished,
		Desc:    true,
		Type:    search.SortFieldAsDate,
		Missing: search.SortFieldMissingLast,
	}
	ranked := false
	switch q.Sort {
	case ottwatch.SortRelevance, "":
		if text != nil {
			req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}, published, &search.SortDocID{}})
			ranked = true
		} else {
			req.SortByCustom(search.SortOrder{published, &search.SortDocID{}})
		}
	case ottwatch.SortDate:
		req.SortByCustom(search.SortOrder{published, &search.SortDocID{}})
	default:
		return nil, fmt.Errorf("unknown sort %q", q.Sort)
	}
	if q.CountOnly {
		// Nothing is ordered or read: the matches are only counted.
		req.Size, req.From, req.Fields, req.Score = 0, 0, nil, blevesearch.ScoreNone
		req.SortByCustom(search.SortOrder{&search.SortScore{Desc: true}})
		ranked = false
	}
	if len(q.PublishedEdges) > 1 {
		spans := blevesearch.NewFacetRequest(index.FieldPublished, len(q.PublishedEdges)-1)
		for i := 1; i < len(q.PublishedEdges); i++ {
			spans.AddDateTimeRange(strconv.Itoa(i-1), q.PublishedEdges[i-1], q.PublishedEdges[i])
		}
		req.AddFacet(publishedFacet, spans)
	}
	if q.Facets {
		for name, field := range facetFields {
			req.AddFacet(name, blevesearch.NewFacetRequest(field, facetSize))
		}
	}
	return &request{SearchRequest: req, text: text, ranked: ranked, spans: max(0, len(q.PublishedEdges)-1), count: q.CountOnly}, nil
}

// score returns the score of a hit of r: without text, nothing is more
// relevant than anything else, whatever the filters, and every hit scores 1.
func (r *request) score(h *search.DocumentMatch) float64 {
	if r.text == nil {
		return 1
	}
	return h.Score
}

// textQuery returns the query for parsed query text, or nil when it asks
// for nothing. Each word or quoted phrase is looked for in the title,
// description and body fields of every language, each analysed the way its
// field is, and in the entity names: every clause must match (one of its
// alternatives), no excluded term may.
func textQuery(tq ottwatch.TextQuery) query.Query {
	if tq.IsEmpty() {
		return nil
	}
	b := blevesearch.NewBooleanQuery()
	for _, clause := range tq.Clauses {
		alts := make([]query.Query, len(clause))
		for i, t := range clause {
			alts[i] = fieldsQuery(t.Text, t.Phrase)
		}
		if len(alts) == 1 {
			b.AddMust(alts[0])
		} else {
			b.AddMust(blevesearch.NewDisjunctionQuery(alts...))
		}
	}
	if len(tq.Clauses) == 0 {
		b.AddMust(blevesearch.NewMatchAllQuery()) // only exclusions
	}
	for _, t := range tq.Excluded {
		b.AddMustNot(fieldsQuery(t.Text, t.Phrase))
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
		q.SetOperator(query.MatchQueryOperatorAnd) // a word the analyzer splits ("5G-Netz") needs all its parts
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
	anyOf(index.FieldCluster, q.Stories)
	for _, alt := range q.EntityAlternatives() {
		anyOf(index.FieldEntities, alt)
	}
	anyOf(index.FieldEntities, q.AnyEntities)
	if len(q.NotEntities) > 0 {
		var qs []query.Query
		for _, e := range q.NotEntities {
			qs = append(qs, term(index.FieldEntities, e))
		}
		b := blevesearch.NewBooleanQuery()
		b.AddMust(blevesearch.NewMatchAllQuery())
		b.AddMustNot(qs...)
		all = append(all, b)
	}
	dates := func(field string, since, until time.Time) {
		if !since.IsZero() || !until.IsZero() {
			yes, no := true, false
			r := blevesearch.NewDateRangeInclusiveQuery(clampTime(since), clampTime(until), &yes, &no)
			r.SetField(field)
			all = append(all, r)
		}
	}
	dates(index.FieldPublished, q.Since, q.Until)
	dates(index.FieldFetched, q.SeenSince, q.SeenUntil)
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
