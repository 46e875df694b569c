package index

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// BenchmarkArchivePut measures durable archive writes: batches of 50 new
// articles of about 3 KB, one transaction (and fsync) each.
func BenchmarkArchivePut(b *testing.B) {
	ar, err := OpenArchive(filepath.Join(b.TempDir(), "archive.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ar.Close()
	body := strings.Repeat("L’Agcom ha avviato un’istruttoria sulle offerte degli operatori. ", 45)
	n := 0
	b.SetBytes(50 * int64(len(body)))
	for b.Loop() {
		pages := make([]Page, 50)
		for i := range pages {
			pages[i] = Page{Article: newArticle(n, fmt.Sprint(n, body))}
			n++
		}
		if _, err := ar.Put(pages); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkArchivePutBusyWeek measures writes into a week that already
// holds 5,000 different stories, each new article a copy of one of them:
// clustering scans the week's entries and reads one candidate.
func BenchmarkArchivePutBusyWeek(b *testing.B) {
	ar, err := OpenArchive(filepath.Join(b.TempDir(), "archive.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer ar.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields("operatore rete fibra mercato Agcom accordo clienti prezzi offerta mobile fisso utenti investimenti copertura banda gara frequenze ricavi trimestre governo")
	text := func() string {
		w := make([]string, 300)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
		}
		return strings.Join(w, " ")
	}
	day := time.Date(2026, 11, 12, 0, 0, 0, 0, time.UTC)
	var stories []string
	for batch := range 100 {
		pages := make([]Page, 50)
		for i := range pages {
			n := batch*50 + i
			body := text()
			stories = append(stories, body)
			a := newArticle(n, body)
			a.Published = day.Add(time.Duration(n) * time.Minute)
			pages[i] = Page{Article: a}
		}
		if _, err := ar.Put(pages); err != nil {
			b.Fatal(err)
		}
	}
	n := len(stories)
	for b.Loop() {
		pages := make([]Page, 50)
		for i := range pages {
			a := newArticle(n, "(ATP) "+stories[rng.IntN(len(stories))])
			a.Published = day.Add(time.Duration(rng.IntN(5000)) * time.Minute)
			pages[i] = Page{Article: a}
			n++
		}
		if _, err := ar.Put(pages); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n-len(stories))/b.Elapsed().Seconds(), "articles/s")
}
