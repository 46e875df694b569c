package index

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// mappedKB returns the resident memory, in kB, of this process's maps of
// the file at path (from /proc/self/smaps).
func mappedKB(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skipf("no smaps: %v", err)
	}
	defer f.Close()
	total, in := 0, false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		switch {
		case len(fields) >= 5 && strings.Contains(fields[0], "-"): // a map's first line
			in = fields[len(fields)-1] == path
		case in && len(fields) == 3 && fields[0] == "Rss:":
			kb, _ := strconv.Atoi(fields[1])
			total += kb
		}
	}
	return total
}

// TestReadsKeepLittleResident writes an archive past its releaseAbove, then
// reads it all, as sync does, and checks that the archive's file does not
// stay resident in the process, as it would without release.
func TestReadsKeepLittleResident(t *testing.T) {
	ar := openTestArchive(t)
	ar.releaseAbove = 2 << 20
	for batch := range 5 {
		var pages []Page
		for i := range 20 {
			body := strings.Repeat("una parola ", 5_000) // records are stored as they are
			pages = append(pages, Page{Article: newArticle(batch*20+i, body)})
		}
		if _, err := ar.Put(pages); err != nil {
			t.Fatal(err)
		}
	}
	info, err := os.Stat(ar.Path())
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() < 2*ar.releaseAbove {
		t.Fatalf("archive of %d bytes: the test needs more than %d", info.Size(), 2*ar.releaseAbove)
	}
	if _, err := ar.IDs(); err != nil { // every record read through the map
		t.Fatal(err)
	}
	before := mappedKB(t, ar.Path())
	if before < int(2*ar.releaseAbove>>10) {
		t.Fatalf("only %d kB of the %d kB file resident after reading it all", before, info.Size()>>10)
	}
	for seq := uint64(0); ; {
		entries, err := ar.After(seq, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			break
		}
		seq = entries[len(entries)-1].Seq
	}
	if after := mappedKB(t, ar.Path()); after > 1<<10 {
		t.Errorf("%d kB of the archive resident after reading it batch by batch (%d kB before), want at most 1 MB", after, before)
	}
}

// TestCheckKeepsLittleResident checks that a read of the whole file, such
// as the structure check of every writable open, gives its pages back as it
// goes (releasing).
func TestCheckKeepsLittleResident(t *testing.T) {
	ar := openTestArchive(t)
	var pages []Page
	for i := range 100 {
		pages = append(pages, Page{Article: newArticle(i, strings.Repeat("una parola ", 5_000))})
	}
	if _, err := ar.Put(pages); err != nil {
		t.Fatal(err)
	}
	err := ar.db.View(func(tx *bolt.Tx) error {
		stop := releasing(ar.db, tx)
		defer stop()
		if errs := structureErrors(tx); len(errs) > 0 {
			t.Fatalf("check: %v", errs)
		}
		if _, err := ar.IDs(); err != nil { // every record read through the map
			t.Fatal(err)
		}
		for range 500 { // until a release, at most 500 of their periods
			if mappedKB(t, ar.Path()) <= 1<<10 {
				return nil
			}
			time.Sleep(releaseEvery)
		}
		t.Errorf("%d kB of the archive still resident while releasing", mappedKB(t, ar.Path()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
