// Package crawltest serves generated news sites of any size for crawl
// tests and benchmarks.
package crawltest

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// PerSection is how many articles a section page of a Site lists.
const PerSection = 50

// Site is a generated news site of N article pages of 50 to 90 KB, as on
// real news sites mostly navigation, scripts, related links and comments
// around an article of a few paragraphs, in Italian, French or English.
// The home page links to the sections, each section lists PerSection
// articles, and every article links to the home page, to sections and to
// related articles. Pages are generated on request, so a site of 100,000
// pages costs no memory.
type Site struct {
	N int
}

// Article returns article page i of the site, which is at URL /a/i.
func (s *Site) Article(i int) []byte {
	var b bytes.Buffer
	b.Grow(96 << 10)
	s.writeArticle(&b, i)
	return b.Bytes()
}

// Sections returns how many section pages the site has.
func (s *Site) Sections() int { return (s.N + PerSection - 1) / PerSection }

// ServeHTTP serves the home page at /, section k at /s/k and article i at
// /a/i, all as UTF-8 HTML.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	path := r.URL.Path
	var b bytes.Buffer
	switch {
	case path == "/":
		b.WriteString(`<!DOCTYPE html><html lang="it"><head><title>Bench News</title><meta property="og:type" content="website"></head><body><ul>`)
		for k := range s.Sections() {
			fmt.Fprintf(&b, `<li><a href="/s/%d">Sezione %d</a></li>`, k, k)
		}
		b.WriteString(`</ul></body></html>`)
	case strings.HasPrefix(path, "/s/"):
		k, err := strconv.Atoi(strings.TrimPrefix(path, "/s/"))
		if err != nil || k < 0 || k >= s.Sections() {
			http.NotFound(w, r)
			return
		}
		b.WriteString(`<!DOCTYPE html><html lang="it"><head><title>Sezione</title><meta property="og:type" content="website"></head><body><ul>`)
		for i := k * PerSection; i < min((k+1)*PerSection, s.N); i++ {
			fmt.Fprintf(&b, `<li><article class="teaser"><a href="/a/%d">Notizia %d</a></article></li>`, i, i)
		}
		b.WriteString(`</ul></body></html>`)
	case strings.HasPrefix(path, "/a/"):
		i, err := strconv.Atoi(strings.TrimPrefix(path, "/a/"))
		if err != nil || i < 0 || i >= s.N {
			http.NotFound(w, r)
			return
		}
		b.Grow(96 << 10)
		s.writeArticle(&b, i)
	default:
		http.NotFound(w, r)
		return
	}
	w.Write(b.Bytes())
}

// language is the text of a generated article in one language: a title
// and a lead naming two companies and a number, paragraphs on several
// subjects (each with two companies and a number), the heading of the
// related links and a reader's comment.
type language struct {
	code, title, lead string
	paragraphs        []string
	related, comment  string
}

var languages = []language{
	{"it", "%s e %s: la notizia %d sul mercato delle telecomunicazioni",
		"Nuovo capitolo per %s e %s nel mercato italiano, con un dossier che conta %d pagine.",
		[]string{
			"L’Agcom ha avviato un’istruttoria sulle offerte di %s e %s dopo %d segnalazioni dei consumatori, che lamentano rincari non comunicati.",
			"%s ha chiuso il trimestre con ricavi in crescita, mentre %s ha perso %d mila clienti nella telefonia mobile.",
			"Il ministero ha assegnato le frequenze a %s e %s per %d milioni di euro, al termine di un’asta durata tre settimane.",
			"L’Antitrust ha inflitto a %s e %s una multa da %d milioni di euro per pratiche commerciali scorrette sulla fibra.",
			"%s e %s hanno firmato un accordo di condivisione della rete che coprirà %d comuni entro la fine del prossimo anno.",
			"Secondo gli analisti, l’ingresso di %s spingerà %s a ridurre le tariffe del %d per cento già nei prossimi mesi.",
		},
		"Leggi anche", "Ottimo articolo, ma le tariffe continuano a salire e il servizio clienti non risponde mai quando serve davvero."},
	{"fr", "%s et %s : l’actualité %d du marché des télécoms",
		"Nouveau chapitre pour %s et %s sur le marché français, avec un dossier de %d pages.",
		[]string{
			"L’Arcep a ouvert une enquête sur les offres de %s et de %s après %d plaintes d’abonnés, qui dénoncent des hausses de prix non annoncées.",
			"%s a terminé le trimestre avec un chiffre d’affaires en hausse, tandis que %s a perdu %d mille clients dans le mobile.",
			"Le gouvernement a attribué des fréquences à %s et à %s pour %d millions d’euros, au terme d’enchères de trois semaines.",
			"L’Autorité de la concurrence a infligé à %s et à %s une amende de %d millions d’euros pour des pratiques commerciales trompeuses.",
			"%s et %s ont signé un accord de partage de réseau qui couvrira %d communes d’ici la fin de l’année prochaine.",
			"Selon les analystes, l’arrivée de %s poussera %s à baisser ses prix de %d pour cent dans les prochains mois.",
		},
		"À lire aussi", "Article intéressant, mais les prix augmentent encore et le service client ne répond jamais quand on en a besoin."},
	{"en", "%s and %s: story %d on the telecom market",
		"A new chapter for %s and %s in the British market, with a file of %d pages.",
		[]string{
			"Ofcom has opened an investigation into the offers of %s and %s after %d complaints from customers about price rises that were never announced.",
			"%s closed the quarter with growing revenue, while %s lost %d thousand mobile customers.",
			"The government awarded spectrum to %s and %s for %d million pounds at the end of an auction that lasted three weeks.",
			"The competition authority fined %s and %s %d million pounds for misleading commercial practices on fibre.",
			"%s and %s signed a network sharing agreement that will cover %d towns by the end of next year.",
			"According to analysts, the arrival of %s will push %s to cut prices by %d per cent in the coming months.",
		},
		"Read more", "Great article, but prices keep going up and customer service never answers when you really need it."},
}

// companies are the companies the generated articles are about.
var companies = []string{
	"Amazon", "Iliad", "TIM", "Fastweb", "WindTre", "Poste Italiane", "Open Fiber", "Netflix",
	"Orange", "Bouygues Telecom", "SFR", "Free", "Eutelsat", "Google", "Apple", "Vodafone",
	"Starlink", "Spotify", "DAZN", "Canal+", "Sky Group", "Microsoft", "TikTok", "Meta Platforms",
}

// about returns the two companies article i is about.
func about(i int) (string, string) {
	n := len(companies)
	a := i % n
	return companies[a], companies[(a+1+(i/n)%(n-1))%n]
}

// script is the analytics code at the top of every article page.
var script = strings.Repeat("window.dataLayer=window.dataLayer||[];dataLayer.push({event:'pageview',section:'telecomunicazioni'});", 100)

// published is when article i was published: articles follow each other
// every three hours, so that each one's news has few others in its week.
func published(i int) time.Time {
	return time.Date(2020, 1, 1, 8, 0, 0, 0, time.UTC).Add(time.Duration(i) * 3 * time.Hour)
}

func (s *Site) writeArticle(b *bytes.Buffer, i int) {
	l := languages[i%len(languages)]
	c1, c2 := about(i)
	title := fmt.Sprintf(l.title, c1, c2, i)
	lead := fmt.Sprintf(l.lead, c1, c2, 10+i%90)
	fmt.Fprintf(b, `<!DOCTYPE html><html lang="%s"><head><meta charset="utf-8"><title>%s · Bench News</title>
<link rel="canonical" href="/a/%d"><meta property="og:type" content="article"><meta property="og:title" content="%s">
<meta name="description" content="%s"><meta property="og:site_name" content="Bench News">
<meta property="article:published_time" content="%s"><script>%s</script></head><body><header><nav><ul><li><a href="/">Home</a></li>`,
		l.code, title, i, title, lead, published(i).Format(time.RFC3339), script)
	sections := max(s.Sections(), 1)
	for j := range 100 {
		fmt.Fprintf(b, `<li class="menu-item"><a href="/s/%d">Sezione %d: mercati, regolazione e OTT</a></li>`, (i/PerSection+j)%sections, j)
	}
	fmt.Fprintf(b, `</ul></nav></header><div id="cookie-banner" class="cookie-consent">Usiamo i cookie per migliorare la tua esperienza. Accetta tutti</div><main><article><h1>%s</h1><p class="lead">%s</p>`, title, lead)
	for p := range 6 + i%6 {
		x, y := c1, c2
		if p%2 == 1 {
			x, y = c2, c1
		}
		fmt.Fprintf(b, "<p>"+l.paragraphs[(i/7+p)%len(l.paragraphs)]+"</p>", x, y, 3+(i*31+p*17)%97)
	}
	fmt.Fprintf(b, `</article><aside class="related"><h3>%s</h3><ul>`, l.related)
	for j := 1; j <= 6; j++ {
		r := (i + j*7919) % s.N
		r1, r2 := about(r)
		fmt.Fprintf(b, `<li><a href="/a/%d">%s</a></li>`, r, fmt.Sprintf(languages[r%len(languages)].title, r1, r2, r))
	}
	b.WriteString(`</ul></aside><section id="comments" class="comments">`)
	for size := 50_000 + (i*7919)%40_000; b.Len() < size; {
		fmt.Fprintf(b, `<div class="comment"><p class="author">Reader</p><p>%s</p></div>`, l.comment)
	}
	b.WriteString(`</section></main><footer>© 2026 Bench News · Privacy · Cookie</footer></body></html>`)
}
