package meilitest

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
)

// hitMatch is how a document matches a query, in the terms of
// Meilisearch's ranking rules. Costs are lower for better matches.
type hitMatch struct {
	words        int // terms matched, in the bucket of the matching strategy
	typos        int
	maxTypos     int
	proximity    int
	maxProximity int
	fid          int
	maxFid       int
	position     int
	maxPosition  int
	exactAttr    int // 0: an attribute is the query, 1: starts with it, 2: neither
	exactWords   int
	pathLen      int
}

// proximityMax is the cost of two terms not in proximity, as in
// Meilisearch.
const proximityMax = 7

// positionBucketMax is the largest position cost of one term.
const positionBucketMax = 31

// matchDoc matches a document against the query and returns nil when it
// does not match under the matching strategy.
func matchDoc(di *docIndex, pq parsedQuery, alts []alt, strategy string, freqOrder []int, searchOn []string, nAttrs int) *hitMatch {
	n := len(pq.terms)
	occs := make([][]occ, len(alts))
	for i := range alts {
		occs[i] = di.matches(&alts[i])
		if len(searchOn) > 0 {
			occs[i] = slices.DeleteFunc(occs[i], func(o occ) bool { return !matchAny(searchOn, di.attrs[o.attr].name) })
		}
	}
	var path []int // indexes of alts
	words := 0
	if strategy == "frequency" {
		matched := make([]int, n) // best single alt per term, or -1
		for t := range matched {
			matched[t] = -1
			for i, a := range alts {
				if a.from == t && a.to == t+1 && len(occs[i]) > 0 &&
					(matched[t] < 0 || minTypos(occs[i]) < minTypos(occs[matched[t]])) {
					matched[t] = i
				}
			}
		}
		removed := 0
		for removed < n {
			ok := true
			for t := range n {
				if matched[t] < 0 && !slices.Contains(freqOrder[:removed], t) {
					ok = false
					break
				}
			}
			if ok {
				break
			}
			removed++
		}
		if removed >= n {
			return nil
		}
		for t := range n {
			if !slices.Contains(freqOrder[:removed], t) {
				path = append(path, matched[t])
			}
		}
		words = n - removed
	} else {
		type step struct {
			typos int
			prev  int // alt index that reached this step, -1 at 0
			from  int
			ok    bool
		}
		best := make([]step, n+1)
		best[0] = step{ok: true, prev: -1}
		for i := 0; i < n; i++ {
			if !best[i].ok {
				continue
			}
			for ai, a := range alts {
				if a.from != i || len(occs[ai]) == 0 {
					continue
				}
				t := best[i].typos + minTypos(occs[ai])
				if s := &best[a.to]; !s.ok || t < s.typos {
					*s = step{typos: t, prev: ai, from: i, ok: true}
				}
			}
		}
		k := 0
		for i := n; i > 0; i-- {
			if best[i].ok {
				k = i
				break
			}
		}
		if k == 0 || (strategy == "all" && k < n) {
			return nil
		}
		for i := k; i > 0; i = best[i].from {
			path = append(path, best[i].prev)
		}
		slices.Reverse(path)
		words = k
	}

	m := &hitMatch{words: words, pathLen: len(path)}
	for _, ai := range path {
		m.typos += minTypos(occs[ai])
		m.maxTypos += alts[ai].maxTypos
		if occsExact(occs[ai]) {
			m.exactWords++
		}
	}
	m.maxTypos = max(m.maxTypos, m.typos)
	for i := 1; i < len(path); i++ {
		m.proximity += pairProximity(di, occs[path[i-1]], occs[path[i]])
	}
	m.maxProximity = proximityMax * max(len(path)-1, 0)
	for _, ai := range path {
		bestAttr, bestPos := nAttrs, positionBucketMax
		for _, o := range occs[ai] {
			rank := di.attrs[o.attr].rank
			p := positionBucket(di.token(o.ref).pos)
			if rank < bestAttr || (rank == bestAttr && p < bestPos) {
				bestAttr, bestPos = rank, p
			}
		}
		m.fid += bestAttr
		m.position += bestPos
	}
	m.maxFid = max(nAttrs-1, 0) * len(path)
	m.fid = min(m.fid, m.maxFid)
	m.maxPosition = positionBucketMax * len(path)
	m.exactAttr = exactAttribute(di, pq)
	return m
}

func minTypos(os []occ) int {
	best := 3
	for _, o := range os {
		best = min(best, o.typos)
	}
	return best
}

func occsExact(os []occ) bool {
	for _, o := range os {
		if o.exact && o.typos == 0 {
			return true
		}
	}
	return false
}

// pairProximity is the proximity cost of two consecutive terms: the least
// distance between their matches in the same value, capped.
func pairProximity(di *docIndex, left, right []occ) int {
	best := proximityMax
	for _, a := range left {
		for _, b := range right {
			if a.attr != b.attr || a.val != b.val {
				continue
			}
			toks := di.attrs[a.attr].values[a.val].toks
			aStart, aEnd := toks[a.tok].pos, toks[a.tok+a.n-1].pos
			bStart := toks[b.tok].pos
			var c int
			if bStart > aEnd {
				c = bStart - aEnd - 1
			} else {
				c = aStart - bStart + 1
			}
			best = min(best, c)
		}
	}
	return min(best, proximityMax)
}

// positionBucket groups word positions as Meilisearch does: exact for the
// first words, then by powers of two.
func positionBucket(p int) int {
	if p < 16 {
		return p
	}
	return min(16+bits.Len(uint(p))-5, positionBucketMax)
}

// exactAttribute returns 0 when some value of the document is exactly the
// query words, 1 when one starts with them, 2 otherwise.
func exactAttribute(di *docIndex, pq parsedQuery) int {
	var q []string
	for _, t := range pq.terms {
		q = append(q, t.words...)
	}
	best := 2
	for _, a := range di.attrs {
		for _, v := range a.values {
			if len(v.toks) < len(q) {
				continue
			}
			same := true
			for i, w := range q {
				if v.toks[i].norm != w {
					same = false
					break
				}
			}
			if !same {
				continue
			}
			if len(v.toks) == len(q) {
				return 0
			}
			best = 1
		}
	}
	return best
}

// rank is a rank of Meilisearch's ranking score: 1 <= rank <= max, max
// best.
type rank struct{ rank, max int }

// score returns the ranking score of the match, composing the ranks of the
// relevancy rules lexicographically as Meilisearch does.
func (m *hitMatch) score(rules []string, nTerms int) float64 {
	var ranks []rank
	for _, r := range rules {
		switch r {
		case "words":
			ranks = append(ranks, rank{m.words, nTerms})
		case "typo":
			ranks = append(ranks, rank{m.maxTypos + 1 - m.typos, m.maxTypos + 1})
		case "proximity":
			ranks = append(ranks, rank{m.maxProximity + 1 - m.proximity, m.maxProximity + 1})
		case "attribute":
			ranks = append(ranks, rank{m.maxFid + 1 - m.fid, m.maxFid + 1}, rank{m.maxPosition + 1 - m.position, m.maxPosition + 1})
		case "attributeRank":
			ranks = append(ranks, rank{m.maxFid + 1 - m.fid, m.maxFid + 1})
		case "wordPosition":
			ranks = append(ranks, rank{m.maxPosition + 1 - m.position, m.maxPosition + 1})
		case "exactness":
			ranks = append(ranks, rank{3 - m.exactAttr, 3}, rank{m.exactWords + 1, m.pathLen + 1})
		}
	}
	if len(ranks) == 0 {
		return 1
	}
	g := ranks[0]
	for _, r := range ranks[1:] {
		if g.max > 1<<40 {
			break
		}
		g = rank{(g.rank-1)*r.max + r.rank, g.max * r.max}
	}
	return float64(g.rank) / float64(g.max)
}

// lessHit orders two hits by the ranking rules, then by the sort
// parameter where the "sort" rule stands, then by internal id.
func lessHit(a, b *hit, rules []string, sorts []sortCriterion) int {
	for _, r := range rules {
		var c int
		switch r {
		case "sort":
			for _, s := range sorts {
				if c = compareField(a.doc.fields, b.doc.fields, s); c != 0 {
					break
				}
			}
		case "words", "typo", "proximity", "attribute", "attributeRank", "wordPosition", "exactness":
			if a.match != nil && b.match != nil {
				c = compareRule(a.match, b.match, r)
			}
		default:
			if m := customRule.FindStringSubmatch(r); m != nil {
				c = compareField(a.doc.fields, b.doc.fields, sortCriterion{attr: m[1], desc: m[2] == "desc"})
			}
		}
		if c != 0 {
			return c
		}
	}
	switch {
	case a.doc.internal < b.doc.internal:
		return -1
	case a.doc.internal > b.doc.internal:
		return 1
	}
	return 0
}

func compareRule(a, b *hitMatch, rule string) int {
	cmps := func(pairs ...int) int {
		for i := 0; i+1 < len(pairs); i += 2 {
			if pairs[i] != pairs[i+1] {
				if pairs[i] < pairs[i+1] {
					return -1
				}
				return 1
			}
		}
		return 0
	}
	switch rule {
	case "words":
		return cmps(b.words, a.words)
	case "typo":
		return cmps(a.typos, b.typos)
	case "proximity":
		return cmps(a.proximity, b.proximity)
	case "attribute":
		return cmps(a.fid, b.fid, a.position, b.position)
	case "attributeRank":
		return cmps(a.fid, b.fid)
	case "wordPosition":
		return cmps(a.position, b.position)
	case "exactness":
		return cmps(a.exactAttr, b.exactAttr, b.exactWords, a.exactWords)
	}
	return 0
}

// compareField orders two documents by a field: numbers first, then
// strings, then documents without the field, each group in the asked
// direction.
func compareField(a, b map[string]any, s sortCriterion) int {
	ka, va := sortKey(a, s)
	kb, vb := sortKey(b, s)
	if ka != kb {
		if ka < kb {
			return -1
		}
		return 1
	}
	var c int
	switch ka {
	case 0:
		fa, fb := va.(float64), vb.(float64)
		switch {
		case fa < fb:
			c = -1
		case fa > fb:
			c = 1
		}
	case 1:
		c = strings.Compare(va.(string), vb.(string))
	}
	if s.desc {
		c = -c
	}
	return c
}

// sortKey returns the group of a document for a sort (0 number, 1 string,
// 2 missing) and its value: for an array, the least value ascending and
// the greatest descending.
func sortKey(doc map[string]any, s sortCriterion) (int, any) {
	raw, ok := fieldValue(doc, s.attr)
	if !ok {
		return 2, nil
	}
	var leaves []any
	flatten(raw, &leaves)
	var nums []float64
	var strs []string
	for _, v := range leaves {
		if n, ok := asNumber(v); ok {
			nums = append(nums, n)
		} else if str, ok := v.(string); ok {
			strs = append(strs, normalizeFacet(str))
		}
	}
	pick := func(n int) int {
		if s.desc {
			return n - 1
		}
		return 0
	}
	if len(nums) > 0 {
		sort.Float64s(nums)
		return 0, nums[pick(len(nums))]
	}
	if len(strs) > 0 {
		sort.Strings(strs)
		return 1, strs[pick(len(strs))]
	}
	return 2, nil
}

// frequencyOrder returns the order in which the "frequency" matching
// strategy removes terms: the most frequent among the filtered documents
// first, never the least frequent.
func frequencyOrder(x *index, docs []*document, filter filterExpr, pq parsedQuery, alts []alt, searchOn []string) []int {
	n := len(pq.terms)
	freq := make([]int, n)
	for _, d := range docs {
		if filter != nil && !filter.eval(d.fields) {
			continue
		}
		di := x.indexDoc(d)
		for t := range n {
			for i := range alts {
				a := &alts[i]
				if a.from == t && a.to == t+1 && len(di.matches(a)) > 0 {
					freq[t]++
					break
				}
			}
		}
	}
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return freq[order[i]] > freq[order[j]] })
	return order[:max(n-1, 0)]
}
