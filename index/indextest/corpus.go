package indextest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
)

// corpusEntities are the entities Corpus articles mention.
var corpusEntities = []ottwatch.Mention{
	{ID: "tim", Name: "TIM", Type: ottwatch.Company},
	{ID: "open-fiber", Name: "Open Fiber", Type: ottwatch.Company},
	{ID: "agcom", Name: "Agcom", Type: ottwatch.Regulator},
	{ID: "arcep", Name: "Arcep", Type: ottwatch.Regulator},
	{ID: "orange", Name: "Orange", Type: ottwatch.Company},
	{ID: "telefonica", Name: "Telefónica", Type: ottwatch.Company},
	{ID: "cnmc", Name: "CNMC", Type: ottwatch.Regulator},
	{ID: "deutsche-telekom", Name: "Deutsche Telekom", Type: ottwatch.Company},
	{ID: "bnetza", Name: "Bundesnetzagentur", Type: ottwatch.Regulator},
	{ID: "netflix", Name: "Netflix", Type: ottwatch.Company},
	{ID: "dazn", Name: "DAZN", Type: ottwatch.Company},
	{ID: "vodafone", Name: "Vodafone", Type: ottwatch.Company},
	{ID: "anacom", Name: "Anacom", Type: ottwatch.Regulator},
	{ID: "meo", Name: "MEO", Type: ottwatch.Company},
}

// corpusText holds, per language, a source and sentences from which Corpus
// builds articles; %s in a sentence is replaced by an entity's name.
var corpusText = map[string]struct {
	source    string
	sentences []string
}{
	"it": {"corrierecomunicazioni.it", []string{
		"Secondo quanto comunicato all’Agcom, il mercato delle telecomunicazioni italiane cambia ancora.",
		"Il progetto di rete unica tra %s e gli altri operatori torna al centro del dibattito.",
		"Le nuove regole sulla portabilità del numero entreranno in vigore a giugno.",
		"%s ha presentato un piano industriale che prevede investimenti nella fibra ottica nelle aree bianche.",
		"I sindacati chiedono garanzie sull'occupazione dopo lo scorporo della rete.",
		"Il governo valuta l'ingresso dello Stato nel capitale della società della rete.",
		"La copertura 5G raggiunge ormai l'ottanta per cento della popolazione, secondo %s.",
		"I ricavi da servizi mobili sono scesi del tre per cento nell'ultimo trimestre.",
		"L'autorità ha avviato un'indagine sulle offerte convergenti fisso-mobile di %s.",
		"Gli utenti lamentano rimodulazioni tariffarie non comunicate con il dovuto preavviso.",
	}},
	"fr": {"lesechos.fr", []string{
		"Selon l’Arcep, les consommateurs français paient encore trop cher leur abonnement.",
		"%s et ses concurrents devront publier des offres plus claires d'ici l'été.",
		"Le déploiement de la fibre optique a dépassé les quarante millions de locaux raccordables.",
		"Le régulateur s'inquiète de la qualité de service sur les réseaux en fibre mutualisés.",
		"%s annonce la fermeture progressive de son réseau cuivre à partir de l'an prochain.",
		"Les opérateurs mobiles réclament une contribution des grandes plateformes de streaming.",
		"Le gouvernement prépare une loi sur la souveraineté numérique et le cloud.",
		"Les abonnés se plaignent des hausses de prix imposées par %s en cours de contrat.",
	}},
	"es": {"expansion.com", []string{
		"La compañía %s ha completado la adquisición de un operador regional.",
		"Los operadores regionales esperan más consolidación en el mercado español.",
		"La CNMC analiza las condiciones de acceso a la red de fibra mayorista.",
		"El despliegue del 5G avanza con retraso en las zonas rurales del país.",
		"%s prevé recortar su plantilla dentro del nuevo plan estratégico.",
		"Los precios de la fibra y el móvil bajaron un cuatro por ciento el año pasado.",
		"El Gobierno estudia ampliar su participación en el capital de %s.",
		"Las plataformas de televisión de pago compiten por los derechos del fútbol.",
	}},
	"de": {"heise.de", []string{
		"Die Bundesnetzagentur verlangt von den Netzbetreibern mehr Transparenz bei den Gebühren.",
		"%s kündigte an, die Vorgaben zum Glasfaserausbau umzusetzen.",
		"Der Ausbau der Mobilfunknetze kommt in ländlichen Regionen nur langsam voran.",
		"Verbraucherschützer kritisieren die Preiserhöhungen von %s scharf.",
		"Die Frequenzauktion für das 5G-Netz soll im kommenden Jahr stattfinden.",
		"Streamingdienste sollen sich an den Kosten der Netze beteiligen, fordern die Betreiber.",
		"Der Bund prüft den Verkauf weiterer Anteile an %s.",
		"Die Kunden beschweren sich über lange Wartezeiten beim Anschluss ans Glasfasernetz.",
	}},
	"en": {"lightreading.com", []string{
		"%s says its streaming business keeps growing faster than expected.",
		"Regulators in Europe want OTT platforms to contribute to network costs.",
		"Telecom operators argue that large traffic generators should pay for the networks they use.",
		"The fair share debate has split the industry and the European Commission.",
		"%s reported higher subscriber numbers but lower average revenue per user.",
		"Analysts expect more consolidation among mobile operators in the coming years.",
		"Fiber rollout targets for the end of the decade look increasingly hard to meet.",
		"The sports streaming rights market is being reshaped by %s and its rivals.",
	}},
	"pt": {"publico.pt", []string{
		"A Anacom abriu um processo de consulta sobre o novo leilão de frequências.",
		"A %s anunciou investimentos na rede de fibra ótica no interior do país.",
		"Os operadores móveis contestam as regras de roaming nacional.",
		"Os preços das telecomunicações subiram acima da inflação no último ano.",
		"A %s lançou um novo tarifário convergente para famílias.",
		"O regulador quer mais transparência nas faturas enviadas aos clientes.",
	}},
}

// corpusLangs are the languages of Corpus, in the order it cycles through.
var corpusLangs = []string{"it", "fr", "es", "de", "en", "pt"}

// Corpus returns n realistic synthetic articles for benchmarks, the same for
// the same n: mixed languages, bodies of 3 to 5 KB in paragraphs, two or
// three entity mentions, a topic, and publication dates over two years.
func Corpus(n int) []*ottwatch.Article {
	g := NewGenerator(n)
	out := make([]*ottwatch.Article, n)
	for i := range out {
		out[i] = g.Next()
	}
	return out
}

// corpusTopics are the topics of Corpus articles.
var corpusTopics = []string{"regulation", "fiber", "mobile", "ott", "m&a", "consumers", "5g"}

// corpusStart is the earliest publication date of Corpus articles.
var corpusStart = time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)

// Generator makes the articles of Corpus(n) one at a time, so that a
// benchmark can write millions of them without holding them.
type Generator struct {
	r *rand.Rand
	i int
}

// NewGenerator returns a generator whose first n articles are Corpus(n).
func NewGenerator(n int) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(uint64(n), 42))}
}

// Next returns the next article.
func (g *Generator) Next() *ottwatch.Article {
	r, i := g.r, g.i
	g.i++
	lang := corpusLangs[i%len(corpusLangs)]
	text := corpusText[lang]
	var mentions []ottwatch.Mention
	for _, k := range r.Perm(len(corpusEntities))[:2+r.IntN(2)] {
		m := corpusEntities[k]
		m.Count = 1 + r.IntN(4)
		mentions = append(mentions, m)
	}
	sentence := func() string {
		s := text.sentences[r.IntN(len(text.sentences))]
		if strings.Contains(s, "%s") {
			s = fmt.Sprintf(s, mentions[r.IntN(len(mentions))].Name)
		}
		return s
	}
	size := 3000 + r.IntN(2000)
	var body strings.Builder
	for body.Len() < size {
		if body.Len() > 0 {
			body.WriteString("\n\n")
		}
		for range 3 + r.IntN(3) {
			body.WriteString(sentence())
			body.WriteByte(' ')
		}
	}
	url := fmt.Sprintf("https://www.%s/news/%d", text.source, i)
	return &ottwatch.Article{
		ID:           ottwatch.ArticleID(url),
		URL:          url,
		CanonicalURL: url,
		Source:       text.source,
		Title:        strings.TrimSuffix(sentence(), "."),
		Description:  sentence(),
		Body:         strings.TrimSpace(body.String()),
		Published:    corpusStart.Add(time.Duration(r.IntN(2*365*24)) * time.Hour),
		Fetched:      corpusStart.Add(2 * 365 * 24 * time.Hour),
		Lang:         lang,
		Entities:     mentions,
		Topics:       []string{corpusTopics[r.IntN(len(corpusTopics))]},
	}
}
