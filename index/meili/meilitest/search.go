package meilitest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// searchParams are the search parameters the double knows, in
// Meilisearch's order.
var searchParams = []string{
	"q", "vector", "offset", "limit", "page", "hitsPerPage", "attributesToRetrieve", "retrieveVectors",
	"attributesToCrop", "cropLength", "cropMarker", "attributesToHighlight", "highlightPreTag",
	"highlightPostTag", "showMatchesPosition", "showRankingScore", "showRankingScoreDetails",
	"showPerformanceDetails", "filter", "sort", "distinct", "facets", "matchingStrategy",
	"attributesToSearchOn", "rankingScoreThreshold", "hybrid", "locales", "media",
}

// searchRequest is a decoded search.
type searchRequest struct {
	q                     string
	offset, limit         int
	page, hitsPerPage     *int
	attributesToRetrieve  []string
	attributesToCrop      []string
	cropLength            int
	cropMarker            string
	attributesToHighlight []string
	preTag, postTag       string
	showMatchesPosition   bool
	showRankingScore      bool
	filter                any
	sort                  []string
	facets                []string
	matchingStrategy      string
	attributesToSearchOn  []string
	rankingScoreThreshold *float64
	distinct              string
}

// searchFromQuery turns the query string of GET /search into a JSON body.
func searchFromQuery(r *http.Request) []byte {
	m := map[string]any{}
	for k, vs := range r.URL.Query() {
		v := vs[0]
		switch k {
		case "offset", "limit", "page", "hitsPerPage", "cropLength":
			if n, err := strconv.Atoi(v); err == nil {
				m[k] = n
				continue
			}
		case "showMatchesPosition", "showRankingScore", "showRankingScoreDetails":
			m[k] = v == "true"
			continue
		case "attributesToRetrieve", "attributesToCrop", "attributesToHighlight", "sort", "facets", "attributesToSearchOn", "locales":
			m[k] = strings.Split(v, ",")
			continue
		case "rankingScoreThreshold":
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				m[k] = f
				continue
			}
		}
		m[k] = v
	}
	return mustJSON(m)
}

func invalidSearch(param, msg string) *apiError {
	return newError(http.StatusBadRequest, "invalid_search_"+snake(param), msg)
}

// decodeSearch decodes and checks a search body.
func decodeSearch(body []byte) (*searchRequest, *apiError) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil || raw == nil {
		if err == nil {
			err = fmt.Errorf("expected an object")
		}
		return nil, badJSON(err)
	}
	req := &searchRequest{
		limit: 20, attributesToRetrieve: []string{"*"}, cropLength: 10, cropMarker: "…",
		preTag: "<em>", postTag: "</em>", matchingStrategy: "last",
	}
	for _, key := range slices.Sorted(maps.Keys(raw)) {
		v := raw[key]
		if !slices.Contains(searchParams, key) {
			return nil, newError(http.StatusBadRequest, "bad_request",
				fmt.Sprintf("Unknown field `%s`: expected one of `%s`", key, strings.Join(searchParams, "`, `")))
		}
		if string(v) == "null" {
			continue
		}
		bad := func(expected string) *apiError {
			return invalidSearch(key, fmt.Sprintf("Invalid value type at `.%s`: expected %s, but found `%s`", key, expected, v))
		}
		var err error
		nonNeg := func(dst *int) *apiError {
			var n int
			if err := json.Unmarshal(v, &n); err != nil || n < 0 {
				return bad("a positive integer")
			}
			*dst = n
			return nil
		}
		var perr *apiError
		switch key {
		case "q":
			err = json.Unmarshal(v, &req.q)
			if err != nil {
				perr = bad("a string")
			}
		case "offset":
			perr = nonNeg(&req.offset)
		case "limit":
			perr = nonNeg(&req.limit)
		case "page":
			req.page = new(int)
			perr = nonNeg(req.page)
		case "hitsPerPage":
			req.hitsPerPage = new(int)
			perr = nonNeg(req.hitsPerPage)
		case "cropLength":
			perr = nonNeg(&req.cropLength)
		case "attributesToRetrieve", "attributesToCrop", "attributesToHighlight", "sort", "facets", "attributesToSearchOn":
			var s []string
			if json.Unmarshal(v, &s) != nil {
				perr = bad("an array of strings")
				break
			}
			switch key {
			case "attributesToRetrieve":
				req.attributesToRetrieve = s
			case "attributesToCrop":
				req.attributesToCrop = s
			case "attributesToHighlight":
				req.attributesToHighlight = s
			case "sort":
				req.sort = s
			case "facets":
				req.facets = s
			case "attributesToSearchOn":
				req.attributesToSearchOn = s
			}
		case "cropMarker", "highlightPreTag", "highlightPostTag", "distinct":
			var s string
			if json.Unmarshal(v, &s) != nil {
				perr = bad("a string")
				break
			}
			switch key {
			case "cropMarker":
				req.cropMarker = s
			case "highlightPreTag":
				req.preTag = s
			case "highlightPostTag":
				req.postTag = s
			case "distinct":
				req.distinct = s
			}
		case "showMatchesPosition", "showRankingScore", "showRankingScoreDetails", "showPerformanceDetails", "retrieveVectors":
			var b bool
			if json.Unmarshal(v, &b) != nil {
				perr = bad("a boolean")
				break
			}
			switch key {
			case "showMatchesPosition":
				req.showMatchesPosition = b
			case "showRankingScore":
				req.showRankingScore = b
			}
		case "filter":
			if err := decodeJSON(v, &req.filter); err != nil {
				perr = bad("a string or an array")
			}
		case "matchingStrategy":
			var s string
			if json.Unmarshal(v, &s) != nil || (s != "last" && s != "all" && s != "frequency") {
				perr = invalidSearch(key, fmt.Sprintf("Unknown value `%s` at `.matchingStrategy`: expected one of `last`, `all`, `frequency`", strings.Trim(string(v), `"`)))
				break
			}
			req.matchingStrategy = s
		case "rankingScoreThreshold":
			var f float64
			if json.Unmarshal(v, &f) != nil || f < 0 || f > 1 {
				perr = bad("a number between 0.0 and 1.0")
				break
			}
			req.rankingScoreThreshold = &f
		case "locales":
			var s []string
			if json.Unmarshal(v, &s) != nil {
				perr = bad("an array of strings")
				break
			}
			for _, l := range s {
				if !locales[l] {
					perr = invalidSearch(key, fmt.Sprintf("Unknown value `%s` at `.locales`: expected a known ISO 639 language code", l))
				}
			}
		case "vector", "hybrid", "media":
			perr = invalidSearch(key, "meilitest: the test double does not support AI-powered search")
		}
		if perr != nil {
			return nil, perr
		}
	}
	return req, nil
}

// hit is a candidate document with what ranks it.
type hit struct {
	doc   *document
	match *hitMatch // nil for a placeholder search
	score float64
}

// search serves POST /indexes/{uid}/search.
func (e *engine) search(w http.ResponseWriter, uid string, body []byte) {
	started := time.Now()
	req, perr := decodeSearch(body)
	if perr != nil {
		writeError(w, perr)
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		writeError(w, indexNotFound(uid))
		return
	}
	s := x.settings
	filter, perr := parseFilterParam(req.filter, s, uid, "invalid_search_filter")
	if perr != nil {
		writeError(w, perr)
		return
	}
	sorts, perr := parseSort(req.sort, s)
	if perr != nil {
		writeError(w, perr)
		return
	}
	if perr = checkFacets(req.facets, s, uid); perr != nil {
		writeError(w, perr)
		return
	}
	if perr = checkDistinct(req.distinct, s); perr != nil {
		writeError(w, perr)
		return
	}
	if perr = checkSearchOn(req.attributesToSearchOn, x); perr != nil {
		writeError(w, perr)
		return
	}

	stop := map[string]bool{}
	for _, sw := range s.StopWords {
		stop[normalize(sw)] = true
	}
	pq := parseQuery(req.q, stop, s.PrefixSearch != "disabled")
	alts := alternatives(pq, newTypoPolicy(s.TypoTolerance), normalizeSynonyms(s.Synonyms))

	var hits []hit
	docs := x.sortedDocs()
	var freqOrder []int
	if len(pq.terms) > 0 && req.matchingStrategy == "frequency" {
		freqOrder = frequencyOrder(x, docs, filter, pq, alts, req.attributesToSearchOn)
	}
	for _, d := range docs {
		if filter != nil && !filter.eval(d.fields) {
			continue
		}
		if len(pq.terms) == 0 && len(pq.negWords) == 0 && len(pq.negPhrases) == 0 {
			hits = append(hits, hit{doc: d, score: 1})
			continue
		}
		di := x.indexDoc(d)
		if excluded(di, pq) {
			continue
		}
		if len(pq.terms) == 0 {
			hits = append(hits, hit{doc: d, score: 1})
			continue
		}
		m := matchDoc(di, pq, alts, req.matchingStrategy, freqOrder, req.attributesToSearchOn, len(x.searchableFields()))
		if m == nil {
			continue
		}
		hits = append(hits, hit{doc: d, match: m})
	}
	rules := s.RankingRules
	for i := range hits {
		if hits[i].match != nil {
			hits[i].score = hits[i].match.score(rules, len(pq.terms))
		}
	}
	if t := req.rankingScoreThreshold; t != nil {
		hits = slices.DeleteFunc(hits, func(h hit) bool { return h.score < *t })
	}
	sort.SliceStable(hits, func(i, j int) bool { return lessHit(&hits[i], &hits[j], rules, sorts) < 0 })
	if req.distinct != "" || s.DistinctAttribute != nil {
		attr := req.distinct
		if attr == "" {
			attr = *s.DistinctAttribute
		}
		hits = distinctHits(hits, attr)
	}

	resp := map[string]any{"query": req.q}
	maxTotal := s.Pagination.MaxTotalHits
	candidates := len(hits)
	total := min(candidates, maxTotal)
	var from, to int
	if req.page != nil || req.hitsPerPage != nil {
		page, per := 1, 20
		if req.page != nil {
			page = *req.page
		}
		if req.hitsPerPage != nil {
			per = *req.hitsPerPage
		}
		if page == 0 {
			from, to = 0, 0
		} else {
			from = min((page-1)*per, total)
			to = min(from+per, total)
		}
		totalPages := 0
		if per > 0 {
			totalPages = (total + per - 1) / per
		}
		resp["hitsPerPage"], resp["page"], resp["totalPages"], resp["totalHits"] = per, page, totalPages, total
	} else {
		from = min(req.offset, total)
		to = min(from+req.limit, total)
		resp["offset"], resp["limit"], resp["estimatedTotalHits"] = req.offset, req.limit, total
	}

	f := newFormatter(req, alts)
	out := make([]map[string]any, 0, to-from)
	for _, h := range hits[from:to] {
		doc := x.retrieve(h.doc.fields, retrieveFields(req.attributesToRetrieve))
		if f.active() {
			doc["_formatted"] = f.format(x.retrieve(h.doc.fields, nil))
		}
		if req.showMatchesPosition {
			doc["_matchesPosition"] = f.positions(x.retrieve(h.doc.fields, nil))
		}
		if req.showRankingScore {
			doc["_rankingScore"] = h.score
		}
		out = append(out, doc)
	}
	resp["hits"] = out
	if req.facets != nil {
		dist, stats := facetDistribution(hits, req.facets, s)
		resp["facetDistribution"] = dist
		resp["facetStats"] = stats
	}
	resp["processingTimeMs"] = time.Since(started).Milliseconds()
	writeJSON(w, http.StatusOK, resp)
}

// retrieveFields returns the fields to retrieve, nil meaning all.
func retrieveFields(fields []string) []string {
	if slices.Contains(fields, "*") {
		return nil
	}
	if len(fields) == 0 {
		return []string{"\x00none"}
	}
	return fields
}

// sortCriterion is one criterion of the sort parameter or of a custom
// ranking rule.
type sortCriterion struct {
	attr string
	desc bool
}

func parseSort(params []string, s *settings) ([]sortCriterion, *apiError) {
	var out []sortCriterion
	for _, p := range params {
		m := customRule.FindStringSubmatch(p)
		if m == nil {
			return nil, invalidSearch("sort", fmt.Sprintf("Invalid syntax for the sort parameter: expected expression ending by `:asc` or `:desc`, found `%s`.", p))
		}
		if !matchAny(s.SortableAttributes, m[1]) {
			avail := "This index does not have configured sortable attributes."
			if len(s.SortableAttributes) > 0 {
				avail = "Available sortable attributes are: `" + strings.Join(s.SortableAttributes, ", ") + "`."
			}
			return nil, invalidSearch("sort", fmt.Sprintf("Attribute `%s` is not sortable. %s", m[1], avail))
		}
		out = append(out, sortCriterion{attr: m[1], desc: m[2] == "desc"})
	}
	return out, nil
}

func checkFacets(facets []string, s *settings, uid string) *apiError {
	patterns := s.filterablePatterns()
	for _, f := range facets {
		if f == "*" || matchAny(patterns, f) {
			continue
		}
		avail := "This index does not have configured filterable attributes."
		if len(patterns) > 0 {
			avail = "The available filterable attribute patterns are: `" + strings.Join(patterns, ", ") + "`."
		}
		return invalidSearch("facets", fmt.Sprintf("Index `%s`: Invalid facet distribution: Attribute `%s` is not filterable. %s", uid, f, avail))
	}
	return nil
}

// checkDistinct checks that the distinct attribute of a search, if any, is
// filterable, as Meilisearch requires.
func checkDistinct(attr string, s *settings) *apiError {
	patterns := s.filterablePatterns()
	if attr == "" || matchAny(patterns, attr) {
		return nil
	}
	avail := "This index does not have configured filterable attributes."
	if len(patterns) > 0 {
		avail = "Available filterable attributes patterns are: `" + strings.Join(patterns, ", ") + "`."
	}
	return invalidSearch("distinct", fmt.Sprintf("Attribute `%s` is not filterable and thus, cannot be used as distinct attribute. %s", attr, avail))
}

func checkSearchOn(attrs []string, x *index) *apiError {
	searchable := x.settings.SearchableAttributes
	for _, a := range attrs {
		if !matchAny(searchable, a) {
			return invalidSearch("attributesToSearchOn", fmt.Sprintf(
				"Attribute `%s` is not searchable. Available searchable attributes are: `%s`.", a, strings.Join(searchable, ", ")))
		}
	}
	return nil
}

// excluded reports whether a document holds a negated word or phrase.
func excluded(di *docIndex, pq parsedQuery) bool {
	for _, w := range pq.negWords {
		if len(di.words[w]) > 0 {
			return true
		}
	}
	for _, p := range pq.negPhrases {
		a := alt{seq: p}
		if len(di.matches(&a)) > 0 {
			return true
		}
	}
	return false
}

// distinctHits keeps the first hit of each value of attr.
func distinctHits(hits []hit, attr string) []hit {
	seen := map[string]bool{}
	out := hits[:0]
	for _, h := range hits {
		v, ok := fieldValue(h.doc.fields, attr)
		if !ok {
			out = append(out, h)
			continue
		}
		key := string(mustJSON(v))
		if !seen[key] {
			seen[key] = true
			out = append(out, h)
		}
	}
	return out
}

// facetDistribution counts the values of each facet among the hits.
func facetDistribution(hits []hit, facets []string, s *settings) (map[string]map[string]int, map[string]map[string]float64) {
	dist := map[string]map[string]int{}
	stats := map[string]map[string]float64{}
	names := facets
	if slices.Contains(facets, "*") {
		names = nil
		seen := map[string]bool{}
		patterns := s.filterablePatterns()
		for _, h := range hits {
			for k := range h.doc.fields {
				if !seen[k] && matchAny(patterns, k) {
					seen[k] = true
					names = append(names, k)
				}
			}
		}
	}
	for _, name := range names {
		counts := map[string]int{}
		display := map[string]string{}
		var minV, maxV float64
		numeric := false
		for _, h := range hits {
			raw, ok := fieldValue(h.doc.fields, name)
			if !ok {
				continue
			}
			var leaves []any
			flatten(raw, &leaves)
			seen := map[string]bool{}
			for _, v := range leaves {
				if n, ok := asNumber(v); ok {
					if !numeric || n < minV {
						minV = n
					}
					if !numeric || n > maxV {
						maxV = n
					}
					numeric = true
				}
				str, ok := asString(v)
				if !ok {
					continue
				}
				key := normalizeFacet(str)
				if seen[key] {
					continue
				}
				seen[key] = true
				if _, ok := display[key]; !ok {
					display[key] = str
				}
				counts[key]++
			}
		}
		keys := slices.Collect(maps.Keys(counts))
		order := s.Faceting.SortFacetValuesBy["*"]
		if o, ok := s.Faceting.SortFacetValuesBy[name]; ok {
			order = o
		}
		sort.Slice(keys, func(i, j int) bool {
			if order == "count" && counts[keys[i]] != counts[keys[j]] {
				return counts[keys[i]] > counts[keys[j]]
			}
			return keys[i] < keys[j]
		})
		if len(keys) > s.Faceting.MaxValuesPerFacet {
			keys = keys[:s.Faceting.MaxValuesPerFacet]
		}
		out := map[string]int{}
		for _, k := range keys {
			out[display[k]] = counts[k]
		}
		dist[name] = out
		if numeric {
			stats[name] = map[string]float64{"min": minV, "max": maxV}
		}
	}
	return dist, stats
}
