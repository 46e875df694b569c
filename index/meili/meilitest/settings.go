package meilitest

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

// settings are the settings of an index. Every field holds its effective
// value, defaults included, so that GET returns what was set or the
// default.
type settings struct {
	DisplayedAttributes  []string            `json:"displayedAttributes"`
	SearchableAttributes []string            `json:"searchableAttributes"`
	FilterableAttributes []any               `json:"filterableAttributes"`
	SortableAttributes   []string            `json:"sortableAttributes"`
	RankingRules         []string            `json:"rankingRules"`
	StopWords            []string            `json:"stopWords"`
	NonSeparatorTokens   []string            `json:"nonSeparatorTokens"`
	SeparatorTokens      []string            `json:"separatorTokens"`
	Dictionary           []string            `json:"dictionary"`
	Synonyms             map[string][]string `json:"synonyms"`
	DistinctAttribute    *string             `json:"distinctAttribute"`
	ProximityPrecision   string              `json:"proximityPrecision"`
	TypoTolerance        typoTolerance       `json:"typoTolerance"`
	Faceting             faceting            `json:"faceting"`
	Pagination           pagination          `json:"pagination"`
	Embedders            map[string]any      `json:"embedders"`
	SearchCutoffMs       *int64              `json:"searchCutoffMs"`
	LocalizedAttributes  []localizedRule     `json:"localizedAttributes"`
	FacetSearch          bool                `json:"facetSearch"`
	PrefixSearch         string              `json:"prefixSearch"`
}

type typoTolerance struct {
	Enabled             bool                `json:"enabled"`
	MinWordSizeForTypos minWordSizeForTypos `json:"minWordSizeForTypos"`
	DisableOnWords      []string            `json:"disableOnWords"`
	DisableOnAttributes []string            `json:"disableOnAttributes"`
	DisableOnNumbers    bool                `json:"disableOnNumbers"`
}

type minWordSizeForTypos struct {
	OneTypo  int `json:"oneTypo"`
	TwoTypos int `json:"twoTypos"`
}

type faceting struct {
	MaxValuesPerFacet int               `json:"maxValuesPerFacet"`
	SortFacetValuesBy map[string]string `json:"sortFacetValuesBy"`
}

type pagination struct {
	MaxTotalHits int `json:"maxTotalHits"`
}

type localizedRule struct {
	AttributePatterns []string `json:"attributePatterns"`
	Locales           []string `json:"locales"`
}

// defaultRankingRules are Meilisearch's default ranking rules.
var defaultRankingRules = []string{"words", "typo", "proximity", "attribute", "sort", "exactness"}

func defaultSettings() *settings {
	return &settings{
		DisplayedAttributes:  []string{"*"},
		SearchableAttributes: []string{"*"},
		FilterableAttributes: []any{},
		SortableAttributes:   []string{},
		RankingRules:         slices.Clone(defaultRankingRules),
		StopWords:            []string{},
		NonSeparatorTokens:   []string{},
		SeparatorTokens:      []string{},
		Dictionary:           []string{},
		Synonyms:             map[string][]string{},
		ProximityPrecision:   "byWord",
		TypoTolerance: typoTolerance{
			Enabled:             true,
			MinWordSizeForTypos: minWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
		},
		Faceting:     faceting{MaxValuesPerFacet: 100, SortFacetValuesBy: map[string]string{"*": "alpha"}},
		Pagination:   pagination{MaxTotalHits: 1000},
		Embedders:    map[string]any{},
		FacetSearch:  true,
		PrefixSearch: "indexingTime",
	}
}

// settingNames maps the kebab-case names of the sub-setting routes to the
// settings keys.
var settingNames = map[string]string{
	"displayed-attributes":  "displayedAttributes",
	"searchable-attributes": "searchableAttributes",
	"filterable-attributes": "filterableAttributes",
	"sortable-attributes":   "sortableAttributes",
	"ranking-rules":         "rankingRules",
	"stop-words":            "stopWords",
	"non-separator-tokens":  "nonSeparatorTokens",
	"separator-tokens":      "separatorTokens",
	"dictionary":            "dictionary",
	"synonyms":              "synonyms",
	"distinct-attribute":    "distinctAttribute",
	"proximity-precision":   "proximityPrecision",
	"typo-tolerance":        "typoTolerance",
	"faceting":              "faceting",
	"pagination":            "pagination",
	"embedders":             "embedders",
	"search-cutoff-ms":      "searchCutoffMs",
	"localized-attributes":  "localizedAttributes",
	"facet-search":          "facetSearch",
	"prefix-search":         "prefixSearch",
}

// patchMethod is the method of the sub-setting routes of object settings;
// the others use PUT.
var patchMethod = map[string]bool{"typoTolerance": true, "faceting": true, "pagination": true, "embedders": true}

// snake returns the snake_case of a camelCase settings key, for error codes.
func snake(key string) string {
	var b strings.Builder
	for _, r := range key {
		if r >= 'A' && r <= 'Z' {
			b.WriteByte('_')
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

func resetAllSettings() string {
	m := map[string]any{}
	for _, k := range settingNames {
		m[k] = nil
	}
	return string(mustJSON(m))
}

func (e *engine) getSettings(w http.ResponseWriter, uid string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	x := e.indexes[uid]
	if x == nil {
		writeError(w, indexNotFound(uid))
		return
	}
	writeJSON(w, http.StatusOK, x.settings)
}

// subSetting serves /indexes/{uid}/settings/{name}.
func (e *engine) subSetting(w http.ResponseWriter, r *http.Request, uid, name string, body []byte, notAllowed func()) {
	key, ok := settingNames[name]
	if !ok {
		writeError(w, newError(http.StatusNotFound, "not_found", fmt.Sprintf("meilitest: no setting %q", name)))
		return
	}
	want := http.MethodPut
	if patchMethod[key] {
		want = http.MethodPatch
	}
	switch r.Method {
	case http.MethodGet:
		e.mu.Lock()
		defer e.mu.Unlock()
		x := e.indexes[uid]
		if x == nil {
			writeError(w, indexNotFound(uid))
			return
		}
		var all map[string]json.RawMessage
		_ = json.Unmarshal(mustJSON(x.settings), &all)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(all[key])
	case want:
		if !requireJSON(w, r) {
			return
		}
		e.updateSettings(w, uid, append(append([]byte(`{"`+key+`":`), body...), '}'))
	case http.MethodDelete:
		e.updateSettings(w, uid, []byte(`{"`+key+`":null}`))
	default:
		notAllowed()
	}
}

// updateSettings serves PATCH /indexes/{uid}/settings: it checks the body
// now, as Meilisearch does, and applies it in a settingsUpdate task,
// creating the index when it does not exist.
func (e *engine) updateSettings(w http.ResponseWriter, uid string, body []byte) {
	if err := validIndexUID(uid); err != nil {
		writeError(w, err)
		return
	}
	var patch map[string]json.RawMessage
	if err := json.Unmarshal(body, &patch); err != nil {
		writeError(w, badJSON(err))
		return
	}
	if patch == nil {
		writeError(w, badJSON(fmt.Errorf("expected an object")))
		return
	}
	// Check the patch on the defaults, so that type errors answer now.
	if perr := applySettings(defaultSettings(), patch); perr != nil {
		writeError(w, perr)
		return
	}
	var details map[string]any
	_ = decodeJSON(body, &details)
	writeJSON(w, http.StatusAccepted, e.enqueue(uid, typeSettingsUpdate, details, func(t *task) *apiError {
		x := e.indexes[uid]
		if x == nil {
			x = e.createIndexLocked(uid, "")
		}
		next := cloneSettings(x.settings)
		if perr := applySettings(next, patch); perr != nil {
			return perr
		}
		if perr := checkSettings(next); perr != nil {
			return perr
		}
		x.settings = next
		x.updatedAt = time.Now().UTC()
		for _, d := range x.docs {
			d.cache = nil
		}
		return nil
	}))
}

// createIndexLocked creates index uid. e.mu must be held.
func (e *engine) createIndexLocked(uid, primaryKey string) *index {
	x := newIndex(uid, primaryKey, time.Now().UTC())
	x.received = e.takeEarlyReceived(uid)
	e.indexes[uid] = x
	return x
}

func cloneSettings(s *settings) *settings {
	var c settings
	_ = json.Unmarshal(mustJSON(s), &c)
	if c.Synonyms == nil {
		c.Synonyms = map[string][]string{}
	}
	return &c
}

// settingsKeys are the keys a settings object may have, in Meilisearch's
// order, for the message of unknown ones.
var settingsKeys = []string{
	"displayedAttributes", "searchableAttributes", "filterableAttributes", "sortableAttributes",
	"rankingRules", "stopWords", "nonSeparatorTokens", "separatorTokens", "dictionary", "synonyms",
	"distinctAttribute", "proximityPrecision", "typoTolerance", "faceting", "pagination", "embedders",
	"searchCutoffMs", "localizedAttributes", "facetSearch", "prefixSearch",
}

// typeError is Meilisearch's error for a value of the wrong type.
func typeError(key, path, expected string, raw json.RawMessage) *apiError {
	return newError(http.StatusBadRequest, "invalid_settings_"+snake(key),
		fmt.Sprintf("Invalid value type at `.%s`: expected %s, but found `%s`", path, expected, raw))
}

// applySettings applies a settings patch: each key replaces the setting,
// null resets it to its default, and the object settings are merged key
// by key.
func applySettings(s *settings, patch map[string]json.RawMessage) *apiError {
	def := defaultSettings()
	keys := slices.Sorted(maps.Keys(patch))
	for _, key := range keys {
		raw := patch[key]
		null := string(raw) == "null"
		strs := func(dst *[]string, dflt []string) *apiError {
			if null {
				*dst = dflt
				return nil
			}
			var v []string
			if err := json.Unmarshal(raw, &v); err != nil || v == nil {
				return typeError(key, key, "an array of strings", raw)
			}
			*dst = v
			return nil
		}
		var perr *apiError
		switch key {
		case "displayedAttributes":
			perr = strs(&s.DisplayedAttributes, def.DisplayedAttributes)
		case "searchableAttributes":
			perr = strs(&s.SearchableAttributes, def.SearchableAttributes)
		case "sortableAttributes":
			perr = strs(&s.SortableAttributes, def.SortableAttributes)
		case "stopWords":
			perr = strs(&s.StopWords, def.StopWords)
		case "nonSeparatorTokens":
			perr = strs(&s.NonSeparatorTokens, def.NonSeparatorTokens)
		case "separatorTokens":
			perr = strs(&s.SeparatorTokens, def.SeparatorTokens)
		case "dictionary":
			perr = strs(&s.Dictionary, def.Dictionary)
		case "rankingRules":
			if perr = strs(&s.RankingRules, def.RankingRules); perr == nil {
				perr = checkRankingRules(s.RankingRules)
			}
		case "filterableAttributes":
			perr = applyFilterable(s, raw, null)
		case "synonyms":
			if null {
				s.Synonyms = map[string][]string{}
				break
			}
			var v map[string][]string
			if err := json.Unmarshal(raw, &v); err != nil || v == nil {
				perr = typeError(key, key, "an object with arrays of strings as values", raw)
				break
			}
			s.Synonyms = v
		case "distinctAttribute":
			if null {
				s.DistinctAttribute = nil
				break
			}
			var v string
			if err := json.Unmarshal(raw, &v); err != nil {
				perr = typeError(key, key, "a string", raw)
				break
			}
			s.DistinctAttribute = &v
		case "proximityPrecision":
			if null {
				s.ProximityPrecision = def.ProximityPrecision
				break
			}
			var v string
			if err := json.Unmarshal(raw, &v); err != nil || (v != "byWord" && v != "byAttribute") {
				perr = newError(http.StatusBadRequest, "invalid_settings_proximity_precision",
					fmt.Sprintf("Unknown value `%s` at `.proximityPrecision`: expected one of `byWord`, `byAttribute`", raw))
				break
			}
			s.ProximityPrecision = v
		case "typoTolerance":
			perr = applyTypoTolerance(&s.TypoTolerance, def.TypoTolerance, raw, null)
		case "faceting":
			perr = applyFaceting(&s.Faceting, def.Faceting, raw, null)
		case "pagination":
			if null {
				s.Pagination = def.Pagination
				break
			}
			var v map[string]*int
			if err := json.Unmarshal(raw, &v); err != nil {
				perr = typeError(key, key, "an object", raw)
				break
			}
			for k, n := range v {
				if k != "maxTotalHits" {
					perr = newError(http.StatusBadRequest, "invalid_settings_pagination",
						fmt.Sprintf("Unknown field `%s` inside `.pagination`: expected one of `maxTotalHits`", k))
					break
				}
				s.Pagination.MaxTotalHits = def.Pagination.MaxTotalHits
				if n != nil {
					if *n < 0 {
						perr = typeError(key, "pagination.maxTotalHits", "a positive integer", raw)
						break
					}
					s.Pagination.MaxTotalHits = *n
				}
			}
		case "embedders":
			if null {
				s.Embedders = map[string]any{}
				break
			}
			var v map[string]any
			if err := json.Unmarshal(raw, &v); err != nil || v == nil {
				perr = typeError(key, key, "an object", raw)
				break
			}
			if len(v) > 0 {
				perr = newError(http.StatusBadRequest, "invalid_settings_embedders",
					"meilitest: the test double does not support embedders")
			}
		case "searchCutoffMs":
			if null {
				s.SearchCutoffMs = nil
				break
			}
			var v int64
			if err := json.Unmarshal(raw, &v); err != nil || v < 0 {
				perr = typeError(key, key, "a positive integer", raw)
				break
			}
			s.SearchCutoffMs = &v
		case "localizedAttributes":
			perr = applyLocalized(s, raw, null)
		case "facetSearch":
			if null {
				s.FacetSearch = true
				break
			}
			if err := json.Unmarshal(raw, &s.FacetSearch); err != nil {
				perr = typeError(key, key, "a boolean", raw)
			}
		case "prefixSearch":
			if null {
				s.PrefixSearch = def.PrefixSearch
				break
			}
			var v string
			if err := json.Unmarshal(raw, &v); err != nil || (v != "indexingTime" && v != "disabled") {
				perr = newError(http.StatusBadRequest, "invalid_settings_prefix_search",
					fmt.Sprintf("Unknown value `%s` at `.prefixSearch`: expected one of `indexingTime`, `disabled`", raw))
				break
			}
			s.PrefixSearch = v
		default:
			perr = newError(http.StatusBadRequest, "bad_request",
				fmt.Sprintf("Unknown field `%s`: expected one of `%s`", key, strings.Join(settingsKeys, "`, `")))
		}
		if perr != nil {
			return perr
		}
	}
	return nil
}

// customRule is the syntax of a custom ranking rule: attribute:asc|desc.
var customRule = regexp.MustCompile(`^(.+):(asc|desc)$`)

func checkRankingRules(rules []string) *apiError {
	for _, r := range rules {
		switch r {
		case "words", "typo", "proximity", "attribute", "sort", "exactness", "attributeRank", "wordPosition":
			continue
		}
		if customRule.MatchString(r) {
			continue
		}
		return newError(http.StatusBadRequest, "invalid_settings_ranking_rules", fmt.Sprintf(
			"Invalid value at `.rankingRules[%d]`: `%s` ranking rule is invalid. Valid ranking rules are words, typo, sort, proximity, attribute, exactness and custom ranking rules.",
			slices.Index(rules, r), r))
	}
	return nil
}

func applyFilterable(s *settings, raw json.RawMessage, null bool) *apiError {
	if null {
		s.FilterableAttributes = []any{}
		return nil
	}
	var v []any
	if err := decodeJSON(raw, &v); err != nil || v == nil {
		return typeError("filterableAttributes", "filterableAttributes", "an array", raw)
	}
	for i, item := range v {
		switch item := item.(type) {
		case string:
		case map[string]any:
			pats, ok := item["attributePatterns"].([]any)
			if !ok {
				return newError(http.StatusBadRequest, "invalid_settings_filterable_attributes",
					fmt.Sprintf("Missing field `attributePatterns` inside `.filterableAttributes[%d]`", i))
			}
			for _, p := range pats {
				if _, ok := p.(string); !ok {
					return typeError("filterableAttributes", fmt.Sprintf("filterableAttributes[%d].attributePatterns", i), "an array of strings", raw)
				}
			}
		default:
			return typeError("filterableAttributes", fmt.Sprintf("filterableAttributes[%d]", i), "a string or an object", raw)
		}
	}
	s.FilterableAttributes = v
	return nil
}

// filterablePatterns returns the attribute patterns of the filterable
// attributes setting.
func (s *settings) filterablePatterns() []string {
	var out []string
	for _, item := range s.FilterableAttributes {
		switch item := item.(type) {
		case string:
			out = append(out, item)
		case map[string]any:
			pats, _ := item["attributePatterns"].([]any)
			for _, p := range pats {
				if p, ok := p.(string); ok {
					out = append(out, p)
				}
			}
		}
	}
	return out
}

func applyTypoTolerance(t *typoTolerance, def typoTolerance, raw json.RawMessage, null bool) *apiError {
	if null {
		*t = def
		return nil
	}
	var v map[string]json.RawMessage
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return typeError("typoTolerance", "typoTolerance", "an object", raw)
	}
	for k, sub := range v {
		null := string(sub) == "null"
		bad := func(expected string) *apiError {
			return typeError("typoTolerance", "typoTolerance."+k, expected, sub)
		}
		switch k {
		case "enabled":
			t.Enabled = def.Enabled
			if !null && json.Unmarshal(sub, &t.Enabled) != nil {
				return bad("a boolean")
			}
		case "disableOnNumbers":
			t.DisableOnNumbers = def.DisableOnNumbers
			if !null && json.Unmarshal(sub, &t.DisableOnNumbers) != nil {
				return bad("a boolean")
			}
		case "disableOnWords", "disableOnAttributes":
			dst := &t.DisableOnWords
			if k == "disableOnAttributes" {
				dst = &t.DisableOnAttributes
			}
			*dst = []string{}
			if !null && (json.Unmarshal(sub, dst) != nil || *dst == nil) {
				return bad("an array of strings")
			}
		case "minWordSizeForTypos":
			if null {
				t.MinWordSizeForTypos = def.MinWordSizeForTypos
				continue
			}
			var m map[string]*int
			if err := json.Unmarshal(sub, &m); err != nil {
				return bad("an object")
			}
			for mk, n := range m {
				var dst *int
				switch mk {
				case "oneTypo":
					dst = &t.MinWordSizeForTypos.OneTypo
					*dst = def.MinWordSizeForTypos.OneTypo
				case "twoTypos":
					dst = &t.MinWordSizeForTypos.TwoTypos
					*dst = def.MinWordSizeForTypos.TwoTypos
				default:
					return newError(http.StatusBadRequest, "invalid_settings_typo_tolerance",
						fmt.Sprintf("Unknown field `%s` inside `.typoTolerance.minWordSizeForTypos`: expected one of `oneTypo`, `twoTypos`", mk))
				}
				if n != nil {
					if *n < 0 || *n > 255 {
						return bad("an integer between 0 and 255")
					}
					*dst = *n
				}
			}
		default:
			return newError(http.StatusBadRequest, "invalid_settings_typo_tolerance",
				fmt.Sprintf("Unknown field `%s` inside `.typoTolerance`: expected one of `enabled`, `minWordSizeForTypos`, `disableOnWords`, `disableOnAttributes`, `disableOnNumbers`", k))
		}
	}
	return nil
}

func applyFaceting(f *faceting, def faceting, raw json.RawMessage, null bool) *apiError {
	if null {
		*f = faceting{MaxValuesPerFacet: def.MaxValuesPerFacet, SortFacetValuesBy: maps.Clone(def.SortFacetValuesBy)}
		return nil
	}
	var v map[string]json.RawMessage
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return typeError("faceting", "faceting", "an object", raw)
	}
	for k, sub := range v {
		null := string(sub) == "null"
		switch k {
		case "maxValuesPerFacet":
			f.MaxValuesPerFacet = def.MaxValuesPerFacet
			if !null && (json.Unmarshal(sub, &f.MaxValuesPerFacet) != nil || f.MaxValuesPerFacet < 0) {
				return typeError("faceting", "faceting.maxValuesPerFacet", "a positive integer", sub)
			}
		case "sortFacetValuesBy":
			f.SortFacetValuesBy = maps.Clone(def.SortFacetValuesBy)
			if null {
				continue
			}
			var m map[string]string
			if err := json.Unmarshal(sub, &m); err != nil {
				return typeError("faceting", "faceting.sortFacetValuesBy", "an object", sub)
			}
			for attr, order := range m {
				if order != "alpha" && order != "count" {
					return newError(http.StatusBadRequest, "invalid_settings_faceting",
						fmt.Sprintf("Unknown value `%s` at `.faceting.sortFacetValuesBy.%s`: expected one of `alpha`, `count`", order, attr))
				}
				f.SortFacetValuesBy[attr] = order
			}
		default:
			return newError(http.StatusBadRequest, "invalid_settings_faceting",
				fmt.Sprintf("Unknown field `%s` inside `.faceting`: expected one of `maxValuesPerFacet`, `sortFacetValuesBy`", k))
		}
	}
	return nil
}

// locales are the locales the double accepts in localized attributes:
// ISO 639-3 codes of the languages Meilisearch's tokenizer knows, and
// their ISO 639-1 codes.
var locales = map[string]bool{}

func init() {
	for _, pair := range []string{
		"afr:af", "aka:ak", "amh:am", "ara:ar", "aze:az", "bel:be", "ben:bn", "bul:bg", "cat:ca",
		"ces:cs", "cmn:zh", "dan:da", "deu:de", "ell:el", "eng:en", "epo:eo", "est:et", "fin:fi",
		"fra:fr", "guj:gu", "heb:he", "hin:hi", "hrv:hr", "hun:hu", "hye:hy", "ind:id", "ita:it",
		"jav:jv", "jpn:ja", "kan:kn", "kat:ka", "khm:km", "kor:ko", "lat:la", "lav:lv", "lit:lt",
		"mal:ml", "mar:mr", "mkd:mk", "mya:my", "nep:ne", "nld:nl", "nob:nb", "ori:or", "pan:pa",
		"pes:fa", "pol:pl", "por:pt", "ron:ro", "rus:ru", "sin:si", "slk:sk", "slv:sl", "sna:sn",
		"spa:es", "srp:sr", "swe:sv", "tam:ta", "tel:te", "tgl:tl", "tha:th", "tuk:tk", "tur:tr",
		"ukr:uk", "urd:ur", "uzb:uz", "vie:vi", "yid:yi", "zho:zh", "zul:zu",
	} {
		three, two, _ := strings.Cut(pair, ":")
		locales[three], locales[two] = true, true
	}
}

func applyLocalized(s *settings, raw json.RawMessage, null bool) *apiError {
	if null {
		s.LocalizedAttributes = nil
		return nil
	}
	var v []localizedRule
	if err := json.Unmarshal(raw, &v); err != nil || v == nil {
		return typeError("localizedAttributes", "localizedAttributes", "an array of objects with `attributePatterns` and `locales`", raw)
	}
	for i, rule := range v {
		if rule.AttributePatterns == nil {
			return newError(http.StatusBadRequest, "invalid_settings_localized_attributes",
				fmt.Sprintf("Missing field `attributePatterns` inside `.localizedAttributes[%d]`", i))
		}
		if rule.Locales == nil {
			v[i].Locales = []string{}
		}
		for j, l := range rule.Locales {
			if !locales[l] {
				return newError(http.StatusBadRequest, "invalid_settings_localized_attributes",
					fmt.Sprintf("Unknown value `%s` at `.localizedAttributes[%d].locales[%d]`: expected a known ISO 639 language code", l, i, j))
			}
		}
	}
	s.LocalizedAttributes = v
	return nil
}

// checkSettings checks what Meilisearch checks when it processes a
// settings task rather than when it receives it.
func checkSettings(s *settings) *apiError {
	m := s.TypoTolerance.MinWordSizeForTypos
	if m.OneTypo > m.TwoTypos {
		return newError(http.StatusBadRequest, "invalid_settings_typo_tolerance", fmt.Sprintf(
			"`minWordSizeForTypos` setting is invalid. `oneTypo` and `twoTypos` fields should be between `0` and `255`, and `twoTypos` should be greater or equals to `oneTypo` but found `oneTypo: %d` and twoTypos: %d`.",
			m.OneTypo, m.TwoTypos))
	}
	return nil
}
