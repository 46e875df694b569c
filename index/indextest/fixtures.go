package indextest

import (
	"time"

	"github.com/ottwatch/ottwatch"
)

// The names of the fixtures, in the order Fixtures returns them.
const (
	It1 = "it1" // Italian: Agcom (curly apostrophe), telecomunicazioni, "rete unica"
	It2 = "it2" // Italian: Open Fiber, dell'Agcom (straight apostrophe)
	Fr1 = "fr1" // French: l’Arcep, consommateurs
	Es1 = "es1" // Spanish: Telefónica, operadores
	De1 = "de1" // German: Netzbetreibern, entity Deutsche Telekom
	En1 = "en1" // English, undated: Netflix, streaming in the title, regulators
	En2 = "en2" // English: streaming in the body only, no entities
	Xx1 = "xx1" // no language: Vodafone
)

// names are the fixture names, in order.
var names = []string{It1, It2, Fr1, Es1, De1, En1, En2, Xx1}

var cet = time.FixedZone("CET", 3600)

// Fixtures returns the suite's small synthetic articles, a fresh copy each
// call, keyed by name. Their ids are ottwatch.ArticleID of their canonical
// URLs.
func Fixtures() map[string]*ottwatch.Article {
	fx := map[string]*ottwatch.Article{
		It1: {
			URL:            "https://www.corrierecomunicazioni.it/telco/agcom-regole/?utm_source=rss",
			CanonicalURL:   "https://www.corrierecomunicazioni.it/telco/agcom-regole/",
			Source:         "corrierecomunicazioni.it",
			SiteName:       "CorCom",
			Title:          "Agcom, nuove regole sulle telecomunicazioni",
			Description:    "L'autorità interviene sul mercato delle reti fisse.",
			Image:          "https://www.corrierecomunicazioni.it/img/agcom-sede.jpg",
			Country:        "IT",
			Body:           "Secondo quanto comunicato all’Agcom, il mercato delle telecomunicazioni italiane cambia ancora.\n\nIl progetto di rete unica tra TIM e gli altri operatori torna al centro del dibattito. Le nuove regole entreranno in vigore a giugno.",
			Authors:        []string{"Mario Rossi", "Giulia Bianchi"},
			Published:      time.Date(2024, 3, 10, 10, 0, 0, 0, cet),
			Fetched:        time.Date(2024, 3, 10, 9, 30, 15, 123456789, time.UTC),
			HTMLLang:       "it-IT",
			Lang:           "it",
			LangConfidence: 0.98,
			Entities: []ottwatch.Mention{
				{ID: "agcom", Name: "Agcom", Type: ottwatch.Regulator, Count: 2, Surfaces: []string{"Agcom", "all’Agcom"}},
				{ID: "tim", Name: "TIM", Type: ottwatch.Company, Count: 1, Surfaces: []string{"TIM"}},
			},
			Topics: []string{"regulation"},
		},
		It2: {
			URL:          "https://www.key4biz.it/open-fiber-fibra/",
			CanonicalURL: "https://www.key4biz.it/open-fiber-fibra/",
			Source:       "key4biz.it",
			Title:        "Open Fiber accelera sulla fibra",
			Description:  "Il piano di copertura nelle aree bianche.",
			Body:         "Secondo il parere dell'Agcom, la rete in fibra di Open Fiber non è ancora unica nelle aree interne. TIM ha commentato il piano.",
			Published:    time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC),
			Lang:         "it",
			Entities: []ottwatch.Mention{
				{ID: "open-fiber", Name: "Open Fiber", Type: ottwatch.Company, Count: 2},
				{ID: "tim", Name: "TIM", Type: ottwatch.Company, Count: 1},
			},
			Topics: []string{"fiber"},
		},
		Fr1: {
			URL:          "https://www.lesechos.fr/tech-medias/arcep-consommateurs",
			CanonicalURL: "https://www.lesechos.fr/tech-medias/arcep-consommateurs",
			Source:       "lesechos.fr",
			Title:        "L’Arcep veut mieux protéger les abonnés",
			Description:  "Le régulateur publie un nouveau rapport.",
			Body:         "Selon l’Arcep, les consommateurs français paient encore trop cher leur abonnement. Orange et Free devront publier des offres plus claires d'ici l'été.",
			Published:    time.Date(2024, 2, 1, 12, 0, 0, 0, time.UTC),
			Lang:         "fr",
			Entities: []ottwatch.Mention{
				{ID: "arcep", Name: "Arcep", Type: ottwatch.Regulator, Count: 2},
				{ID: "orange", Name: "Orange", Type: ottwatch.Company, Count: 1},
			},
			Topics: []string{"regulation", "consumers"},
		},
		Es1: {
			URL:          "https://www.expansion.com/empresas/telefonica-compra.html",
			CanonicalURL: "https://www.expansion.com/empresas/telefonica-compra.html",
			Source:       "expansion.com",
			Title:        "Telefónica cierra una compra en Brasil",
			Body:         "La compañía Telefónica ha completado la adquisición. Los operadores regionales esperan más consolidación en el mercado español.",
			Published:    time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC),
			Lang:         "es",
			Entities: []ottwatch.Mention{
				{ID: "telefonica", Name: "Telefónica", Type: ottwatch.Company, Count: 2},
			},
			Topics: []string{"m&a"},
		},
		De1: {
			URL:          "https://www.heise.de/news/bnetza-netzentgelte.html",
			CanonicalURL: "https://www.heise.de/news/bnetza-netzentgelte.html",
			Source:       "heise.de",
			Title:        "Bundesnetzagentur prüft Netzentgelte",
			Body:         "Die Bundesnetzagentur verlangt von den Netzbetreibern mehr Transparenz bei den Gebühren. Die Telekom kündigte an, die Vorgaben umzusetzen.",
			Published:    time.Date(2024, 1, 20, 8, 30, 0, 0, time.UTC),
			Lang:         "de",
			Entities: []ottwatch.Mention{
				{ID: "bnetza", Name: "Bundesnetzagentur", Type: ottwatch.Regulator, Count: 1},
				{ID: "deutsche-telekom", Name: "Deutsche Telekom", Type: ottwatch.Company, Count: 1, Surfaces: []string{"Telekom"}},
			},
			Topics: []string{"regulation"},
		},
		En1: {
			URL:          "https://www.lightreading.com/netflix-streaming",
			CanonicalURL: "https://www.lightreading.com/netflix-streaming",
			Source:       "lightreading.com",
			Title:        "Netflix streaming growth worries regulators",
			Description:  "European regulators look at OTT traffic.",
			Body:         "Netflix says its streaming business keeps growing. Regulators in Europe want OTT platforms to contribute to network costs.",
			Lang:         "en",
			Entities: []ottwatch.Mention{
				{ID: "netflix", Name: "Netflix", Type: ottwatch.Company, Count: 2},
			},
			Topics: []string{"ott"},
		},
		En2: {
			URL:          "https://www.lightreading.com/fair-share",
			CanonicalURL: "https://www.lightreading.com/fair-share",
			Source:       "lightreading.com",
			Title:        "Fair share debate heats up",
			Body:         "Telecom operators argue that large traffic generators should pay for the networks they use. Video streaming accounts for most of that traffic.",
			Published:    time.Date(2024, 2, 20, 0, 0, 0, 0, time.UTC),
			Lang:         "en",
		},
		Xx1: {
			URL:          "https://www.vodafone.com/news/annual-report",
			CanonicalURL: "https://www.vodafone.com/news/annual-report",
			Source:       "vodafone.com",
			Title:        "Vodafone annual report",
			Body:         "Vodafone published its annual report.",
			Published:    time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
		},
	}
	for _, a := range fx {
		a.ID = ottwatch.ArticleID(a.CanonicalURL)
	}
	return fx
}

// all returns the fixtures as a slice in the order of names, with a map
// from id back to name for readable failures.
func all() ([]*ottwatch.Article, map[string]string) {
	fx := Fixtures()
	list := make([]*ottwatch.Article, len(names))
	byID := make(map[string]string, len(names))
	for i, n := range names {
		list[i] = fx[n]
		byID[fx[n].ID] = n
	}
	return list, byID
}
