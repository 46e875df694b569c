package crawler

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch/crawler/fingerprint"
)

// story is an agency dispatch as the wire sends it, one paragraph each.
var story = []string{
	"Iliad ha firmato con FiberCop un accordo pluriennale per l’accesso alla rete in fibra ottica che porterà le offerte fisse dell’operatore in altri tre milioni di abitazioni entro la fine del 2027. L’intesa, annunciata oggi a Milano, riguarda sia le connessioni FTTH sia i collegamenti di backhauling verso le stazioni radio base della rete mobile.",
	"Secondo quanto comunicato dalle due società, il contratto ha una durata di dieci anni e prevede un meccanismo di prezzi decrescenti legato ai volumi: più linee Iliad attiverà sulla rete di FiberCop, minore sarà il canone unitario pagato per ciascun accesso. Il valore complessivo dell’operazione non è stato reso noto, ma fonti finanziarie lo stimano in circa 400 milioni di euro nell’arco del decennio.",
	"Per Iliad, che in Italia conta oltre undici milioni di clienti mobili ma poco più di trecentomila linee fisse, l’accordo è un passo decisivo per recuperare terreno nella banda ultralarga, dove i principali concorrenti dispongono da anni di offerte convergenti. Il management del gruppo ha parlato di una scelta che consentirà di proporre la fibra allo stesso prezzo in tutto il Paese, senza distinzioni tra grandi città e piccoli comuni.",
	"FiberCop, la società della rete nata dallo scorporo dell’infrastruttura di TIM, ottiene a sua volta un cliente all’ingrosso di peso, che contribuirà a saturare la capacità costruita negli ultimi anni nelle aree grigie e nere. L’azienda ha ribadito che l’offerta è aperta a condizioni non discriminatorie e che proposte analoghe sono state presentate agli altri operatori alternativi.",
	"L’intesa dovrà ora essere notificata all’Agcom, che vigila sugli obblighi di accesso alla rete fissa, mentre non sarà necessario il via libera dell’Antitrust. Le prime attivazioni commerciali sono previste a febbraio, a partire da Torino, Bologna e Napoli.",
}

// otherStories are different stories about the same company, Iliad.
var otherStories = map[string]string{
	"quarterly results": "Iliad chiude il terzo trimestre del 2026 con ricavi in crescita del sei per cento in Italia, a 312 milioni di euro, spinti soprattutto dalla telefonia mobile. Nel periodo l’operatore ha conquistato 180 mila nuovi clienti mobili netti, portando il totale a oltre undici milioni, mentre le linee fisse in fibra sono salite a 310 mila.\n\nNel commento ai conti il gruppo ha indicato nella convergenza fisso-mobile la priorità dei prossimi due anni, citando l’accordo con FiberCop annunciato nei giorni scorsi come lo strumento per ampliare la copertura in fibra ottica. Sul fronte dei prezzi, Iliad ha confermato che non applicherà rimodulazioni ai clienti esistenti.",
	"5G standalone":     "Iliad porta il 5G standalone a tutti i suoi clienti in Italia: da lunedì la nuova architettura di rete, che non si appoggia più al nucleo 4G, è attiva senza costi aggiuntivi su tutte le offerte mobili dell’operatore. Lo ha annunciato la società, precisando che la copertura interessa già il settanta per cento della popolazione.\n\nIliad è il primo operatore in Italia a renderlo disponibile a tutta la clientela consumer, dopo una sperimentazione durata un anno a Milano e Roma. Secondo l’Agcom, a fine giugno i clienti con uno smartphone compatibile con il 5G erano circa venti milioni.",
	"fine":              "L’Agcom ha sanzionato Iliad per 1,2 milioni di euro per aver attivato servizi a pagamento non richiesti su circa quarantamila linee mobili tra il 2024 e il 2025. Secondo l’Autorità, l’operatore non ha chiesto il consenso esplicito dei clienti prima di abilitare alcuni servizi in abbonamento di terze parti.\n\nIliad ha annunciato ricorso al Tar del Lazio, sostenendo che i servizi erano stati disattivati d’ufficio non appena emerse le prime segnalazioni e che tutti i clienti coinvolti sono già stati rimborsati.",
}

func text(paragraphs ...string) string { return strings.Join(paragraphs, "\n\n") }

// variants are copies of story as outlets publish it, each with the
// Hamming distance measured from the wire text (maxBits): light edits 0 to
// 6 bits, heavier ones 12 to 15.
var variants = []struct {
	name    string
	body    string
	maxBits int
}{
	{"identical", text(story...), 0},
	{"headline kept in the body", text(append([]string{"Iliad, accordo decennale con FiberCop: la fibra arriva in altri tre milioni di case"}, story...)...), 6},
	{"agency credit line", text(append([]string{"(ATP) – Milano, 12 novembre 2026 – " + story[0]}, story[1:]...)...) + "\n\nFonte: ATP – Agenzia Telecom Press", 6},
	{"different intro sentence", text(append([]string{"Nuovo capitolo nella corsa alla fibra: Iliad ha siglato con FiberCop un’intesa di lungo periodo per usare la rete in fibra ottica e raggiungere altri tre milioni di case entro la fine del 2027. " + strings.SplitN(story[0], ". ", 2)[1]}, story[1:]...)...), 12},
	{"reordered last paragraph", text(append(slices.Clone(story[:4]), "Le prime attivazioni commerciali sono previste a febbraio, a partire da Torino, Bologna e Napoli. L’intesa dovrà ora essere notificata all’Agcom, che vigila sugli obblighi di accesso alla rete fissa, mentre non sarà necessario il via libera dell’Antitrust.")...), 6},
	{"paragraphs swapped", text(story[0], story[2], story[1], story[3], story[4]), 6},
	{"added commentary", text(append(slices.Clone(story), "Il nostro commento. L’operazione conferma che la rete unica, di cui si discute da anni, sta prendendo forma per via contrattuale più che per decreto. Per i consumatori è una buona notizia: un concorrente aggressivo sui prezzi come Iliad nel fisso può spingere al ribasso le tariffe della fibra, oggi tra le più alte d’Europa in rapporto alla velocità.")...), 15},
	{"last paragraph cut", text(story[:4]...), 12},
	{"lowercased, no accents", strings.NewReplacer("à", "a", "è", "e", "é", "e", "ù", "u", "ò", "o", "’", "'").Replace(strings.ToLower(text(story...))), 0},
}

// TestFingerprintNearDuplicates checks, and logs with -v, the distances
// of the copies and of the other stories from the wire text.
func TestFingerprintNearDuplicates(t *testing.T) {
	wire := text(story...)
	fp, shingles := fingerprint.SimHash(wire), fingerprint.Shingles(wire)
	for _, v := range variants {
		d := fingerprint.Distance(fp, fingerprint.SimHash(v.body))
		o := fingerprint.Overlap(shingles, fingerprint.Shingles(v.body))
		t.Logf("%-30s %2d bits, %3.0f%% of shingles shared", v.name, d, 100*o)
		if d > v.maxBits || d > fingerprint.NearDuplicateBits || o < fingerprint.NearDuplicateOverlap {
			t.Errorf("%s: %d bits apart (want at most %d), %.2f of shingles shared", v.name, d, v.maxBits, o)
		}
	}
	for _, name := range slices.Sorted(maps.Keys(otherStories)) {
		body := otherStories[name]
		d := fingerprint.Distance(fp, fingerprint.SimHash(body))
		o := fingerprint.Overlap(shingles, fingerprint.Shingles(body))
		t.Logf("%-30s %2d bits, %3.0f%% of shingles shared", name, d, 100*o)
		if d <= 15 || d <= fingerprint.NearDuplicateBits && o >= fingerprint.NearDuplicateOverlap {
			t.Errorf("other story %s: %d bits apart, %.2f of shingles shared", name, d, o)
		}
	}
}

// TestFingerprintFixturePages extracts the pages of testdata/clusters and
// checks that the three copies of one story are near-duplicates and the
// other stories are not.
func TestFingerprintFixturePages(t *testing.T) {
	dir := filepath.Join("..", "testdata", "clusters")
	pages := []struct{ path, story string }{
		{"tlc-oggi/iliad-fibercop-accordo-fibra.html", "fibercop"},
		{"corcom/iliad-fibercop-intesa-rete.html", "fibercop"},
		{"mercatitelco/iliad-fibercop-fibra-commento.html", "fibercop"},
		{"tlc-oggi/iliad-conti-terzo-trimestre.html", "results"},
		{"corcom/iliad-5g-standalone-esim.html", "5g"},
	}
	bodies := make([]string, len(pages))
	for i, p := range pages {
		html, err := os.ReadFile(filepath.Join(dir, p.path))
		if err != nil {
			t.Fatal(err)
		}
		a, err := (&Source{}).Extract(html, "file:///"+p.path, "text/html; charset=utf-8")
		if err != nil {
			t.Fatalf("%s: %v", p.path, err)
		}
		bodies[i] = a.Body
	}
	for i := range pages {
		for j := i + 1; j < len(pages); j++ {
			d := fingerprint.Distance(fingerprint.SimHash(bodies[i]), fingerprint.SimHash(bodies[j]))
			o := fingerprint.Overlap(fingerprint.Shingles(bodies[i]), fingerprint.Shingles(bodies[j]))
			t.Logf("%-48s %-48s %2d bits, %3.0f%%", pages[i].path, pages[j].path, d, 100*o)
			near := d <= fingerprint.NearDuplicateBits && o >= fingerprint.NearDuplicateOverlap
			if same := pages[i].story == pages[j].story; near != same || !same && d <= 15 {
				t.Errorf("%s and %s: %d bits apart, %.2f shared; same story: %t", pages[i].path, pages[j].path, d, o, same)
			}
		}
	}
}

func TestFingerprintShortText(t *testing.T) {
	for _, s := range []string{"", "Iliad", "Iliad e FiberCop firmano un accordo sulla fibra."} {
		if fp := fingerprint.SimHash(s); fp != 0 {
			t.Errorf("SimHash(%q) = %x, want 0", s, fp)
		}
	}
}
