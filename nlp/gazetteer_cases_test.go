package nlp

import (
	"slices"
	"testing"
)

// TestGazetteerCases checks the embedded gazetteer data against realistic
// sentences in the six languages: every entity has at least one positive
// case, and the ambiguous aliases have their traps as negative cases.
func TestGazetteerCases(t *testing.T) {
	g := DefaultGazetteer()
	cases := []struct {
		name string
		lang string
		text string
		want []string // entity ids, any order
	}{
		// Seed articles.
		{"it seed: Amazon asks the Mise", "it",
			"Amazon ha chiesto al Mise l’autorizzazione per operare come operatore di telecomunicazioni: dopo Iliad e Poste Italiane, secondo l’Agcom è il primo colosso del web a farlo.",
			[]string{"agcom", "amazon", "iliad", "mimit", "poste-italiane"}},
		{"it seed: Amazon products, longest alias wins", "it",
			"Il gruppo, che possiede MGM e Prime Video, offre già Amazon Connect alle imprese.",
			[]string{"amazon-connect", "mgm", "prime-video"}},
		{"fr seed: CJEU ruling, qu’Amazon", "fr",
			"La Cour de justice de l’Union européenne a statué qu’Amazon n’est pas tenue de mettre à disposition une ligne téléphonique.",
			[]string{"amazon", "cjeu"}},
		{"fr seed: misspelled court name", "fr",
			"Selon la Cour de Justine de l’Union européenne, la plateforme de Jeff Bezos peut se passer d’un numéro de téléphone.",
			[]string{"cjeu", "jeff-bezos"}},

		// Court of Justice in every language.
		{"fr CJUE, d’Amazon", "fr", "La CJUE a tranché en faveur d’Amazon.", []string{"amazon", "cjeu"}},
		{"it Corte di giustizia dell'Unione europea", "it",
			"La Corte di giustizia dell'Unione europea ha dato ragione ad Amazon.", []string{"amazon", "cjeu"}},
		{"it Corte di giustizia Ue is not the EU", "it",
			"Nuova sentenza della Corte di giustizia Ue: la Commissione europea valuta il ricorso.",
			[]string{"cjeu", "european-commission"}},
		{"es TJUE", "es", "El Tribunal de Justicia de la Unión Europea (TJUE) ha fallado a favor de Amazon.",
			[]string{"amazon", "cjeu"}},
		{"de EuGH", "de", "Der Europäische Gerichtshof hat entschieden: Amazon muss keine Telefonnummer anbieten, so der EuGH.",
			[]string{"amazon", "cjeu"}},
		{"en CJEU", "en", "The CJEU ruled that Amazon does not have to offer a phone line.", []string{"amazon", "cjeu"}},
		{"pt Tribunal de Justiça", "pt", "O Tribunal de Justiça da União Europeia deu razão à Amazon.", []string{"amazon", "cjeu"}},
		{"en General Court", "en", "The EU General Court upheld the fine against Google.", []string{"eu-general-court", "google"}},

		// Elisions, curly and straight apostrophes.
		{"it all’Agcom, dell'Agcom", "it",
			"Il ricorso all’Agcom è stato respinto e la delibera dell'Agcom resta valida, ha detto Giacomo Lasorella.",
			[]string{"agcom", "giacomo-lasorella"}},
		{"fr L’Arcep", "fr", "L’Arcep a mis en demeure SFR et Bouygues Telecom.", []string{"arcep", "bouygues-telecom", "sfr"}},
		{"fr l'Arcep, Conseil d'État", "fr", "Free Mobile et Orange contestent la décision de l'Arcep devant le Conseil d'État.",
			[]string{"arcep", "conseil-etat", "free", "orange"}},

		// Free, Orange, Sky, Wind: brands that are ordinary words.
		{"fr bare Free", "fr", "Le régulateur a autorisé Free à utiliser ces fréquences, a indiqué Xavier Niel.",
			[]string{"free", "xavier-niel"}},
		{"en free of charge", "en", "The service is free of charge for all users.", nil},
		{"en an orange", "en", "She ate an orange before the meeting.", nil},
		{"fr Orange at sentence start", "fr", "Orange a annoncé une hausse de ses tarifs, selon Christel Heydemann.",
			[]string{"christel-heydemann", "orange"}},
		{"en the night sky", "en", "The stars filled the night sky above the stadium.", nil},
		{"en the Night Sky capitalised", "en", "Photographers love the Night Sky over the desert.", nil},
		{"it Sky Italia", "it", "Sky Italia e DAZN si contendono i diritti della Serie A.", []string{"dazn", "sky"}},
		{"en Sky at sentence start", "en", "Sky signed a new carriage deal with Netflix.", []string{"netflix", "sky"}},
		{"en the Sky app", "en", "Customers can watch it via the Sky app on smart TVs.", []string{"sky"}},
		{"de Sky Deutschland", "de", "Sky Deutschland geht an die RTL Group.", []string{"rtl-group", "sky-deutschland"}},
		{"en wind turbines", "en", "The new wind turbines were installed offshore.", nil},
		{"it WindTre", "it", "WindTre e Fastweb hanno firmato un accordo con Open Fiber e FiberCop.",
			[]string{"fastweb", "fibercop", "open-fiber", "windtre"}},
		{"it Wind Tre, Tim", "it", "Wind Tre, Tim e Vodafone Italia hanno contestato la delibera.",
			[]string{"tim", "vodafone-italia", "windtre"}},
		{"it tre is a number", "it", "Ci sono tre operatori infrastrutturati e tre mesi di tempo.", nil},

		// Prime.
		{"it le prime settimane", "it", "Nelle prime settimane le attivazioni sono state poche.", nil},
		{"it Prime at sentence start", "it", "Prime indiscrezioni sul nuovo piano.", nil},
		{"it Prime mid-sentence", "it", "Gli abbonati Prime in Italia crescono.", []string{"amazon-prime"}},
		{"it Prime a 49,90 euro", "it", "L’abbonamento Prime a 49,90 euro l’anno resta invariato.", []string{"amazon-prime"}},
		{"fr Prime à la conversion", "fr", "Le gouvernement supprime la Prime à la conversion.", nil},
		{"en Prime and Prime Video", "en", "Amazon raised the price of Prime in Germany, while Prime Video added ads.",
			[]string{"amazon", "amazon-prime", "prime-video"}},
		// Decision: "Prime Minister" is never Amazon Prime; "Prime Day" is.
		{"en Prime Minister", "en", "The plan was backed by the Prime Minister on Tuesday.", nil},
		{"en Amazon Prime, Prime Day", "en", "Amazon Prime members saw record sales during Prime Day.", []string{"amazon-prime"}},

		// Meta.
		{"it la meta del viaggio", "it", "La meta del viaggio era Roma.", nil},
		{"es Meta and its apps", "es", "Meta, matriz de Facebook, WhatsApp e Instagram, recurrió la multa.",
			[]string{"facebook", "instagram", "meta", "whatsapp"}},
		{"pt a Meta", "pt", "A Meta de Mark Zuckerberg anunciou mudanças.", []string{"mark-zuckerberg", "meta"}},
		{"es Meta cumplida", "es", "Meta cumplida: el operador alcanzó sus objetivos.", nil},

		// Tim the first name.
		{"en Tim Cook", "en", "Tim Cook presented the new iPhone in Cupertino.", []string{"tim-cook"}},
		{"it Tim Cook is not TIM", "it", "Tim Cook ha presentato il nuovo iPhone.", []string{"tim-cook"}},
		{"it Tim Höttges is not TIM", "it",
			"Secondo Tim Höttges, numero uno di Deutsche Telekom, il mercato è troppo frammentato.",
			[]string{"deutsche-telekom", "tim-hottges"}},

		// Germany.
		{"de Drei at sentence start", "de", "Drei Anbieter haben sich um die Frequenzen beworben.", nil},
		{"de 1&1 and the Bundesnetzagentur", "de", "Die Deutsche Telekom und 1&1 streiten vor der Bundesnetzagentur.",
			[]string{"1und1", "bundesnetzagentur", "deutsche-telekom"}},
		{"de bare Telekom", "de", "Das Bundeskartellamt prüft die Übernahme; die Telekom schweigt.",
			[]string{"bundeskartellamt", "deutsche-telekom"}},
		{"de Telekom Austria is A1, not Deutsche Telekom", "de", "Die Telekom Austria heißt heute A1.", []string{"a1-group"}},
		{"de O2", "de", "Vodafone Deutschland und O2 senken die Preise, United Internet nicht.",
			[]string{"telefonica-deutschland", "united-internet", "vodafone-deutschland"}},
		{"en T-Mobile US", "en", "T-Mobile US is controlled by Deutsche Telekom.", []string{"deutsche-telekom", "t-mobile-us"}},
		{"de BMDS", "de", "Das BMDS legt einen Gesetzentwurf vor.", []string{"bmds"}},

		// Spain.
		{"es Telefónica and rivals", "es", "Telefónica, Movistar y MasOrange compiten con Digi y Yoigo.",
			[]string{"digi", "masorange", "movistar", "telefonica", "yoigo"}},
		{"it linea telefonica", "it", "Non serve una linea telefonica dedicata.", nil},
		{"it Telefonica without accent", "it", "Telefonica e TIM discutono di rete unica.", []string{"telefonica", "tim"}},
		{"es CNMC, Vodafone España", "es", "La CNMC multó a Vodafone España, propiedad de Zegona.",
			[]string{"cnmc", "vodafone-espana", "zegona"}},
		{"es ministry", "es",
			"Marc Murtra se reunió con el Ministerio para la Transformación Digital y de la Función Pública para hablar de Cellnex.",
			[]string{"cellnex", "es-ministry-digital", "marc-murtra"}},

		// Amazon the forest.
		{"es Amazonas, Amazonía", "es", "La selva del Amazonas sufre la deforestación, y la Amazonía pierde bosque.", nil},
		{"en Amazon rainforest", "en", "Deforestation in the Amazon rainforest accelerated last year.", nil},
		{"en in the Amazon", "en", "Indigenous tribes living in the Amazon face new threats.", nil},
		{"en Amazon the company, AWS", "en", "Amazon said it would appeal the decision, and AWS will keep its data centres.",
			[]string{"amazon", "aws"}},

		// Poste, La Poste, mise.
		{"fr le poste de directeur", "fr", "Le poste de directeur est vacant.", nil},
		{"fr La Poste is not Poste Italiane", "fr", "La Poste a lancé une offre mobile avec La Poste Mobile.", []string{"la-poste"}},
		{"fr la mise en place", "fr", "La mise en place du réseau prendra deux ans.", nil},
		{"fr Mise at sentence start", "fr", "Mise en service prévue en 2026.", nil},
		{"it Iliad e Poste Italiane contro TIM", "it", "Iliad e Poste Italiane contro TIM", []string{"iliad", "poste-italiane", "tim"}},
		{"it le Poste", "it", "Le Poste hanno lanciato PosteMobile anni fa.", []string{"poste-italiane", "postemobile"}},
		{"it Mimit, former Mise", "it",
			"Il Mimit, l'ex Ministero dello Sviluppo Economico, guidato da Adolfo Urso, ha risposto.",
			[]string{"adolfo-urso", "mimit"}},

		// Italian authorities.
		{"it l'Antitrust", "it", "L'Antitrust ha multato Meta e Apple.", []string{"agcm", "apple", "meta"}},
		{"it Antitrust Ue is not the AGCM", "it", "L'Antitrust Ue indaga; la normativa antitrust europea è severa.",
			[]string{"european-union"}},
		{"it AGCM full name, Garante privacy", "it",
			"L'Autorità Garante della Concorrenza e del Mercato e il Garante privacy hanno aperto istruttorie su TikTok.",
			[]string{"agcm", "garante-privacy", "tiktok"}},
		{"it Tar del Lazio, Consiglio di Stato", "it",
			"Il Tar del Lazio ha respinto il ricorso di Iliad; ora decide il Consiglio di Stato.",
			[]string{"consiglio-di-stato", "iliad", "tar-lazio"}},

		// French authorities.
		{"fr Autorité de la concurrence, Arcom, CNIL", "fr",
			"Selon l'Autorité de la concurrence, l'Arcom et la CNIL, le marché reste ouvert.",
			[]string{"arcom", "autorite-concurrence", "cnil"}},
		{"fr ANFR, DGCCRF, Bercy", "fr", "L'ANFR et la DGCCRF ont saisi Bercy.",
			[]string{"anfr", "dgccrf", "fr-ministry-economy"}},

		// EU institutions and people.
		{"de EU-Kommission, Berec", "de", "Die EU-Kommission hat den Berec um eine Stellungnahme gebeten.",
			[]string{"berec", "european-commission"}},
		{"en Parliament and Council", "en", "The European Parliament and the Council of the EU reached a deal.",
			[]string{"council-eu", "european-parliament"}},
		{"fr L'UE", "fr", "L'UE veut simplifier les règles, selon Henna Virkkunen.", []string{"european-union", "henna-virkkunen"}},
		{"it L’Ue", "it", "L’Ue e Ursula von der Leyen puntano sul 5G.", []string{"european-union", "ursula-von-der-leyen"}},
		{"es EE.UU. is not the UE", "es", "EE.UU. y la UE negocian; Teresa Ribera vigila.", []string{"european-union", "teresa-ribera"}},
		{"en EU", "en", "EU regulators will decide.", []string{"european-union"}},
		{"en BEREC", "en", "BEREC published its opinion on the Digital Networks Act.", []string{"berec"}},
		{"en ITU, UIT", "en", "The ITU allocated new bands; the UIT in Geneva agreed.", []string{"itu"}},

		// Satellites.
		{"en satellite operators", "en",
			"Starlink, owned by SpaceX and Elon Musk, competes with Amazon Leo and Eutelsat OneWeb.",
			[]string{"amazon-leo", "elon-musk", "eutelsat", "oneweb", "spacex", "starlink"}},
		{"fr projet Kuiper d’Amazon", "fr", "Le projet Kuiper d’Amazon vise l’Europe.", []string{"amazon", "amazon-leo"}},
		{"en Kuiper belt", "en", "The Kuiper belt lies beyond Neptune.", nil},

		// Big Tech.
		{"en Alphabet", "en", "Google and YouTube are owned by Alphabet.", []string{"alphabet", "google", "youtube"}},
		{"en the alphabet", "en", "Children learn the alphabet at school; the Greek Alphabet has 24 letters.", nil},
		{"en Apple, Big Apple", "en", "Apple and Microsoft reported earnings; the Big Apple was quiet.", []string{"apple", "microsoft"}},
		{"en Vodafone Group, ByteDance", "en", "The Vodafone Group and ByteDance signed a deal.", []string{"bytedance", "vodafone"}},
		{"fr Jeff Bezos, Andy Jassy", "fr", "Jeff Bezos a quitté la direction ; Bezos reste président et Andy Jassy dirige.",
			[]string{"andy-jassy", "jeff-bezos"}},
		{"en MGM Resorts", "en", "MGM Resorts reported record revenue in Las Vegas.", nil},

		// Media.
		{"fr Canal+", "fr", "Canal+ a signé avec DAZN.", []string{"canal-plus", "dazn"}},
		{"fr canal is a word", "fr", "Le canal de Suez est fermé, et un canal plus large est prévu.", nil},
		{"it Mediaset, Rai, Disney+", "it", "Mediaset e Rai contro Netflix e Disney+.", []string{"disney-plus", "mfe", "netflix", "rai"}},
		{"en Disney, Comcast, Spotify", "en", "Disney and Comcast own streaming services; Spotify does not.",
			[]string{"comcast", "disney", "spotify"}},

		// Equipment vendors, other operators and regulators.
		{"en vendors", "en", "Huawei and ZTE equipment will be replaced by Nokia and Ericsson.",
			[]string{"ericsson", "huawei", "nokia", "zte"}},
		{"fr Niel, Drahi", "fr", "Xavier Niel, fondateur d’Iliad, répond à Patrick Drahi, propriétaire d’Altice France.",
			[]string{"altice-france", "iliad", "patrick-drahi", "xavier-niel"}},
		{"fr groupe Bouygues, Altice, SFR", "fr", "Le groupe Bouygues et Altice discutent du rachat de SFR.",
			[]string{"altice", "bouygues", "sfr"}},
		{"it second brands", "it", "Kena Mobile e Very Mobile hanno alzato i prezzi.", []string{"kena-mobile", "very-mobile"}},
		{"en very mobile", "en", "They hired a very mobile workforce.", nil},
		{"pt NOS, MEO, Anacom", "pt", "A NOS e a MEO, da Altice Portugal, contestaram a Anacom.",
			[]string{"altice-portugal", "anacom", "nos"}},
		{"pt nos is a pronoun", "pt", "Nos próximos meses, a meta é crescer.", nil},
		{"en UK and Belgium", "en", "Ofcom and BT disagree; the BIPT in Belgium and Proximus agree.",
			[]string{"bipt", "bt", "ofcom", "proximus"}},
		{"en Nordic and Swiss operators", "en", "Swisscom, KPN, Telenor and Telia reported results.",
			[]string{"kpn", "swisscom", "telenor", "telia"}},
		{"it CDP, CK Hutchison, Inwit", "it", "Cassa Depositi e Prestiti e CK Hutchison trattano; Inwit osserva.",
			[]string{"cdp", "ck-hutchison", "inwit"}},
		{"it Vivendi, Labriola", "it", "Vivendi ha venduto la quota; Pietro Labriola commenta.", []string{"pietro-labriola", "vivendi"}},
		{"it Cdp, Kkr as papers write them", "it", "Open Fiber, controllata da Cdp, e FiberCop, controllata dal fondo Kkr.",
			[]string{"cdp", "fibercop", "kkr", "open-fiber"}},
		{"es Orange and MásMóvil", "es", "MasOrange nació de la fusión de Orange y MásMóvil.", []string{"masorange", "orange"}},
		{"en Iliad said: a longer alias (Iliad SA) does not hide a whole word", "en",
			"Iliad said its Free brand gained customers in France.", []string{"free", "iliad"}},
		{"it a TIM di is no figure of speech", "it", "L'Agcom ha chiesto a TIM di rivedere le tariffe.",
			[]string{"agcom", "tim"}},
		{"fr Orange a du mal is no figure of speech", "fr", "Orange a du mal à vendre ses offres fibre.",
			[]string{"orange"}},
		{"en Dutch and Belgian operators", "en",
			"VodafoneZiggo, Odido and Orange Belgium cut prices; Ziggo kept its TV bundle.",
			[]string{"odido", "orange-belgium", "vodafoneziggo", "ziggo"}},
		{"es Euskaltel", "es", "Euskaltel amplía su red de fibra en el País Vasco.", []string{"euskaltel"}},
		{"de Salt beside Swisscom and Sunrise", "de", "Neben Swisscom und Sunrise senkt auch Salt die Preise in der Schweiz.",
			[]string{"salt", "sunrise", "swisscom"}},
		{"en salt is a word", "en", "Add salt to the water before the pasta.", nil},
		{"de der Deutschen Telekom", "de", "Ein Sprecher der Deutschen Telekom kritisierte die Pläne.", []string{"deutsche-telekom"}},
	}
	seen := make(map[string]bool)
	for _, tc := range cases {
		if seen[tc.name] {
			t.Fatalf("duplicate case name %q", tc.name)
		}
		seen[tc.name] = true
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, m := range g.Match(tc.text, tc.lang) {
				if slices.Contains(got, m.ID) {
					t.Errorf("Match(%q, %q) reports %q twice", tc.text, tc.lang, m.ID)
					continue
				}
				got = append(got, m.ID)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("Match(%q, %q) = %v, want %v", tc.text, tc.lang, got, want)
			}
		})
	}
}

// TestTopicsCases checks the topic terms of the embedded gazetteer.
func TestTopicsCases(t *testing.T) {
	g := DefaultGazetteer()
	cases := []struct {
		name string
		lang string
		text string
		want []string // topic ids, any order
	}{
		{"it seed: licensing and market entry", "it",
			"Amazon ha ottenuto l’abilitazione: il suo sbarco come nuovo operatore è vicino.",
			[]string{"licensing", "market-entry"}},
		{"it autorizzato", "it", "Il gruppo è stato autorizzato dal ministero.", []string{"licensing"}},
		{"fr seed: ruling, consumers, customer support", "fr",
			"La Cour a statué : la protection des consommateurs n’impose pas un support client par téléphone.",
			[]string{"consumer-protection", "court-rulings", "customer-support"}},
		{"es fine", "es", "La CNMC impuso una multa de 6 millones a Movistar.", []string{"fines-sanctions"}},
		{"de spectrum", "de", "Die Bundesnetzagentur plant die Frequenzauktion für 5G.", []string{"spectrum"}},
		{"en merger", "en", "The merger between the two operators was cleared.", []string{"mergers-acquisitions"}},
		{"pt fibre", "pt", "A fibra ótica chega a mais casas.", []string{"fibre-networks"}},
		{"it TV rights", "it", "DAZN ha comprato i diritti tv della Serie A.", []string{"streaming-rights"}},
		{"fr satellites", "fr", "Eutelsat met en orbite de nouveaux satellites.", []string{"satellite"}},
		{"en fair share", "en", "Telecom operators want big tech to pay a fair share of network costs.", []string{"network-fees"}},
		{"it energy and market entry", "it", "Iliad entra nel mercato dell’energia con offerte luce e gas.",
			[]string{"energy", "market-entry"}},
		{"de prices", "de", "Die Telekom erhöht die Preise.", []string{"pricing-tariffs"}},
		{"es court", "es", "El Tribunal Supremo dictó sentencia contra la operadora.", []string{"court-rulings"}},
		{"en fine and court", "en", "Ofcom fined the operator and the court upheld the penalty.",
			[]string{"court-rulings", "fines-sanctions"}},
		{"en bare fine is a word", "en", "The weather was fine and the team won the game.", nil},
		{"fr a decision is not a ruling, energy costs are not energy retail", "fr",
			"Une hausse justifiée par l’évolution des coûts de l’énergie, une décision prise en septembre.",
			nil},
		{"fr energy market", "fr", "Free entre sur le marché de l’énergie avec une offre d’électricité.", []string{"energy"}},
		{"terms need a known language", "", "autorizzazione e sentenza", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Sorted(slices.Values(g.Topics(tc.text, tc.lang)))
			want := slices.Sorted(slices.Values(tc.want))
			if !slices.Equal(got, want) {
				t.Errorf("Topics(%q, %q) = %v, want %v", tc.text, tc.lang, got, want)
			}
		})
	}
}
