package nlp

import (
	"fmt"
	"math"
	"slices"
	"strings"
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
// It uses lingua's low-accuracy models (letter trigrams, a few megabytes
// for six languages), as accurate as the full ones on texts of a paragraph
// or more, and a word check compiled into the binary (function words, word
// endings and letters of each language, and the gazetteer's topic terms;
// see wordCheck). The word check decides short texts, with the trigrams
// where it is unsure, which tells two-word headlines apart nearly as well
// as lingua's full models (about 100 MB, loaded in a second and a half)
// would; and on a longer text, function words that leave no doubt (and
// agree with the language the page declares) make the statistics
// needless, so their models are not even loaded.
type Detector struct {
	langs    []string
	detector lingua.LanguageDetector // nil with a single language
	words    *wordCheck              // nil when a language has no word lists
}

// NewDetector returns a detector restricted to langs, ISO 639-1 codes.
// vocab, when given, are phrases known to be of each language (see
// Gazetteer.Vocabulary), which the word check of short texts counts.
func NewDetector(langs []string, vocab ...map[string][]string) (*Detector, error) {
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
		all := make(map[string][]string)
		for _, v := range vocab {
			for l, phrases := range v {
				all[l] = append(all[l], phrases...)
			}
		}
		d.words = newWordCheck(d.langs, all)
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
	if utf8.RuneCountInString(text) < shortText {
		return d.detectShort(text, prior)
	}
	if d.words != nil {
		// A language its function words leave no doubt about needs no
		// statistics, unless the page declares another.
		if lang, conf := d.words.dominant(text); lang != "" && (prior == "" || lang == prior) {
			return lang, conf
		}
	}
	values := d.detector.ComputeLanguageConfidenceValues(text)
	if len(values) == 0 || values[0].Value() == 0 {
		if prior != "" {
			return prior, 0
		}
		return "", 0
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

// On a few words lingua's statistics are often all but certain and
// wrong: detectShort gives each language at least statisticsFloor and
// weighs their log-probabilities by statisticsWeight, so that the word
// check can overrule them.
const (
	statisticsFloor  = 0.02
	statisticsWeight = 0.3
)

// statisticsSwing is the most the statistics can move one language's score
// against another's in detectShort.
var statisticsSwing = statisticsWeight * (math.Log(1+statisticsFloor) - math.Log(statisticsFloor))

// detectShort detects the language of a text too short for letter
// statistics alone: the sum of the log-probabilities lingua gives each
// language and of the word check's evidence decides. When the word check
// leads by more than the statistics could move, they are not computed
// (nor their models loaded): the answer would be the same. A text with a
// prior keeps it, with the confidence the text gives it.
func (d *Detector) detectShort(text, prior string) (string, float64) {
	scores := make([]float64, len(d.langs))
	known := false
	if d.words != nil {
		scores = d.words.scores(text)
		known = slices.Max(scores) > 0
	}
	if !known || !decisive(scores, statisticsSwing) {
		if values := d.detector.ComputeLanguageConfidenceValues(text); len(values) > 0 && values[0].Value() > 0 {
			known = true
			for _, v := range values {
				if i := slices.Index(d.langs, isoCode(v.Language())); i >= 0 {
					scores[i] += statisticsWeight * math.Log(v.Value()+statisticsFloor)
				}
			}
		}
	}
	if !known {
		return prior, 0
	}
	conf := softmax(scores)
	if prior != "" {
		return prior, conf[slices.Index(d.langs, prior)]
	}
	best := 0
	for i := range conf {
		if conf[i] > conf[best] {
			best = i
		}
	}
	return d.langs[best], conf[best]
}

// decisive reports whether the highest of scores leads all others by
// more than margin.
func decisive(scores []float64, margin float64) bool {
	first, second := math.Inf(-1), math.Inf(-1)
	for _, s := range scores {
		switch {
		case s > first:
			first, second = s, first
		case s > second:
			second = s
		}
	}
	return first-second > margin
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
