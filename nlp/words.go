package nlp

import (
	"math"
	"math/bits"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// functionWords are, for each language the word check knows, the words
// that carry its grammar rather than the news: articles, prepositions and
// their contractions, conjunctions, pronouns, auxiliaries and the commonest
// adverbs. They are what tells a language in a headline; a word may belong
// to several languages ("la", "de", "a").
var functionWords = map[string]string{
	"it": `il lo la i gli le l un uno una di a da in con su per tra fra del dello della dei degli delle
		dell al allo alla ai agli alle all dal dallo dalla dai dagli dalle dall nel nello nella nei negli
		nelle nell sul sullo sulla sui sugli sulle sull col coi e ed o od ma anche non né che chi cui è sono
		ha hanno era erano sarà saranno stato stata stati state essere avere viene vengono questo questa
		questi queste quello quella quelli quelle più meno molto molti molte poco dopo prima senza sotto
		sopra verso contro ancora già come quando dove perché se si ci ne loro suo sua suoi sue nostro
		ogni tutti tutte tutto oltre circa mentre dunque però quindi oggi ieri domani fino dentro fuori
		tre quattro cinque sei sette otto nove dieci cento mila milioni miliardi`,
	"fr": `le la les l un une des du de d au aux à en dans par pour sur avec sans sous chez vers contre entre
		et ou mais donc ni car que qu qui dont où ne n pas plus moins très est sont a ont été être avoir sera
		seront fait ce c cet cette ces son sa ses leur leurs notre nos votre vos il elle ils elles on se s y
		après avant depuis pendant selon lors tout tous toute toutes aussi encore déjà même comme quand
		aujourd hui hier demain jusqu trois quatre cinq six sept huit neuf dix cent mille millions
		milliards`,
	"es": `el la los las un una unos unas lo de del al a en con por para sin sobre entre hacia desde hasta
		contra y e o u ni pero que quien quienes cuyo donde cuando como más menos muy es son está están ha
		han fue fueron era será serán ser estar este esta estos estas ese esa esos esas su sus nuestro
		nuestra se le les nos tras según durante también ya aún todo todos toda todas cada hoy ayer mañana
		tres cuatro cinco seis siete ocho nueve diez cien mil millones`,
	"de": `der die das den dem des ein eine einen einem einer eines und oder aber doch nicht kein keine
		keinen ist sind war waren wird werden wurde wurden hat haben hatte hatten sein mit von vom zu zum
		zur bei beim im in an am auf aus für über unter nach vor bis durch gegen ohne um seit sich es er
		sie wir ihr ihre ihren sein seine seinen dieser diese dieses diesen auch noch schon nur mehr sehr
		wie als wenn dass weil immer jetzt soll sollen kann können muss müssen will wollen heute gestern
		morgen drei vier fünf sechs sieben acht neun zehn hundert tausend millionen milliarden`,
	"en": `the a an of to in on at by for with from into over under about after before between against
		without and or but nor not no is are was were be been being has have had will would can could
		should may might must do does did this that these those it its they their them we our he his she
		her who whom which what when where while than more most very also just only up out off how why
		today yesterday tomorrow three four five six seven eight nine ten hundred thousand million
		billion`,
	"pt": `o a os as um uma uns umas de do da dos das d em no na nos nas num numa ao aos à às pelo pela
		pelos pelas por para com sem sobre entre até contra desde e ou mas nem que quem cujo onde quando
		como não mais menos muito é são está estão foi foram era será serão ser estar tem têm este esta estes
		estas esse essa isso isto seu sua seus suas se lhe lhes também já ainda todo todos toda todas cada
		após durante hoje ontem amanhã três quatro cinco seis sete oito nove dez cem mil milhões`,
}

// wordEndings are, for each language the word check knows, endings its
// words often have: derivational suffixes, plural, participle and verb
// endings, and the letters its words end with most. Every ending a word
// has counts, the longer the more; an ending several languages share
// counts for each of them.
var wordEndings = map[string]string{
	"it": `zione zioni sione sioni ità mento menti tore tori trice trici ismo ista isti iste aggio aggi
		ali ili ari ori anti enti ante ente anza anze enza enze ezza ezze ivi ive ivo iva osi ose oso osa
		ati ate uti ute iti ite ici iche ichi ico ica ghi ghe ero era iere ello elli etto etti etta ini oni
		gio gia zia zie tti tto tta lli ssi ario orio icio ee gie cie ù ò ì è à i o a`,
	"fr": `tion tions sion sions ment ments eur eurs euse euses ique iques aire aires ité ités ée és ées
		eau eaux aux oir oire oires ance ances ence ences elle elles ette ettes isme iste istes ais aise
		aises ois oise oises ier iers ière ières ent ont ait aient ure ures eux able ables ble bles ôle
		ôles âge ûre çu çue ante ive ives er é x t s`,
	"es": `ción ciones sión siones dad dades tad tades ado ada ados adas ido ida idos idas mente ería
		erías ía ías ión iones ales iles ores ante antes ente entes anza oso osa osos osas ivo iva ivos
		ivas able ables ible ibles eño eña eños eñas ano anos ico ica icos icas ero era eros eras ista
		istas ismo ario arios aria arias orio orios icio icios ón án én ín ún o a s n d z y`,
	"de": `ung ungen heit heiten keit keiten schaft schaften lich liche lichen licher isch ische ischen
		chen iert ierte ierten ieren igt igte tzt ern eln tz sch ß nis tum zeug werk bar voll weise ät ür
		ück ungs heits keits ten tet cht chts gt gen er n t k h g z`,
	"en": `ing ings ness ship ed ly ity ities ies ised ized ising izing ful less ous ers er ght wn ck sh
		th ow ay ey oy ew tch dge ty ry ks tion tions sion sions ment ments ent ance ence able ure ier
		tor tors ator ll ss ft k h d y t n g s`,
	"pt": `ção ções são sões dade dades ado ada ados adas ido ida idos idas ais éis eis óis ões ães ão
		ãos ável áveis ível íveis mente agem agens eiro eira eiros eiras inho inha ência ências ância
		ante antes ente entes ês oso osa osos osas ivo iva ivos ivas ico ica icos icas ismo nho nha lho
		lha ário ários ária ório órios ício ícios em o a s m u`,
}

// wordLetters are, for each language the word check knows, letters and
// letter sequences its spelling has and most of the others' lack, wherever
// they stand in a word: "ñ", "ção", "sch", "th". Each counts once a word.
var wordLetters = map[string]string{
	"it": `zz gli cch uo gn à è ì ò ù`,
	"fr": `eau œ ç gn ct â ê î ô û ë ï è é à ù`,
	"es": `ñ ió rr cue fue pue jue hue bue mue ct á é í ó ú ü`,
	"de": `sch ß ä ö ü tz ck pf ei w k`,
	"en": `th wh sh ck ee oo tch dge ght ct w k y`,
	"pt": `ç ã õ nh lh ão rr ss ei á â ê ô à é í ó ú`,
}

// Weights of the word check, in the units of a log-probability: a
// function word or a word of the vocabulary counts more than an ending,
// which many words of other languages share by chance, and an ending more
// than a letter.
const (
	functionWordWeight = 2.0
	vocabularyWeight   = 2.0
	endingWeight       = 1.0
	letterWeight       = 0.5
)

// wordCheck scores a text for each of a set of languages by its function
// words, word endings and letters, and by the words of a vocabulary. It
// is what decides short texts (a title, two words), where statistics over
// letters say little.
type wordCheck struct {
	langs     []string
	words     map[string]uint64 // function word → bit set of langs
	vocab     map[string]uint64 // word of the vocabulary → bit set of langs
	endings   map[string]uint64 // ending → bit set of langs
	letters   map[string]uint64 // letter sequence → bit set of langs
	maxEnding int               // longest ending, in runes
}

// newWordCheck returns the word check for langs, or nil when one of them
// has no word lists: evidence for some languages and none for others
// would push every text away from the ones without lists. vocab are, by
// language, phrases known to be of it (the gazetteer's topic terms); a
// word that several languages' phrases share counts for each of them.
func newWordCheck(langs []string, vocab map[string][]string) *wordCheck {
	c := &wordCheck{langs: langs, words: make(map[string]uint64), vocab: make(map[string]uint64),
		endings: make(map[string]uint64), letters: make(map[string]uint64)}
	if len(langs) > 64 {
		return nil
	}
	for i, l := range langs {
		words, ok := functionWords[l]
		if !ok {
			return nil
		}
		for _, w := range strings.Fields(words) {
			c.words[w] |= 1 << i
		}
		for _, e := range strings.Fields(wordEndings[l]) {
			c.endings[e] |= 1 << i
			c.maxEnding = max(c.maxEnding, utf8.RuneCountInString(e))
		}
		for _, seq := range strings.Fields(wordLetters[l]) {
			c.letters[seq] |= 1 << i
		}
		for _, phrase := range vocab[l] {
			for _, w := range lowerWords(phrase) {
				c.vocab[w] |= 1 << i
			}
		}
	}
	return c
}

// scores returns, for each language of the check, the evidence text gives
// it: the weighted count of its function words, of the words of its
// vocabulary, of its endings and of its letters in the words of text.
func (c *wordCheck) scores(text string) []float64 {
	scores := make([]float64, len(c.langs))
	for _, w := range lowerWords(text) {
		if set, ok := c.words[w]; ok {
			c.add(scores, set, functionWordWeight)
			continue
		}
		if set, ok := c.vocab[w]; ok {
			c.add(scores, set, vocabularyWeight)
		}
		// Every ending of the word counts, the longer the more.
		n, i := utf8.RuneCountInString(w), len(w)
		for k := 1; k <= min(c.maxEnding, n-2); k++ {
			_, size := utf8.DecodeLastRuneInString(w[:i])
			i -= size
			if set, ok := c.endings[w[i:]]; ok {
				c.add(scores, set, endingWeight*min(float64(k), 3)/3)
			}
		}
		for seq, set := range c.letters {
			if strings.Contains(w, seq) {
				c.add(scores, set, letterWeight)
			}
		}
	}
	return scores
}

// Thresholds of dominant: how many function words of one language a text
// must have, and how many times more than of any other.
const (
	dominantWords = 10
	dominantRatio = 3
)

// dominant returns the language whose function words leave no doubt that
// text, a paragraph or more, is in it: at least dominantWords of the words
// of text are that language's alone, and dominantRatio times more than
// those of any other language. The confidence is the share of its words
// among the function words of one language. It returns "" when no
// language dominates.
func (c *wordCheck) dominant(text string) (string, float64) {
	counts := make([]int, len(c.langs))
	for _, w := range lowerWords(text) {
		// Only the words of one language: "la", "de" or "in" tell
		// little.
		if set := c.words[w]; bits.OnesCount64(set) == 1 {
			counts[bits.TrailingZeros64(set)]++
		}
	}
	top, total := 0, 0
	for i, n := range counts {
		total += n
		if n > counts[top] {
			top = i
		}
	}
	for i, n := range counts {
		if i != top && n*dominantRatio > counts[top] {
			return "", 0
		}
	}
	if counts[top] < dominantWords {
		return "", 0
	}
	return c.langs[top], float64(counts[top]) / float64(total)
}

// lowerWords returns the words of text in lower case, with their accents.
func lowerWords(text string) []string {
	text = norm.NFC.String(text)
	toks := tokenize(text)
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = strings.ToLower(text[t.start:t.end])
	}
	return out
}

func (c *wordCheck) add(scores []float64, set uint64, weight float64) {
	for i := range scores {
		if set&(1<<i) != 0 {
			scores[i] += weight
		}
	}
}

// softmax turns log-scores into probabilities that add up to 1.
func softmax(scores []float64) []float64 {
	top := math.Inf(-1)
	for _, s := range scores {
		top = max(top, s)
	}
	out := make([]float64, len(scores))
	var sum float64
	for i, s := range scores {
		out[i] = math.Exp(s - top)
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
