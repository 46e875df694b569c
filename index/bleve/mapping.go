package bleve

import (
	"fmt"

	blevesearch "github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/lang/es"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/lang/it"
	"github.com/blevesearch/bleve/v2/analysis/lang/pt"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/ottwatch/ottwatch/index"
)

// Boosts of the fields a text query searches.
const (
	boostTitle       = 3.0
	boostDescription = 1.5
	boostBody        = 1.0
	boostEntityName  = 2.0
)

// nameAnalyzer analyses entity names: words, lowercased and folded, with no
// stop words and no stemming.
const nameAnalyzer = "ottwatch_name"

// langFilters are the token filters of the analyzer of each field suffix.
// They are Bleve's built-in language analyzers ("it", "fr", ... and
// "standard" for the fallback) with foldFilter added before the stemmer, so
// that accented and unaccented spellings stem alike; the elision filters
// handle both the straight and the curly apostrophe.
var langFilters = map[string][]string{
	"it": {lowercase.Name, it.ElisionName, it.StopName, foldFilterName, it.LightStemmerName},
	"fr": {lowercase.Name, fr.ElisionName, fr.StopName, foldFilterName, fr.LightStemmerName},
	"es": {lowercase.Name, es.StopName, es.NormalizeName, foldFilterName, es.LightStemmerName},
	"de": {lowercase.Name, de.StopName, de.NormalizeName, foldFilterName, de.LightStemmerName},
	"en": {en.PossessiveName, lowercase.Name, en.StopName, foldFilterName, porter.Name},
	"pt": {lowercase.Name, pt.StopName, foldFilterName, pt.LightStemmerName},

	index.FallbackLang: {lowercase.Name, en.StopName, foldFilterName},
}

// analyzerName returns the name of the analyzer of a field suffix.
func analyzerName(suffix string) string {
	return "ottwatch_" + suffix
}

// newMapping returns the index mapping of the schema: one document mapping,
// with per-language text fields so that each field has exactly one analyzer.
func newMapping() (*mapping.IndexMappingImpl, error) {
	m := blevesearch.NewIndexMapping()
	addAnalyzer := func(name string, filters []string) error {
		err := m.AddCustomAnalyzer(name, map[string]any{
			"type":          custom.Name,
			"tokenizer":     unicode.Name,
			"token_filters": filters,
		})
		if err != nil {
			return fmt.Errorf("add analyzer %s: %w", name, err)
		}
		return nil
	}
	for _, suffix := range index.Suffixes() {
		if err := addAnalyzer(analyzerName(suffix), langFilters[suffix]); err != nil {
			return nil, err
		}
	}
	if err := addAnalyzer(nameAnalyzer, []string{lowercase.Name, foldFilterName}); err != nil {
		return nil, err
	}

	doc := mapping.NewDocumentStaticMapping()
	for _, suffix := range index.Suffixes() {
		for _, prefix := range index.TextFields {
			doc.AddFieldMappingsAt(index.TextField(prefix, suffix), textField(analyzerName(suffix)))
		}
	}
	doc.AddFieldMappingsAt(index.FieldEntityNames, textField(nameAnalyzer))
	for _, f := range []string{index.FieldID, index.FieldURL} {
		doc.AddFieldMappingsAt(f, keywordField(false))
	}
	for _, f := range []string{index.FieldLang, index.FieldEntities, index.FieldEntityTypes, index.FieldSource, index.FieldTopics} {
		doc.AddFieldMappingsAt(f, keywordField(true))
	}
	doc.AddFieldMappingsAt(index.FieldCluster, keywordField(true)) // doc values: see searchCollapsed
	published := mapping.NewDateTimeFieldMapping()
	published.Store = false
	published.IncludeInAll = false
	published.DocValues = true
	doc.AddFieldMappingsAt(index.FieldPublished, published)
	fetched := mapping.NewDateTimeFieldMapping()
	fetched.Store = false
	fetched.IncludeInAll = false
	doc.AddFieldMappingsAt(index.FieldFetched, fetched)

	stored := mapping.NewTextFieldMapping()
	stored.Index = false
	stored.Store = true
	stored.IncludeInAll = false
	stored.IncludeTermVectors = false
	stored.DocValues = false
	doc.AddFieldMappingsAt(index.FieldArticle, stored)

	m.DefaultMapping = doc
	m.DefaultAnalyzer = analyzerName(index.FallbackLang)
	m.IndexDynamic = false
	m.StoreDynamic = false
	m.DocValuesDynamic = false
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("validate mapping: %w", err)
	}
	return m, nil
}

// textField returns an indexed, unstored text field analysed by analyzer,
// with the term vectors that phrase queries and snippets need.
func textField(analyzer string) *mapping.FieldMapping {
	f := mapping.NewTextFieldMapping()
	f.Analyzer = analyzer
	f.Store = false
	f.IncludeInAll = false
	f.IncludeTermVectors = true
	f.DocValues = false
	return f
}

// keywordField returns an indexed, unstored keyword field, with doc values
// when it is faceted or sorted on.
func keywordField(docValues bool) *mapping.FieldMapping {
	f := mapping.NewKeywordFieldMapping()
	f.Store = false
	f.IncludeInAll = false
	f.IncludeTermVectors = false
	f.DocValues = docValues
	return f
}
