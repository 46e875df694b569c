package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// TestTablesFitTheWidth prints the tables of search, entities, sources
// and watchlists at 80 and 120 columns: no line may be wider, and the
// short ids search shows are ids 'show' takes.
func TestTablesFitTheWidth(t *testing.T) {
	dir := crawledDataDir(t)
	cfg := writeConfig(t, readmeWatchlists)
	for _, width := range []int{80, 120} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			t.Setenv("COLUMNS", strconv.Itoa(width))
			for _, args := range [][]string{
				{"--data-dir", dir, "search", "Amazon", "--facets"},
				{"--data-dir", dir, "search", "Iliad", "--limit", "20"},
				{"entities"},
				{"sources"},
				{"--config", cfg, "watchlists"},
			} {
				stdout, _, err := run(t, "", args...)
				if err != nil {
					t.Fatalf("%v: %v", args, err)
				}
				for _, line := range strings.Split(stdout, "\n") {
					if w := uniseg.StringWidth(line); w > width {
						t.Errorf("%v: a line of %d columns:\n%s", args, w, line)
					}
				}
			}
		})
	}
	stdout, _, err := run(t, "", "--data-dir", dir, "search", "Amazon")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(stdout, "\n")
	if len(lines) < 4 {
		t.Fatalf("no hits:\n%s", stdout)
	}
	short := strings.Fields(lines[3])[0]
	if len(short) != minIDLength {
		t.Errorf("id column shows %q, want %d characters", short, minIDLength)
	}
	if out, _, err := run(t, "", "--data-dir", dir, "show", short); err != nil || !strings.Contains(out, "id:         "+short) {
		t.Errorf("show %s: %v\n%s", short, err, out)
	}
}

func TestShortIDs(t *testing.T) {
	got := shortIDs([]string{"abcdef1234", "abcdef1299", "0123456789"})
	want := []string{"abcdef123", "abcdef129", "012345678"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("shortIDs = %v, want %v", got, want)
	}
}
