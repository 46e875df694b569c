package fingerprint

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestFingerprintWords(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Perché l’Agcom", []string{"perche", "l", "agcom"}},
		{"dell'Agcom, 5G!", []string{"dell", "agcom", "5g"}},
		{"Ça coûte 4,2 €", []string{"ca", "coute", "4", "2"}},
		{"Straße Łódź Œuvre", []string{"strasse", "lodz", "oeuvre"}},
		{"Telefo\u0301nica", []string{"telefonica"}}, // decomposed accent
		{"  ", nil},
	}
	for _, tt := range tests {
		if got := Words(tt.text); !slices.Equal(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// words returns n distinct words.
func words(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(" w")
		for j := i; ; j /= 26 {
			b.WriteByte(byte('a' + j%26))
			if j < 26 {
				break
			}
		}
	}
	return b.String()
}

func TestSimHash(t *testing.T) {
	long := words(200)
	edited := strings.Fields(long)
	edited[100] = "changed"
	tests := []struct {
		name string
		a, b string
		max  int // most bits apart; -1: at least 20 apart
	}{
		{"same text", long, long, 0},
		{"case, accents and punctuation", "Perché l’Agcom è qui." + long, "PERCHE L'AGCOM E QUI" + long, 0},
		{"one word changed", long, strings.Join(edited, " "), 6},
		{"unrelated", words(200), strings.ReplaceAll(words(200), "w", "x"), -1},
	}
	for _, tt := range tests {
		d := Distance(SimHash(tt.a), SimHash(tt.b))
		if tt.max >= 0 && d > tt.max || tt.max < 0 && d < 20 {
			t.Errorf("%s: %d bits apart", tt.name, d)
		}
	}
	for _, short := range []string{"", "Iliad", words(MinWords - 1)} {
		if fp := SimHash(short); fp != 0 {
			t.Errorf("SimHash of %d words = %x, want 0", len(Words(short)), fp)
		}
	}
	if SimHash(words(MinWords)) == 0 {
		t.Error("SimHash of MinWords words is 0")
	}
}

func TestFingerprintDistance(t *testing.T) {
	tests := []struct {
		a, b uint64
		want int
	}{
		{0, 0, 0}, {1, 0, 1}, {0xff, 0x0f, 4}, {math.MaxUint64, 0, 64},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%x, %x) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestShingleOverlap(t *testing.T) {
	base := words(100)
	tests := []struct {
		name string
		a, b string
		min  float64
		max  float64
	}{
		{"same", base, base, 1, 1},
		{"contained", base, base + words(300)[len(base):], 1, 1},
		{"half replaced", base, base[:len(base)/2] + strings.ReplaceAll(base[len(base)/2:], "w", "y"), 0.4, 0.6},
		{"disjoint", base, strings.ReplaceAll(base, "w", "z"), 0, 0},
		{"too short", base, "Iliad", 0, 0},
	}
	for _, tt := range tests {
		got := Overlap(Shingles(tt.a), Shingles(tt.b))
		if got < tt.min || got > tt.max {
			t.Errorf("%s: overlap %.2f, want %.2f to %.2f", tt.name, got, tt.min, tt.max)
		}
		if rev := Overlap(Shingles(tt.b), Shingles(tt.a)); rev != got {
			t.Errorf("%s: not symmetric: %.2f and %.2f", tt.name, got, rev)
		}
	}
	s := Shingles(base + base)
	if !slices.IsSorted(s) || len(slices.Compact(slices.Clone(s))) != len(s) {
		t.Error("Shingles are not sorted and distinct")
	}
}
