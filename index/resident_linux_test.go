package index

import (
	"bufio"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
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

// TestReadsKeepLittleResident writes an archive past releaseAbove, then
// reads it all, as sync does, and checks that the archive's file does not
// stay resident in the process, as it would without release.
func TestReadsKeepLittleResident(t *testing.T) {
	ar := openTestArchive(t)
	r := rand.NewChaCha8([32]byte{1})
	for batch := range 10 {
		var pages []Page
		for i := range 50 {
			page := make([]byte, 100<<10) // incompressible: the file grows by as much
			r.Read(page)
			pages = append(pages, Page{Article: newArticle(batch*50+i, "text"), HTML: page, ContentType: "text/html"})
		}
		if _, err := ar.Put(pages); err != nil {
			t.Fatal(err)
		}
	}
	info, err := os.Stat(ar.Path())
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() < releaseAbove {
		t.Fatalf("archive of %d bytes: the test needs more than %d", info.Size(), releaseAbove)
	}
	ids, err := ar.IDs()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids { // every page of the file read through the map
		if _, _, err := ar.HTML(id); err != nil {
			t.Fatal(err)
		}
	}
	before := mappedKB(t, ar.Path())
	if before < int(info.Size()>>10)/2 {
		t.Fatalf("only %d kB of the %d kB file resident after reading it all", before, info.Size()>>10)
	}
	for seq := uint64(0); ; {
		entries, err := ar.After(seq, 100)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 {
			break
		}
		seq = entries[len(entries)-1].Seq
	}
	if after := mappedKB(t, ar.Path()); after > 4<<10 {
		t.Errorf("%d kB of the archive resident after reading it batch by batch (%d kB before), want at most 4 MB", after, before)
	}
}
