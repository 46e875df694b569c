package bleve

import (
	"fmt"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// foldFilterName is the name under which foldFilter is registered with
// Bleve, and by which the analyzers of the mapping refer to it.
const foldFilterName = "ottwatch_asciifold"

// registerErr is the error, if any, of registering foldFilter; Open reports
// it rather than the package panicking at init.
var registerErr error

func init() {
	err := registry.RegisterTokenFilter(foldFilterName,
		func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return foldFilter{}, nil
		})
	if err != nil {
		registerErr = fmt.Errorf("register token filter %s: %w", foldFilterName, err)
	}
}

// foldFilter folds each token as textnorm.Fold does ("telefónica" to
// "telefonica", "straße" to "strasse"), so that a query typed without
// accents finds text written with them, and the index folds as the rest
// of ottwatch. Unlike Bleve's asciifolding char filter, it works on
// tokens, so the byte offsets that highlighting relies on still point into
// the original text.
type foldFilter struct{}

// Filter folds the terms of input in place.
func (f foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		if !isASCII(tok.Term) {
			tok.Term = []byte(textnorm.Fold(string(tok.Term)))
		}
	}
	return input
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
