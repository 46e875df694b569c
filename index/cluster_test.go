package index

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/crawler/fingerprint"
)

// wire is an agency story, paragraph by paragraph.
var wire = []string{
	"Iliad ha firmato con FiberCop un accordo pluriennale per l’accesso alla rete in fibra ottica che porterà le offerte fisse dell’operatore in altri tre milioni di abitazioni entro la fine del 2027.",
	"Secondo quanto comunicato dalle due società, il contratto ha una durata di dieci anni e prevede prezzi decrescenti legati ai volumi: più linee Iliad attiverà sulla rete di FiberCop, minore sarà il canone pagato per ciascun accesso.",
	"Per Iliad, che in Italia conta oltre undici milioni di clienti mobili ma poco più di trecentomila linee fisse, l’accordo è un passo decisivo per recuperare terreno nella banda ultralarga.",
	"L’intesa dovrà ora essere notificata all’Agcom. Le prime attivazioni commerciali sono previste a febbraio, a partire da Torino, Bologna e Napoli.",
}

// Texts of the cluster tests.
var (
	wireText      = strings.Join(wire, "\n\n")
	creditText    = "(ATP) – Milano, 12 novembre – " + wireText + "\n\nFonte: ATP"
	commentText   = wireText + "\n\nIl nostro commento. L’operazione conferma che la rete unica sta prendendo forma per contratto più che per decreto, e un concorrente aggressivo sui prezzi può spingere al ribasso le tariffe della fibra."
	resultsText   = "Iliad chiude il terzo trimestre con ricavi in crescita del sei per cento in Italia, spinti dalla telefonia mobile. L’operatore ha conquistato 180 mila nuovi clienti mobili netti e le linee fisse in fibra sono salite a 310 mila. Il gruppo ha citato l’accordo con FiberCop come lo strumento per ampliare la copertura."
	standaloneTxt = "Iliad porta il 5G standalone a tutti i suoi clienti in Italia: da lunedì la nuova architettura di rete è attiva senza costi aggiuntivi su tutte le offerte mobili dell’operatore, con una copertura che interessa già il settanta per cento della popolazione."
)

var day0 = time.Date(2026, 11, 12, 9, 0, 0, 0, time.UTC)

// story returns the article called name, with body, published at pub
// (zero for none) and fetched at day0.
func story(name, body string, pub time.Time) *ottwatch.Article {
	u := "https://" + name + ".example/"
	return &ottwatch.Article{ID: ottwatch.ArticleID(u), URL: u, CanonicalURL: u, Title: name,
		Body: body, Lang: "it", Published: pub, Fetched: day0}
}

func TestArchiveClusters(t *testing.T) {
	ar := openTestArchive(t)
	ids := map[string]string{} // article name → id, and id → name
	steps := []struct {
		name    string
		article *ottwatch.Article
		want    string // name of the article whose id is the cluster
		stats   PutStats
	}{
		{"first copy starts a cluster", story("tlc-oggi", wireText, day0), "tlc-oggi", PutStats{Added: 1}},
		{"copy with a credit line joins it", story("corcom", creditText, day0.Add(time.Hour)), "tlc-oggi", PutStats{Added: 1}},
		{"other story on the same company", story("results", resultsText, day0.Add(2*time.Hour)), "results", PutStats{Added: 1}},
		{"copy with commentary joins", story("mercatitelco", commentText, day0.Add(3*time.Hour)), "tlc-oggi", PutStats{Added: 1}},
		{"same text 8 days later", story("late", wireText, day0.Add(8*24*time.Hour)), "late", PutStats{Added: 1}},
		{"between both: earliest archived wins", story("between", creditText, day0.Add(4*24*time.Hour)), "tlc-oggi", PutStats{Added: 1}},
		{"undated copy joins", story("undated", commentText, time.Time{}), "tlc-oggi", PutStats{Added: 1}},
		{"short stub", story("stub1", "Iliad: accordo con FiberCop.", day0), "stub1", PutStats{Added: 1}},
		{"same short stub", story("stub2", "Iliad: accordo con FiberCop.", day0), "stub2", PutStats{Added: 1}},
		{"unchanged copy keeps its cluster", story("corcom", creditText, day0.Add(time.Hour)), "tlc-oggi", PutStats{Unchanged: 1}},
		{"copy updated to another story", story("corcom", standaloneTxt, day0.Add(time.Hour)), "corcom", PutStats{Updated: 1}},
		{"updated back", story("corcom", creditText, day0.Add(time.Hour)), "tlc-oggi", PutStats{Updated: 1}},
		{"founder updated stays", story("tlc-oggi", wireText+" Aggiornamento delle 11.", day0), "tlc-oggi", PutStats{Updated: 1}},
	}
	for _, s := range steps {
		ids[s.article.Title] = s.article.ID
		ids[s.article.ID] = s.article.Title
		st := put(t, ar, s.article)
		if st != s.stats {
			t.Errorf("%s: %+v, want %+v", s.name, st, s.stats)
		}
		got, err := ar.Get(s.article.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Cluster != ids[s.want] || s.article.Cluster != got.Cluster {
			t.Errorf("%s: cluster %s (%s), article says %s; want %s", s.name, ids[got.Cluster], got.Cluster, s.article.Cluster, s.want)
		}
		if strings.HasPrefix(s.article.Title, "stub") != (got.Fingerprint == 0) {
			t.Errorf("%s: fingerprint %x", s.name, got.Fingerprint)
		}
		if err := ar.Check(); err != nil {
			t.Errorf("%s: Check: %v", s.name, err)
		}
	}
}

func TestArchiveKeepsGivenFingerprint(t *testing.T) {
	ar := openTestArchive(t)
	a := story("given", wireText, day0)
	a.Fingerprint = 42
	put(t, ar, a)
	if got, _ := ar.Get(a.ID); got.Fingerprint != 42 || got.Cluster != a.ID {
		t.Errorf("fingerprint %d, cluster %q", got.Fingerprint, got.Cluster)
	}
	// The wire text's own fingerprint is far from 42: no candidate.
	b := story("copy", wireText, day0)
	put(t, ar, b)
	if b.Cluster != b.ID {
		t.Errorf("copy joined %s despite fingerprints %d bits apart", b.Cluster, fingerprint.Distance(42, b.Fingerprint))
	}
}

// TestArchiveClustersOldRecords puts articles archived before fingerprints
// existed: re-put unchanged, they count as updated, and get a fingerprint
// and a cluster.
func TestArchiveClustersOldRecords(t *testing.T) {
	ar := openTestArchive(t)
	old := story("old", wireText, day0)
	err := ar.db.Update(func(tx *bolt.Tx) error {
		hash, err := contentHash(old)
		if err != nil {
			return err
		}
		raw, _ := json.Marshal(record{Seq: 1, Hash: hash, Article: old})
		if err := tx.Bucket(bucketArticles).Put([]byte(old.ID), raw); err != nil {
			return err
		}
		return tx.Bucket(bucketSeq).Put(seqKey(1), []byte(old.ID))
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := ar.Check(); err != nil {
		t.Fatalf("Check of an old archive: %v", err)
	}
	copyOf := story("copy", creditText, day0)
	put(t, ar, copyOf)
	if copyOf.Cluster != copyOf.ID {
		t.Errorf("copy of an article without fingerprint: cluster %s", copyOf.Cluster)
	}
	if st := put(t, ar, story("old", wireText, day0)); st != (PutStats{Updated: 1}) {
		t.Errorf("re-put of an old record: %+v", st)
	}
	if got, _ := ar.Get(old.ID); got.Fingerprint == 0 || got.Cluster != copyOf.ID {
		t.Errorf("old record re-put: fingerprint %x, cluster %s, want %s", got.Fingerprint, got.Cluster, copyOf.ID)
	}
}

func TestArchiveCheckStories(t *testing.T) {
	tests := []struct {
		name   string
		damage func(tx *bolt.Tx, a *ottwatch.Article) error
		want   string
	}{
		{"entry of a missing article", func(tx *bolt.Tx, a *ottwatch.Article) error {
			return tx.Bucket(bucketStories).Put(append(timeKey(day0), "nope"...), make([]byte, 16))
		}, "no such article"},
		{"entry missing", func(tx *bolt.Tx, a *ottwatch.Article) error {
			return tx.Bucket(bucketStories).Delete(storyKey(a))
		}, "without story entry"},
		{"wrong fingerprint", func(tx *bolt.Tx, a *ottwatch.Article) error {
			return tx.Bucket(bucketStories).Put(storyKey(a), storyValue(1, 1))
		}, "does not match"},
		{"wrong sequence", func(tx *bolt.Tx, a *ottwatch.Article) error {
			return tx.Bucket(bucketStories).Put(storyKey(a), storyValue(a.Fingerprint, 7))
		}, "does not match"},
		{"malformed", func(tx *bolt.Tx, a *ottwatch.Article) error {
			return tx.Bucket(bucketStories).Put(storyKey(a), []byte{1})
		}, "malformed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ar := openTestArchive(t)
			a := story("a", wireText, day0)
			put(t, ar, a)
			if err := ar.db.Update(func(tx *bolt.Tx) error { return tt.damage(tx, a) }); err != nil {
				t.Fatal(err)
			}
			if err := ar.Check(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Check = %v, want it to say %q", err, tt.want)
			}
		})
	}
}

func TestInWindow(t *testing.T) {
	tests := []struct {
		a, b time.Time
		want bool
	}{
		{day0, day0.Add(ClusterWindow), true},
		{day0.Add(ClusterWindow), day0, true},
		{day0, day0.Add(ClusterWindow + time.Second), false},
		{day0, time.Time{}, true},
		{time.Time{}, time.Time{}, true},
	}
	for _, tt := range tests {
		a, b := &ottwatch.Article{Published: tt.a}, &ottwatch.Article{Published: tt.b}
		if got := inWindow(a, b); got != tt.want {
			t.Errorf("inWindow(%v, %v) = %t", tt.a, tt.b, got)
		}
	}
}

func TestTimeKeyOrder(t *testing.T) {
	times := []time.Time{{}, time.Unix(-1, 0), time.Unix(0, 0), day0, day0.Add(time.Second)}
	for i := 1; i < len(times); i++ {
		if a, b := fmt.Sprintf("%x", timeKey(times[i-1])), fmt.Sprintf("%x", timeKey(times[i])); a >= b {
			t.Errorf("timeKey(%v) = %s sorts after timeKey(%v) = %s", times[i-1], a, times[i], b)
		}
	}
}
