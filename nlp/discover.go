package nlp

import (
	"cmp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// Candidate is an organisation that articles name in telecom context and
// the gazetteer does not know: a possible new entrant.
type Candidate struct {
	Name      string    `json:"name"`
	Mentions  int       `json:"mentions"`
	Articles  int       `json:"articles"`
	FirstSeen time.Time `json:"first_seen"`
	Langs     []string  `json:"langs"`
	// LegalForm is true when some mention carries a legal suffix (S.p.A.,
	// GmbH, SAS, S.L., Ltd…), the surest sign of a company.
	LegalForm bool `json:"legal_form"`
	// ThisWeek and LastWeek count the articles naming it in the seven days
	// up to the newest article and in the seven before: a name that grows.
	ThisWeek int      `json:"this_week"`
	LastWeek int      `json:"last_week"`
	Examples []string `json:"examples"`
	score    float64
}

// DiscoverOptions tune Discover.
type DiscoverOptions struct {
	// MinArticles is how many articles must name a candidate (default 2).
	MinArticles int
	// Examples is how many example sentences a candidate keeps (default 2).
	Examples int
}

// legalSuffixes are the legal forms that end a company's name, folded.
var legalSuffixes = set("spa", "srl", "sa", "sas", "sarl", "sl", "gmbh", "ag", "kg", "se", "ltd", "limited", "plc",
	"llc", "inc", "nv", "bv", "ab", "asa", "oy", "sau")

// telecomWords are the words that make a sentence about telecoms, folded,
// in the languages of ottwatch.
var telecomWords = set(
	"operatore", "operatori", "telecomunicazioni", "rete", "reti", "fibra", "mobile", "telefonia", "frequenze",
	"operateur", "operateurs", "telecoms", "telecommunications", "reseau", "reseaux", "fibre", "frequences", "forfait",
	"operador", "operadores", "telecomunicaciones", "red", "redes", "movil", "frecuencias", "tarifa",
	"netzbetreiber", "betreiber", "anbieter", "mobilfunk", "glasfaser", "netz", "telekommunikation", "frequenzen",
	"operator", "operators", "telecom", "network", "networks", "broadband", "spectrum", "carrier", "carriers",
	"5g", "4g", "ftth", "mvno", "roaming", "towers", "torri", "antenne", "antennes", "satellite", "satellites",
	"wholesale", "subscribers", "abbonati", "abonnes", "clientes", "kunden")

// Discover lists the organisations that articles name in telecom context
// and g does not know: capitalised names followed by a legal suffix
// (S.p.A., GmbH, SAS, S.L., Ltd…), or capitalised names, not first in their
// sentence, in sentences with telecom words, that have a word of
// organisations in them (Mobile, Netz, Towers…) or a determiner before
// them (not in German, which capitalises every noun). A name whose words
// the articles also write in lower case, that the gazetteer knows, or that
// follows a preposition of place ("in Italia") is an ordinary word, a known
// entity or a place and is left out. Candidates come most promising first: a
// legal form, then growth over the last week, then the number of articles.
func (g *Gazetteer) Discover(articles []*ottwatch.Article, opts DiscoverOptions) []Candidate {
	if opts.MinArticles <= 0 {
		opts.MinArticles = 2
	}
	if opts.Examples <= 0 {
		opts.Examples = 2
	}
	var newest time.Time
	for _, a := range articles {
		if t := articleTime(a); t.After(newest) {
			newest = t
		}
	}
	lowercase := make(map[string]bool) // folded words seen in lower case
	for _, a := range articles {
		text := a.Title + "\n" + a.Body
		for _, t := range tokenize(text) {
			if r, _ := utf8.DecodeRuneInString(text[t.start:]); unicode.IsLower(r) {
				lowercase[t.folded] = true
			}
		}
	}
	found := make(map[string]*Candidate)
	seenIn := make(map[string]map[string]bool) // key -> article ids
	places := make(map[string]bool)
	for _, a := range articles {
		text := a.Title + ".\n" + a.Body
		for _, sent := range sentences(text) {
			for _, c := range g.candidatesIn(sent, a.Lang, lowercase) {
				key := joinFolded(tokenize(c.name))
				if c.place {
					places[key] = true
					continue
				}
				cand := found[key]
				if cand == nil {
					cand = &Candidate{Name: c.name}
					found[key] = cand
					seenIn[key] = make(map[string]bool)
				}
				cand.Mentions++
				cand.LegalForm = cand.LegalForm || c.legal
				if !seenIn[key][a.ID] {
					seenIn[key][a.ID] = true
					cand.Articles++
					t := articleTime(a)
					if cand.FirstSeen.IsZero() || !t.IsZero() && t.Before(cand.FirstSeen) {
						cand.FirstSeen = t
					}
					switch age := newest.Sub(t); {
					case t.IsZero():
					case age < 7*24*time.Hour:
						cand.ThisWeek++
					case age < 14*24*time.Hour:
						cand.LastWeek++
					}
					if a.Lang != "" && !slices.Contains(cand.Langs, a.Lang) {
						cand.Langs = append(cand.Langs, a.Lang)
					}
				}
				if len(cand.Examples) < opts.Examples && !slices.Contains(cand.Examples, sent) {
					cand.Examples = append(cand.Examples, sent)
				}
			}
		}
	}
	var out []Candidate
	for key, c := range found {
		if c.Articles < opts.MinArticles || places[key] && !c.LegalForm {
			continue
		}
		if _, known := g.Lookup(c.Name); known {
			continue // a known name where its rules did not take it ("the Amazon")
		}
		slices.Sort(c.Langs)
		c.score = float64(c.Articles) + float64(c.ThisWeek-c.LastWeek)
		if c.LegalForm {
			c.score += 10
		}
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.Mentions, a.Mentions), strings.Compare(a.Name, b.Name))
	})
	return out
}

func articleTime(a *ottwatch.Article) time.Time {
	if !a.Published.IsZero() {
		return a.Published
	}
	return a.Fetched
}

// sentences splits text at sentence ends and line breaks.
func sentences(text string) []string {
	var out []string
	start := 0
	for i, r := range text {
		end := -1
		switch r {
		case '\n':
			end = i
		case '.', '!', '?':
			// "S.p.A." and "Amazon.com" do not end a sentence: only a
			// stop followed by a space and a capital or the end does.
			rest := text[i+1:]
			trimmed := strings.TrimLeft(rest, " ")
			if len(trimmed) < len(rest) || rest == "" {
				if n, _ := utf8.DecodeRuneInString(trimmed); trimmed == "" || unicode.IsUpper(n) {
					end = i + 1
				}
			}
		}
		if end >= 0 {
			if s := strings.TrimSpace(text[start:end]); s != "" {
				out = append(out, s)
			}
			start = end
		}
	}
	if s := strings.TrimSpace(text[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// nameCandidate is a name found in one sentence.
type nameCandidate struct {
	name  string
	legal bool
	place bool // right after a preposition of place: "in Italia", "en France"
}

// connectors may stand inside an organisation's name between capitalised
// words ("Cassa Depositi e Prestiti", "Open Fiber de Italia").
var connectors = set("e", "et", "y", "und", "and", "de", "di", "del", "della", "des", "du", "der", "von", "of")

// determiners come before an organisation's name in running text ("la
// Fibra Nuova", "die Nordlicht Netz") and seldom before a person's.
var determiners = set("il", "lo", "la", "l", "i", "gli", "le", "les", "el", "los", "las", "der", "die", "das",
	"den", "dem", "des", "the", "un", "une", "ein", "eine", "einen", "dell", "della", "del", "al", "alla",
	"du", "au", "aux", "zur", "zum", "beim", "vom")

// placePrepositions come before places: "in Italia", "en France", "nach Berlin".
var placePrepositions = set("in", "a", "en", "nach", "aus", "from", "to", "at", "im", "da", "dalla", "nel", "nella")

// orgWords inside a name mark an organisation ("Nordlicht Netz", "Ondaverde
// Mobile", "Alpen Towers").
var orgWords = set("telecom", "telekom", "telecomunicazioni", "tel", "mobile", "mobil", "movil", "net", "netz",
	"network", "networks", "reseau", "rete", "red", "fibre", "fiber", "fibra", "glasfaser", "towers", "torri",
	"tours", "torres", "sat", "satellite", "wireless", "connect", "communications", "comunicazioni",
	"telecomunicaciones", "group", "gruppo", "groupe", "grupo", "gruppe", "holding", "digital", "broadband",
	"infrastructure", "infrastrutture", "infraestructuras", "tv", "media", "energia")

// candidatesIn returns the unknown capitalised names of one sentence that
// look like organisations: with a legal suffix, or, in a sentence with
// telecom words and not first in it, with a word of organisations in the
// name or a determiner before it.
func (g *Gazetteer) candidatesIn(sent, lang string, lowercase map[string]bool) []nameCandidate {
	toks, hits := g.scan(sent, lang)
	known := make([]bool, len(toks))
	for _, h := range hits {
		if h.a.entity >= 0 {
			for i := h.first; i <= h.last; i++ {
				known[i] = true
			}
		}
	}
	telecom := slices.ContainsFunc(toks, func(t token) bool { return telecomWords[t.folded] })
	capital := func(i int) bool { return isUpperStart(sent[toks[i].start:]) && !known[i] }
	var out []nameCandidate
	for i := 0; i < len(toks); {
		if !capital(i) {
			i++
			continue
		}
		j := i // the name is toks[i..j]
		for j+1 < len(toks) && !legalSuffix(sent, toks[j+1]) &&
			(capital(j+1) || connectors[toks[j+1].folded] && j+2 < len(toks) && capital(j+2) && !legalSuffix(sent, toks[j+2])) {
			if capital(j + 1) {
				j++
			} else {
				j += 2
			}
		}
		legal, end := legalSuffixAfter(sent, toks, j)
		// A capitalised determiner or trade word opening the run is not
		// part of the name: "Der Netzbetreiber Nordlicht Netz".
		for i < j && (determiners[toks[i].folded] || telecomWords[toks[i].folded]) {
			i++
		}
		name := textnorm.OneLine(sent[toks[i].start:toks[j].end])
		words := strings.Fields(joinFolded(toks[i : j+1]))
		var prev string
		if i > 0 {
			prev = toks[i-1].folded
		}
		first := i == 0
		i = end + 1
		switch {
		case !slices.ContainsFunc(words, func(w string) bool { return !orgWords[w] && !telecomWords[w] && !connectors[w] }):
			// only trade words: "Glasfaser", "Mobile Netz"
		case legal:
			out = append(out, nameCandidate{name: name, legal: true})
		case !telecom || first || allOrdinary(words, lowercase):
		case len(words) == 1 && len([]rune(words[0])) < 4:
		case slices.ContainsFunc(words, func(w string) bool { return orgWords[w] }) || determiners[prev] && lang != "de":
			// German capitalises every noun: a determiner says nothing there.
			out = append(out, nameCandidate{name: name, place: placePrepositions[prev]})
		case placePrepositions[prev]:
			out = append(out, nameCandidate{name: name, place: true})
		}
	}
	return out
}

// legalSuffix reports whether token t is a legal form written as one
// capitalised word ("S.p.A.", "GmbH", "SAS").
func legalSuffix(sent string, t token) bool {
	return legalSuffixes[strings.ReplaceAll(t.folded, ".", "")] && isUpperStart(sent[t.start:])
}

// legalSuffixAfter reports whether a legal form follows token j, joined to
// it by nothing but spaces or a comma ("Nordlicht Netz GmbH", "Fibra
// Nuova, S.p.A."), and the index of its token.
func legalSuffixAfter(sent string, toks []token, j int) (bool, int) {
	if j+1 >= len(toks) || !legalSuffix(sent, toks[j+1]) {
		return false, j
	}
	gap := sent[toks[j].end:toks[j+1].start]
	if strings.TrimSpace(strings.Replace(gap, ",", "", 1)) != "" {
		return false, j
	}
	return true, j + 1
}

func isUpperStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// allOrdinary reports whether every word of a name is also written in
// lower case somewhere, or is a connector: a capitalised phrase of
// ordinary words ("Nuove Regole"), not a name.
func allOrdinary(words []string, lowercase map[string]bool) bool {
	for _, w := range words {
		if !lowercase[w] && !connectors[w] {
			return false
		}
	}
	return true
}
