// Package nlp enriches articles: it detects their language and tags the
// entities and topics they mention, from an embedded gazetteer.
package nlp

import (
	"strings"

	"github.com/ottwatch/ottwatch"
)

// Enricher detects the language of articles and tags their entities and
// topics. It is safe for concurrent use.
type Enricher struct {
	langs     []string
	gazetteer *Gazetteer
	detector  *Detector
}

// Option configures an Enricher.
type Option func(*Enricher)

// WithLanguages restricts language detection to langs (ISO 639-1 codes).
func WithLanguages(langs ...string) Option {
	return func(e *Enricher) { e.langs = langs }
}

// WithGazetteer replaces the embedded gazetteer.
func WithGazetteer(g *Gazetteer) Option {
	return func(e *Enricher) { e.gazetteer = g }
}

// New returns an Enricher with the default languages and the embedded
// gazetteer unless options say otherwise.
func New(opts ...Option) (*Enricher, error) {
	e := &Enricher{langs: ottwatch.Languages}
	for _, opt := range opts {
		opt(e)
	}
	if e.gazetteer == nil {
		g, err := defaultGazetteer()
		if err != nil {
			return nil, err
		}
		e.gazetteer = g
	}
	d, err := NewDetector(e.langs, e.gazetteer.Vocabulary())
	if err != nil {
		return nil, err
	}
	e.detector = d
	return e, nil
}

// Gazetteer returns the gazetteer the Enricher tags with.
func (e *Enricher) Gazetteer() *Gazetteer { return e.gazetteer }

// Detector returns the Enricher's language detector.
func (e *Enricher) Detector() *Detector { return e.detector }

// Enrich sets the language, entities and topics of a from its title and
// body (its description when it has no body, since descriptions usually
// repeat the lead), using its HTMLLang as a prior for the language.
func (e *Enricher) Enrich(a *ottwatch.Article) {
	body := a.Body
	if strings.TrimSpace(body) == "" {
		body = a.Description
	}
	text := joinNonEmpty(a.Title, body)
	a.Lang, a.LangConfidence = e.detector.Detect(text, a.HTMLLang)
	a.Entities, a.Topics = e.gazetteer.Tag(text, a.Lang)
}

// joinNonEmpty joins the non-empty parts as paragraphs.
func joinNonEmpty(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, "\n\n")
}
