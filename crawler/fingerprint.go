package crawler

import "github.com/ottwatch/ottwatch"

// Fingerprint returns the SimHash of an article's text, for
// Article.Fingerprint: near-duplicate texts (one agency story on several
// outlets) get fingerprints at most ottwatch.NearDuplicateBits apart. It
// is ottwatch.SimHash; a text too short to fingerprint gives 0.
func Fingerprint(text string) uint64 { return ottwatch.SimHash(text) }

// Distance returns how many bits fingerprints a and b differ in.
func Distance(a, b uint64) int { return ottwatch.FingerprintDistance(a, b) }
