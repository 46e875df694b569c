package meili

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/meilisearch/meilisearch-go"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// locales maps the languages of ottwatch.Languages to the ISO 639-3 codes of
// Meilisearch's localizedAttributes.
var locales = map[string]string{
	"it": "ita", "fr": "fra", "es": "spa", "de": "deu", "en": "eng", "pt": "por",
}

// facetAttributes maps the facets of ottwatch.Query to the attributes they
// count.
var facetAttributes = map[string]string{
	"lang":   index.FieldLang,
	"entity": index.FieldEntities,
	"source": index.FieldSource,
}

// maxValuesPerFacet is how many values of each facet a search counts.
const maxValuesPerFacet = 100

// rankingRules are Meilisearch's default rules with "sort" first, so that
// a sort by date wins over relevance, and the custom rule
// published_at:desc last, so that relevance ties go to the newest article.
var rankingRules = []string{"sort", "words", "typo", "proximity", "attribute", "exactness", index.FieldPublished + ":desc"}

// searchableAttributes are the titles of every language, then their
// descriptions, then their bodies, then the entity names: Meilisearch's
// attribute rule ranks a match in a title above one in a body.
func searchableAttributes() []string {
	var out []string
	for _, prefix := range index.TextFields {
		for _, suffix := range index.Suffixes() {
			out = append(out, index.TextField(prefix, suffix))
		}
	}
	return append(out, index.FieldEntityNames)
}

// textAttributes are the per-language text fields, for highlighting.
func textAttributes() []string {
	return searchableAttributes()[:len(index.TextFields)*len(index.Suffixes())]
}

// desiredSettings returns the settings ottwatch needs.
func (o options) desiredSettings(synonyms map[string][]string) *meilisearch.Settings {
	var localized []*meilisearch.LocalizedAttributes
	for _, lang := range ottwatch.Languages {
		if l, ok := locales[lang]; ok {
			localized = append(localized, &meilisearch.LocalizedAttributes{
				AttributePatterns: []string{"*_" + lang}, Locales: []string{l},
			})
		}
	}
	syn := map[string][]string{}
	for k, v := range synonyms {
		syn[k] = slices.Clone(v)
	}
	return &meilisearch.Settings{
		SearchableAttributes: searchableAttributes(),
		DisplayedAttributes:  []string{"*"},
		FilterableAttributes: []string{
			index.FieldLang, index.FieldSource, index.FieldEntities, index.FieldEntityNames, index.FieldEntityTypes,
			fieldCountry, index.FieldTopics, index.FieldPublished, index.FieldCluster, index.FieldFetched,
		},
		SortableAttributes:  []string{index.FieldPublished, fieldPublishedText},
		RankingRules:        slices.Clone(rankingRules),
		Synonyms:            syn,
		LocalizedAttributes: localized,
		TypoTolerance: &meilisearch.TypoTolerance{
			Enabled: true,
			MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{
				OneTypo: int64(o.oneTypo), TwoTypos: int64(o.twoTypos),
			},
			DisableOnWords:      []string{},
			DisableOnAttributes: []string{},
		},
		Faceting: &meilisearch.Faceting{
			MaxValuesPerFacet: maxValuesPerFacet,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount},
		},
		Pagination: &meilisearch.Pagination{MaxTotalHits: MaxOffset + MaxLimit},
	}
}

// settingsDiff returns the names of the settings of cur that differ from
// want, among those ottwatch manages.
func settingsDiff(cur, want *meilisearch.Settings) []string {
	var diff []string
	check := func(name string, same bool) {
		if !same {
			diff = append(diff, name)
		}
	}
	sameSet := func(a, b []string) bool {
		return slices.Equal(slices.Sorted(slices.Values(a)), slices.Sorted(slices.Values(b)))
	}
	check("searchableAttributes", slices.Equal(cur.SearchableAttributes, want.SearchableAttributes))
	check("displayedAttributes", slices.Equal(cur.DisplayedAttributes, want.DisplayedAttributes))
	check("filterableAttributes", sameSet(cur.FilterableAttributes, want.FilterableAttributes))
	check("sortableAttributes", sameSet(cur.SortableAttributes, want.SortableAttributes))
	check("rankingRules", slices.Equal(cur.RankingRules, want.RankingRules))
	check("synonyms", reflect.DeepEqual(normalizeSynonyms(cur.Synonyms), normalizeSynonyms(want.Synonyms)))
	check("localizedAttributes", sameLocalized(cur.LocalizedAttributes, want.LocalizedAttributes))
	ct, wt := cur.TypoTolerance, want.TypoTolerance
	check("typoTolerance", ct != nil && ct.Enabled == wt.Enabled && ct.MinWordSizeForTypos == wt.MinWordSizeForTypos &&
		len(ct.DisableOnWords) == 0 && len(ct.DisableOnAttributes) == 0 && !ct.DisableOnNumbers)
	cf, wf := cur.Faceting, want.Faceting
	check("faceting", cf != nil && cf.MaxValuesPerFacet == wf.MaxValuesPerFacet && maps.Equal(cf.SortFacetValuesBy, wf.SortFacetValuesBy))
	check("pagination", cur.Pagination != nil && *cur.Pagination == *want.Pagination)
	return diff
}

// normalizeSynonyms lowercases synonyms and sorts their values, so that
// a server that normalizes them compares equal.
func normalizeSynonyms(m map[string][]string) map[string][]string {
	out := map[string][]string{}
	for k, vs := range m {
		var n []string
		for _, v := range vs {
			n = append(n, strings.ToLower(v))
		}
		slices.Sort(n)
		out[strings.ToLower(k)] = append(out[strings.ToLower(k)], n...)
	}
	return out
}

func sameLocalized(a, b []*meilisearch.LocalizedAttributes) bool {
	return slices.EqualFunc(a, b, func(x, y *meilisearch.LocalizedAttributes) bool {
		return x != nil && y != nil && slices.Equal(x.AttributePatterns, y.AttributePatterns) && slices.Equal(x.Locales, y.Locales)
	})
}

// ensureSettings reads the settings of the index and updates those that
// differ from what ottwatch needs, waiting for the update.
func (x *Index) ensureSettings(ctx context.Context, synonyms map[string][]string) error {
	want := x.opts.desiredSettings(synonyms)
	cur, err := x.idx.GetSettingsWithContext(ctx)
	if err != nil {
		return fmt.Errorf("get settings: %w", convert(err))
	}
	diff := settingsDiff(cur, want)
	if len(diff) == 0 {
		return nil
	}
	task, err := x.idx.UpdateSettingsWithContext(ctx, want)
	if err != nil {
		return fmt.Errorf("update settings: %w", convert(err))
	}
	if err := x.await(ctx, task.TaskUID); err != nil {
		return fmt.Errorf("update settings: %w", err)
	}
	// The update leaves out an empty synonyms object: clear them apart.
	if len(want.Synonyms) == 0 && len(cur.Synonyms) > 0 {
		task, err := x.idx.ResetSynonymsWithContext(ctx)
		if err != nil {
			return fmt.Errorf("reset synonyms: %w", convert(err))
		}
		if err := x.await(ctx, task.TaskUID); err != nil {
			return fmt.Errorf("reset synonyms: %w", err)
		}
	}
	x.opts.logger.LogAttrs(ctx, slog.LevelInfo, "updated meilisearch settings",
		slog.String("url", x.display), slog.String("index", x.uid), slog.Any("changed", diff))
	return nil
}
