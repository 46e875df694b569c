package nlp

import (
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/pemistahl/lingua-go"
)

const (
	// maxDetectRunes is how much of a text language detection reads: beyond
	// a few paragraphs more text changes nothing but the cost.
	maxDetectRunes = 2000
	// shortText is the length below which detection on its own is
	// unreliable and the page's declared language decides.
	shortText = 120
)

// Detector tells which of a fixed set of languages a text is written in.
// It uses lingua's low-accuracy models, as accurate as the full ones on
// texts of a paragraph or more at a fraction of the memory, and loads the
// full models (about 100 MB for six languages) only for a short text
// whose page declares no language.
type Detector struct {
	langs    []string
	detector lingua.LanguageDetector // nil with a single language
	accurate func() lingua.LanguageDetector
}

// NewDetector returns a detector restricted to langs, ISO 639-1 codes.
func NewDetector(langs []string) (*Detector, error) {
	if len(langs) == 0 {
		return nil, fmt.Errorf("no languages configured")
	}
	d := &Detector{}
	var codes []lingua.IsoCode639_1
	for _, l := range langs {
		l = strings.ToLower(strings.TrimSpace(l))
		code := lingua.GetIsoCode639_1FromValue(l)
		if code == lingua.UnknownIsoCode639_1 {
			return nil, fmt.Errorf("unknown language code %q", l)
		}
		d.langs = append(d.langs, l)
		codes = append(codes, code)
	}
	if len(codes) > 1 {
		d.detector = lingua.NewLanguageDetectorBuilder().
			FromIsoCodes639_1(codes...).
			WithLowAccuracyMode().
			Build()
		d.accurate = sync.OnceValue(func() lingua.LanguageDetector {
			return lingua.NewLanguageDetectorBuilder().FromIsoCodes639_1(codes...).Build()
		})
	}
	return d, nil
}

// Languages returns the languages the detector chooses from.
func (d *Detector) Languages() []string { return d.langs }

// Detect returns the language of text and a confidence between 0 and 1.
// prior is the language the page declares (its <html lang>, any form such
// as "it-IT"), or "": it decides short texts, where statistics say little,
// and tips close calls on longer ones. Detect returns "" when text has no
// letters and there is no usable prior.
func (d *Detector) Detect(text, prior string) (string, float64) {
	prior = baseLang(prior)
	if !d.supports(prior) {
		prior = ""
	}
	text = truncateRunes(strings.TrimSpace(text), maxDetectRunes)
	if d.detector == nil {
		return d.langs[0], 1
	}
	n := utf8.RuneCountInString(text)
	detector := d.detector
	if n < shortText && prior == "" {
		detector = d.accurate()
	}
	values := detector.ComputeLanguageConfidenceValues(text)
	if len(values) == 0 || values[0].Value() == 0 {
		if prior != "" {
			return prior, 0
		}
		return "", 0
	}
	if n < shortText && prior != "" {
		// Too short for statistics to overrule the page: keep its
		// language, with the confidence the text alone gives it.
		for _, v := range values {
			if isoCode(v.Language()) == prior {
				return prior, v.Value()
			}
		}
	}
	// Tip close calls towards the declared language, then renormalise.
	const weight = 1.2
	best, bestScore, total := "", -1.0, 0.0
	for _, v := range values {
		code, score := isoCode(v.Language()), v.Value()
		if code == prior {
			score *= weight
		}
		total += score
		if score > bestScore {
			best, bestScore = code, score
		}
	}
	return best, bestScore / total
}

func isoCode(l lingua.Language) string {
	return strings.ToLower(l.IsoCode639_1().String())
}

func (d *Detector) supports(lang string) bool {
	for _, l := range d.langs {
		if l == lang {
			return true
		}
	}
	return false
}

// baseLang returns the primary language subtag of a BCP 47 tag, in lower
// case: "it-IT" → "it".
func baseLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return tag
}

// truncateRunes cuts s to at most n runes, at a space when there is one
// near the end.
func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for count := 0; count < n; count++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if j := strings.LastIndexByte(s[:i], ' '); j > i-100 && j > 0 {
		i = j
	}
	return s[:i]
}
