package meilitest

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// searchDocs are the documents of the search tests.
var searchDocs = []map[string]any{
	{"id": "1", "title": "Telecomunicazioni italiane", "body": "Il mercato delle telecomunicazioni cambia ancora.", "lang": "it", "tags": []string{"a", "b"}, "n": 10, "date": 100},
	{"id": "2", "title": "L’Arcep régule", "body": "Les consommateurs paient trop au café.", "lang": "fr", "tags": []string{"b", `say "hi"`}, "n": 20, "date": 300},
	{"id": "3", "title": "Netflix streaming", "body": "Netflix grows while regulators watch.", "lang": "en", "tags": []string{}, "n": 30, "date": 200, "extra": nil},
	{"id": "4", "title": "Open Fiber accelera", "body": "La rete unica. Poi la rete in fibra.", "lang": "it", "n": 5},
	{"id": "5", "title": "DeLonghi", "body": "A camel case name."},
	{"id": "6", "title": "Telecom Italia results", "body": "Quarterly numbers."},
	{"id": "7", "title": "Quarterly video", "body": "Sports streaming rights are costly."},
}

var searchSettings = map[string]any{
	"searchableAttributes": []string{"title", "body"},
	"filterableAttributes": []string{"lang", "tags", "n", "date", "extra"},
	"sortableAttributes":   []string{"date", "n"},
	"synonyms":             map[string][]string{"tim": {"telecom italia"}},
}

func search(t *testing.T, s *Server, body map[string]any) map[string]any {
	t.Helper()
	status, resp := call(t, s, http.MethodPost, "/indexes/docs/search", body)
	if status != http.StatusOK {
		t.Fatalf("search %v = %d %v", body, status, resp)
	}
	return resp
}

func TestSearchMatching(t *testing.T) {
	s := startIndex(t, searchSettings, searchDocs)
	tests := []struct {
		name string
		body map[string]any
		want []string // in any order
	}{
		{"placeholder", map[string]any{"q": ""}, []string{"1", "2", "3", "4", "5", "6", "7"}},
		{"case", map[string]any{"q": "NETFLIX"}, []string{"3"}},
		{"accent folded", map[string]any{"q": "CAFE"}, []string{"2"}},
		{"a typo on a prefix of another word", map[string]any{"q": "régule"}, []string{"2", "3"}},
		{"curly apostrophe splits", map[string]any{"q": "arcep"}, []string{"2"}},
		{"prefix on the last word", map[string]any{"q": "mercato telecom"}, []string{"1"}},
		{"no prefix before the last word", map[string]any{"q": "telec mercato"}, nil},
		{"no prefix after a space", map[string]any{"q": "telec "}, nil},
		{"a typo on a whole word", map[string]any{"q": "telecomu mercato"}, []string{"6"}},
		{"one typo from 5 letters", map[string]any{"q": "netflx"}, []string{"3"}},
		{"no typo on the first letter", map[string]any{"q": "betflix"}, nil},
		{"no typo under 5 letters", map[string]any{"q": "rate"}, nil},
		{"two typos from 9 letters", map[string]any{"q": "consomatteurs"}, []string{"2"}},
		{"first letter counts two", map[string]any{"q": "xonsommateurs"}, []string{"2"}},
		{"typo on a prefix", map[string]any{"q": "telecomunicazione"}, []string{"1"}},
		{"phrase", map[string]any{"q": `"rete unica"`}, []string{"4"}},
		{"phrase in order", map[string]any{"q": `"unica rete"`}, nil},
		{"phrase across a sentence", map[string]any{"q": `"unica poi"`}, nil},
		{"last drops words from the end", map[string]any{"q": "netflix zzzz"}, []string{"3"}},
		{"last keeps the first word", map[string]any{"q": "zzzz netflix"}, nil},
		{"all", map[string]any{"q": "netflix zzzz", "matchingStrategy": "all"}, nil},
		{"all matching", map[string]any{"q": "netflix grows", "matchingStrategy": "all"}, []string{"3"}},
		{"last drops the last word", map[string]any{"q": "quarterly netflix"}, []string{"6", "7"}},
		{"frequency drops the frequent word", map[string]any{"q": "quarterly netflix", "matchingStrategy": "frequency"}, []string{"3"}},
		{"synonym", map[string]any{"q": "tim"}, []string{"6"}},
		{"negative word", map[string]any{"q": "streaming -netflix"}, []string{"7"}},
		{"camel case split", map[string]any{"q": "longhi"}, []string{"5"}},
		{"split word", map[string]any{"q": "delonghi"}, []string{"5"}},
		{"punctuation only is a placeholder", map[string]any{"q": "?!"}, []string{"1", "2", "3", "4", "5", "6", "7"}},
		{"search on one attribute", map[string]any{"q": "quarterly", "attributesToSearchOn": []string{"title"}}, []string{"7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.body["limit"] = 100
			resp := search(t, s, tt.body)
			got := ids(resp)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("hits = %v, want %v", got, tt.want)
			}
			if resp["estimatedTotalHits"] != float64(len(tt.want)) {
				t.Errorf("estimatedTotalHits = %v, want %d", resp["estimatedTotalHits"], len(tt.want))
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	s := startIndex(t, searchSettings, searchDocs)
	tests := []struct {
		filter any
		want   []string
	}{
		{"lang = it", []string{"1", "4"}},
		{"lang = IT", []string{"1", "4"}},
		{`lang = "it"`, []string{"1", "4"}},
		{"lang != it", []string{"2", "3", "5", "6", "7"}},
		{"lang IN [fr, en]", []string{"2", "3"}},
		{"lang NOT IN [it]", []string{"2", "3", "5", "6", "7"}},
		{"NOT lang = it", []string{"2", "3", "5", "6", "7"}},
		{"n > 10", []string{"2", "3"}},
		{"n >= 10", []string{"1", "2", "3"}},
		{"n < 10", []string{"4"}},
		{"n 10 TO 20", []string{"1", "2"}},
		{"tags = b", []string{"1", "2"}},
		{`tags = "say \"hi\""`, []string{"2"}},
		{"tags IS EMPTY", []string{"3"}},
		{"extra IS NULL", []string{"3"}},
		{"extra EXISTS", []string{"3"}},
		{"extra NOT EXISTS", []string{"1", "2", "4", "5", "6", "7"}},
		{"(lang = it OR lang = fr) AND n > 10", []string{"2"}},
		{"lang = it OR lang = fr AND n > 10", []string{"1", "2", "4"}},
		{"date >= 200 AND date < 300", []string{"3"}},
		{[]any{[]any{"lang = it", "lang = fr"}, "n > 10"}, []string{"2"}},
	}
	for _, tt := range tests {
		resp := search(t, s, map[string]any{"filter": tt.filter, "limit": 100})
		got := ids(resp)
		slices.Sort(got)
		if !slices.Equal(got, tt.want) {
			t.Errorf("filter %v: hits = %v, want %v", tt.filter, got, tt.want)
		}
	}
}

func TestSearchErrors(t *testing.T) {
	s := startIndex(t, searchSettings, searchDocs)
	tests := []struct {
		name     string
		body     map[string]any
		code     string
		contains string
	}{
		{"not filterable", map[string]any{"filter": "title = x"}, "invalid_search_filter", "Attribute `title` is not filterable. Available filterable attribute patterns are: `lang`, `tags`, `n`, `date`, `extra`.\n1:6 title = x"},
		{"no value", map[string]any{"filter": "lang ="}, "invalid_search_filter", "Was expecting a value but instead got nothing."},
		{"dangling AND", map[string]any{"filter": "lang = it AND"}, "invalid_search_filter", "Was expecting an operation"},
		{"unclosed IN", map[string]any{"filter": "lang IN [it"}, "invalid_search_filter", "Expected matching `]`"},
		{"unclosed quote", map[string]any{"filter": `lang = "it`}, "invalid_search_filter", "missing the following closing delimiter"},
		{"trailing words", map[string]any{"filter": "lang = it fr"}, "invalid_search_filter", "Found unexpected characters at the end of the filter"},
		{"not sortable", map[string]any{"sort": []string{"title:asc"}}, "invalid_search_sort", "Attribute `title` is not sortable. Available sortable attributes are: `date, n`."},
		{"sort syntax", map[string]any{"sort": []string{"date"}}, "invalid_search_sort", "expected expression ending by `:asc` or `:desc`"},
		{"facet not filterable", map[string]any{"facets": []string{"title"}}, "invalid_search_facets", "Attribute `title` is not filterable"},
		{"distinct not filterable", map[string]any{"distinct": "title"}, "invalid_search_distinct", "Attribute `title` is not filterable"},
		{"negative limit", map[string]any{"limit": -1}, "invalid_search_limit", ""},
		{"bad strategy", map[string]any{"matchingStrategy": "some"}, "invalid_search_matching_strategy", ""},
		{"unknown parameter", map[string]any{"nope": true}, "bad_request", "Unknown field `nope`"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := call(t, s, http.MethodPost, "/indexes/docs/search", tt.body)
			checkError(t, tt.name, status, body, 400, tt.code)
			if msg, _ := body["message"].(string); !strings.Contains(msg, tt.contains) {
				t.Errorf("message %q, want it to contain %q", msg, tt.contains)
			}
		})
	}
	status, body := call(t, s, http.MethodPost, "/indexes/nope/search", map[string]any{"q": "x"})
	checkError(t, "unknown index", status, body, 404, "index_not_found")
}

func TestSearchRanking(t *testing.T) {
	s := startIndex(t, searchSettings, searchDocs)
	t.Run("attribute order", func(t *testing.T) {
		resp := search(t, s, map[string]any{"q": "streaming", "showRankingScore": true})
		if got := ids(resp); !slices.Equal(got, []string{"3", "7"}) {
			t.Fatalf("hits = %v, want [3 7]: a title match first", got)
		}
		hits := resp["hits"].([]any)
		s0, s1 := hits[0].(map[string]any)["_rankingScore"].(float64), hits[1].(map[string]any)["_rankingScore"].(float64)
		if !(s0 > s1 && s1 > 0 && s0 <= 1) {
			t.Errorf("scores %v, %v: want 1 >= first > second > 0", s0, s1)
		}
	})
	t.Run("sort", func(t *testing.T) {
		resp := search(t, s, map[string]any{"sort": []string{"date:desc"}, "limit": 3})
		if got := ids(resp); !slices.Equal(got, []string{"2", "3", "1"}) {
			t.Errorf("date:desc = %v", got)
		}
		resp = search(t, s, map[string]any{"sort": []string{"n:asc"}, "filter": "n EXISTS"})
		if got := ids(resp); !slices.Equal(got, []string{"4", "1", "2", "3"}) {
			t.Errorf("n:asc = %v", got)
		}
		// Documents without the field come last.
		resp = search(t, s, map[string]any{"sort": []string{"date:asc"}})
		if got := ids(resp); !slices.Equal(got[:3], []string{"1", "3", "2"}) {
			t.Errorf("date:asc = %v", got)
		}
	})
	t.Run("custom ranking rule", func(t *testing.T) {
		s := startIndex(t, map[string]any{
			"searchableAttributes": []string{"title", "body"},
			"rankingRules":         []string{"words", "typo", "proximity", "attribute", "sort", "exactness", "date:desc"},
		}, searchDocs)
		if got := ids(search(t, s, map[string]any{"q": ""})); !slices.Equal(got[:3], []string{"2", "3", "1"}) {
			t.Errorf("placeholder with date:desc rule = %v", got)
		}
	})
}

func TestSearchPagingAndFacets(t *testing.T) {
	s := startIndex(t, searchSettings, searchDocs)
	resp := search(t, s, map[string]any{"offset": 2, "limit": 2})
	if len(ids(resp)) != 2 || resp["estimatedTotalHits"] != float64(7) || resp["offset"] != float64(2) {
		t.Errorf("offset/limit: %v", resp)
	}
	resp = search(t, s, map[string]any{"page": 2, "hitsPerPage": 3})
	if got := ids(resp); len(got) != 3 || resp["totalHits"] != float64(7) || resp["totalPages"] != float64(3) || resp["page"] != float64(2) {
		t.Errorf("page/hitsPerPage: %v", resp)
	}
	if _, ok := resp["estimatedTotalHits"]; ok {
		t.Errorf("page mode has estimatedTotalHits")
	}
	resp = search(t, s, map[string]any{"facets": []string{"lang", "tags", "n"}, "filter": "n EXISTS"})
	dist := resp["facetDistribution"].(map[string]any)
	want := map[string]string{
		"lang": `{"en":1,"fr":1,"it":2}`,
		"tags": `{"a":1,"b":2,"say \"hi\"":1}`,
		"n":    `{"10":1,"20":1,"30":1,"5":1}`,
	}
	for k, w := range want {
		if got := string(mustJSON(dist[k])); got != w {
			t.Errorf("facet %s = %s, want %s", k, got, w)
		}
	}
	if stats := string(mustJSON(resp["facetStats"])); stats != `{"n":{"max":30,"min":5}}` {
		t.Errorf("facetStats = %s", stats)
	}
}

// TestSearchDistinct keeps the best ranked document of each value of the
// distinct attribute, and every document without it; page mode counts the
// distinct hits.
func TestSearchDistinct(t *testing.T) {
	s := startIndex(t, searchSettings, searchDocs)
	tests := []struct {
		name  string
		body  map[string]any
		want  []string // in order
		total float64
	}{
		{"by date", map[string]any{"distinct": "lang", "sort": []string{"date:desc"}, "page": 1, "hitsPerPage": 10}, []string{"2", "3", "1", "5", "6", "7"}, 6},
		{"by relevance", map[string]any{"q": "rete", "distinct": "lang", "page": 1, "hitsPerPage": 10}, []string{"4"}, 1},
		{"second page", map[string]any{"distinct": "lang", "sort": []string{"date:desc"}, "page": 2, "hitsPerPage": 4}, []string{"6", "7"}, 6},
	}
	for _, tt := range tests {
		resp := search(t, s, tt.body)
		if got := ids(resp); !slices.Equal(got, tt.want) || resp["totalHits"] != tt.total {
			t.Errorf("%s: %v, total %v; want %v, %v", tt.name, got, resp["totalHits"], tt.want, tt.total)
		}
	}
}

func TestSearchFormatting(t *testing.T) {
	long := "Uno due tre quattro cinque sei sette otto nove dieci undici dodici mercato tredici quattordici quindici sedici diciassette diciotto diciannove venti."
	s := startIndex(t, searchSettings, []map[string]any{
		{"id": "1", "title": "Il mercato", "body": long, "n": 3},
		{"id": "2", "title": "Rete", "body": "La rete unica"},
	})
	resp := search(t, s, map[string]any{
		"q": "mercato", "attributesToHighlight": []string{"*"}, "attributesToCrop": []string{"body"},
		"cropLength": 5, "highlightPreTag": "**", "highlightPostTag": "**",
	})
	f := resp["hits"].([]any)[0].(map[string]any)["_formatted"].(map[string]any)
	if f["title"] != "Il **mercato**" {
		t.Errorf("title = %q", f["title"])
	}
	if f["body"] != "…undici dodici **mercato** tredici quattordici…" {
		t.Errorf("cropped body = %q", f["body"])
	}
	if f["n"] != "3" {
		t.Errorf("number in _formatted = %v", f["n"])
	}
	// Default tags and marker; a prefix match marks the prefix only.
	resp = search(t, s, map[string]any{"q": "merc", "attributesToHighlight": []string{"title"}})
	if f := resp["hits"].([]any)[0].(map[string]any)["_formatted"].(map[string]any); f["title"] != "Il <em>merc</em>ato" {
		t.Errorf("prefix highlight = %q", f["title"])
	}
	resp = search(t, s, map[string]any{"q": `"rete unica"`, "attributesToHighlight": []string{"body"}})
	if f := resp["hits"].([]any)[0].(map[string]any)["_formatted"].(map[string]any); f["body"] != "La <em>rete</em> <em>unica</em>" {
		t.Errorf("phrase highlight = %q", f["body"])
	}
	// Without a match the crop is the start of the text.
	resp = search(t, s, map[string]any{"filter": nil, "q": "", "attributesToCrop": []string{"body:3"}})
	if f := resp["hits"].([]any)[0].(map[string]any)["_formatted"].(map[string]any); f["body"] != "Uno due tre…" {
		t.Errorf("crop without match = %q", f["body"])
	}
}
