// Package fingerprint tells near-copies of a text from other texts: a
// SimHash fingerprint finds the candidates cheaply, the share of word
// shingles two texts have in common decides. Words are folded as
// everywhere in ottwatch (nlp/textnorm).
package fingerprint

import (
	"github.com/ottwatch/ottwatch/nlp/textnorm"
	"hash/fnv"
	"math/bits"
	"slices"
	"strings"
	"unicode"
)

// ShingleWords is how many consecutive words make one feature (shingle) of
// SimHash.
const ShingleWords = 3

// MinWords is the fewest words a text needs for SimHash to give
// it a fingerprint: shorter texts (stubs, paywall teasers) share too little
// to tell a copy from a coincidence.
const MinWords = 20

// NearDuplicateBits is the largest Hamming distance between the
// fingerprints of two texts that may be near-duplicates, and
// NearDuplicateOverlap the share of the shingles of the shorter text that
// the other must also have for them to be near-duplicates (see
// Overlap). SimHash finds the candidates cheaply; the shingles
// decide. Measured on a wire story of 300 words: copies with light edits
// (a credit line, the headline kept in the body, reordered sentences or
// paragraphs) are 0 to 6 bits from it, heavier ones (a rewritten intro
// sentence, a paragraph of commentary added, the last paragraph cut) 12 to
// 15 bits, all sharing 90% or more of their shingles; different stories on
// the same company are 27 to 37 bits away and share at most 3%, and pairs
// of unrelated articles are 21 bits apart or more. Random fingerprints are
// 18 bits or less apart about once in 3,000 pairs: the overlap turns those
// down.
const (
	NearDuplicateBits    = 18
	NearDuplicateOverlap = 0.5
)

// SimHash returns the 64-bit SimHash of text: texts that share most of
// their word shingles have fingerprints few bits apart (see
// Distance), unrelated texts about 32 bits apart. Words are
// runs of letters and digits, lowercased and stripped of accents, so that
// punctuation, apostrophes, case and accents do not matter; each shingle of
// ShingleWords consecutive words is hashed with 64-bit FNV-1a and mixed,
// and each bit of the fingerprint is the majority vote of that bit over the
// shingles. A text of fewer than MinWords words has no
// fingerprint: SimHash returns 0.
func SimHash(text string) uint64 {
	words := Words(text)
	if len(words) < MinWords {
		return 0
	}
	var votes [64]int
	for i := 0; i+ShingleWords <= len(words); i++ {
		h := shingleHash(words[i : i+ShingleWords])
		for b := range votes {
			if h&(1<<b) != 0 {
				votes[b]++
			} else {
				votes[b]--
			}
		}
	}
	var fp uint64
	for b, v := range votes {
		if v > 0 {
			fp |= 1 << b
		}
	}
	return fp
}

// Distance returns how many bits the fingerprints a and b
// differ in: their Hamming distance.
func Distance(a, b uint64) int {
	return bits.OnesCount64(a ^ b)
}

// Words returns the words SimHash reads in text: runs of letters and
// digits, folded (lower case, no diacritics, ß as ss…).
func Words(text string) []string {
	fields := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r)
	})
	words := make([]string, 0, len(fields))
	for _, f := range fields {
		if w := textnorm.Fold(f); w != "" {
			words = append(words, w)
		}
	}
	return words
}

// shingleHash hashes the words of a shingle with FNV-1a, separated by a
// byte no word holds, then spreads the bits with the finalizer of
// SplitMix64: FNV alone leaves the high bits of short inputs correlated.
func shingleHash(words []string) uint64 {
	h := fnv.New64a()
	for i, w := range words {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(w))
	}
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Shingles returns the distinct hashes of the shingles of text, sorted, or
// nil for a text of fewer than MinWords words.
func Shingles(text string) []uint64 {
	words := Words(text)
	if len(words) < MinWords {
		return nil
	}
	out := make([]uint64, 0, len(words)-ShingleWords+1)
	for i := 0; i+ShingleWords <= len(words); i++ {
		out = append(out, shingleHash(words[i:i+ShingleWords]))
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Overlap returns the share of the shingles of the shorter of two
// texts that the other has too (their containment), from their Shingles:
// 1 when one text contains the other, 0 when they share nothing or one has
// no shingles.
func Overlap(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	shared := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			shared++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(shared) / float64(min(len(a), len(b)))
}
