package index

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	gojson "github.com/goccy/go-json"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/ottwatch/ottwatch"
)

// Stories are events. When the archive writes an article it assigns it to
// the story of the event it reports, in whatever language:
//
//  1. the story of its earliest near-duplicate (clusterOf), if it has one;
//  2. else the story of the candidate that scores best with it (sameEvent)
//     when that score reaches EventThreshold. Candidates are the articles
//     that name one of its entities within EventWindow of it, found in
//     bucketEvents, whose keys are an entity id, a story time and an
//     article id: one range of keys per entity, whatever the size of the
//     archive;
//  3. else a story of its own, whose id is the article's id.
//
// A story only grows; when an article is rewritten and its new content
// belongs elsewhere, it moves, and the move is recorded (bucketMoves).
// Recluster assigns every article again, in the order they were archived.

// More buckets of the archive.
var (
	bucketEvidence = []byte("evidence")   // article id → evidence (JSON)
	bucketEvents   = []byte("events")     // entity id, 0, story time, article id → nothing
	bucketStoryRec = []byte("storyrecs")  // story id → storyRecord (JSON)
	bucketStorySeq = []byte("storyseq")   // sequence of a story's last change → story id
	bucketMoves    = []byte("storymoves") // sequence → Move (JSON)
)

// storyBuckets are the buckets Recluster fills anew.
var storyBuckets = [][]byte{bucketStories, bucketEvidence, bucketEvents, bucketStoryRec, bucketStorySeq, bucketMoves}

// maxCandidates bounds how many articles one assignment compares with,
// maxEventEntities how many of its entities it looks candidates up by (the
// most named), and maxPerEntity how many entries of each it reads.
const (
	maxCandidates    = 60
	maxEventEntities = 8
	maxPerEntity     = 2000
)

// storyRecord is how the archive stores a story: the story and the
// centrality of each of its articles (the sum of its scores with the
// others), from which the headline is chosen.
type storyRecord struct {
	ottwatch.Story
	Centrality map[string]float64 `json:"centrality,omitempty"`
	Members    map[string]member  `json:"members"`
	Counts     storyCounts        `json:"counts"`
}

// Move records that an article rewritten with new content left one story
// for another.
type Move struct {
	Article string    `json:"article"`
	From    string    `json:"from"`
	To      string    `json:"to"`
	At      time.Time `json:"at"`
	Seq     uint64    `json:"seq"`
}

// eventKey is the key of an article's entry under one of its entities.
func eventKey(entity string, t int64, id string) []byte {
	k := append([]byte(entity), 0)
	k = binary.BigEndian.AppendUint64(k, uint64(t)^(1<<63))
	return append(k, id...)
}

// readEvidence returns the evidence of the article id, or nil.
func readEvidence(tx *bolt.Tx, id string) (*evidence, error) {
	return readJSON[evidence](tx, bucketEvidence, id)
}

// readJSON decodes the value of key in the named bucket, or returns nil
// when there is none (or no such bucket, in an archive from before it).
func readJSON[T any](tx *bolt.Tx, bucket []byte, key string) (*T, error) {
	b := tx.Bucket(bucket)
	if b == nil {
		return nil, nil
	}
	raw := b.Get([]byte(key))
	if raw == nil {
		return nil, nil
	}
	v := new(T)
	if err := gojson.Unmarshal(raw, v); err != nil {
		return nil, fmt.Errorf("%s %s: %w", bucket, key, err)
	}
	return v, nil
}

// topEntities returns up to maxEventEntities of ev's entities, most named
// first.
func topEntities(ev *evidence) []string {
	ids := slices.Sorted(maps.Keys(ev.Entities))
	slices.SortStableFunc(ids, func(x, y string) int { return cmp.Compare(ev.Entities[y], ev.Entities[x]) })
	return ids[:min(len(ids), maxEventEntities)]
}

// eventOf returns the story whose articles score best with ev (at least
// EventThreshold), or "" for none. Candidates are found by key alone: the
// entries of ev's entities within EventWindow, at most maxPerEntity each,
// the nearest in time first (see nearestEntries); only the maxCandidates
// that share the most entities with ev are read and scored.
func eventOf(tx *bolt.Tx, id string, ev *evidence) (string, error) {
	events := tx.Bucket(bucketEvents)
	w := int64(EventWindow / time.Second)
	shared := map[string]int{}
	for _, e := range topEntities(ev) {
		nearestEntries(events, e, ev.Time, w, maxPerEntity, func(cid []byte) bool {
			if string(cid) == id {
				return false
			}
			shared[string(cid)]++
			return true
		})
	}
	cands := slices.Collect(maps.Keys(shared))
	slices.SortFunc(cands, func(x, y string) int { return cmp.Or(cmp.Compare(shared[y], shared[x]), cmp.Compare(x, y)) })
	best, bestScore := "", EventThreshold
	for _, cid := range cands[:min(len(cands), maxCandidates)] {
		cand, err := readEvidence(tx, cid)
		if err != nil {
			return "", err
		}
		if cand == nil || cand.Story == "" {
			continue
		}
		if s := sameEvent(ev, cand); s > bestScore || s == bestScore && best != "" && cand.Story < best {
			best, bestScore = cand.Story, s
		}
	}
	return best, nil
}

// nearestEntries calls fn with the article id of each entry of entity e in
// bucketEvents within w seconds of time t, the nearest in time first (the
// later of two as near), until
// fn has returned true max times: when an entity is in more news than that,
// the articles closest to t are the candidates, whatever the archive holds
// around them.
func nearestEntries(events *bolt.Bucket, e string, t, w int64, max int, fn func(id []byte) bool) {
	mid := eventKey(e, t, "")
	lo, hi := eventKey(e, t-w, ""), eventKey(e, t+w, "")
	timeOf := func(k []byte) int64 { return int64(binary.BigEndian.Uint64(k[len(e)+1:]) ^ (1 << 63)) }
	after, before := events.Cursor(), events.Cursor()
	a, _ := after.Seek(mid)
	var b []byte
	if k, _ := before.Seek(mid); k != nil {
		b, _ = before.Prev()
	} else {
		b, _ = before.Last()
	}
	if a != nil && bytes.Compare(a[:min(len(a), len(hi))], hi) > 0 {
		a = nil
	}
	if b != nil && bytes.Compare(b, lo) < 0 {
		b = nil
	}
	for n := 0; n < max && (a != nil || b != nil); {
		var k []byte
		if a != nil && (b == nil || timeOf(a)-t <= t-timeOf(b)) {
			k, a = a, nil
			if next, _ := after.Next(); next != nil && bytes.Compare(next[:min(len(next), len(hi))], hi) <= 0 {
				a = next
			}
		} else {
			k, b = b, nil
			if prev, _ := before.Prev(); prev != nil && bytes.Compare(prev, lo) >= 0 {
				b = prev
			}
		}
		if fn(k[len(mid):]) {
			n++
		}
	}
}

// assign gives a, about to be written with sequence seq, its story and
// records it: its evidence, its entries in bucketEvents and the story's
// record. old is what the archive held of a before, if anything, whose
// entries are removed first; a move out of old's story is recorded.
func assign(tx *bolt.Tx, a *ottwatch.Article, old *ottwatch.Article, seq uint64) error {
	if old != nil {
		if err := unindexEvent(tx, old.ID); err != nil {
			return err
		}
	}
	story, err := clusterOf(tx, a)
	if err != nil {
		return err
	}
	ev := evidenceOf(a)
	if story == "" {
		if story, err = eventOf(tx, a.ID, ev); err != nil {
			return err
		}
	}
	if story == "" {
		// A story of its own, unless a story of that id holds other
		// articles (a moved out of the story it started).
		story = a.ID
		if rec, err := readStory(tx, a.ID); err != nil {
			return err
		} else if rec != nil && slices.ContainsFunc(rec.Articles, func(x string) bool { return x != a.ID }) {
			story = a.ID + "-" + strconv.FormatUint(seq, 10)
		}
	}
	a.Cluster, ev.Story = story, story
	if old != nil && old.Cluster != "" && old.Cluster != story {
		if err := leaveStory(tx, old.Cluster, a.ID, seq); err != nil {
			return err
		}
		move, err := json.Marshal(Move{Article: a.ID, From: old.Cluster, To: story, At: a.Fetched, Seq: seq})
		if err != nil {
			return err
		}
		if err := tx.Bucket(bucketMoves).Put(seqKey(seq), move); err != nil {
			return err
		}
	}
	raw, err := gojson.Marshal(ev)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketEvidence).Put([]byte(a.ID), raw); err != nil {
		return err
	}
	for e := range ev.Entities {
		if err := tx.Bucket(bucketEvents).Put(eventKey(e, ev.Time, a.ID), nil); err != nil {
			return err
		}
	}
	return joinStory(tx, story, a.ID, ev, seq)
}

// unindexEvent removes the evidence of article id and its entries in
// bucketEvents.
func unindexEvent(tx *bolt.Tx, id string) error {
	ev, err := readEvidence(tx, id)
	if err != nil || ev == nil {
		return err
	}
	for e := range ev.Entities {
		if err := tx.Bucket(bucketEvents).Delete(eventKey(e, ev.Time, id)); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketEvidence).Delete([]byte(id))
}

// readStory returns the record of story id, or nil.
func readStory(tx *bolt.Tx, id string) (*storyRecord, error) {
	return readJSON[storyRecord](tx, bucketStoryRec, id)
}

// joinStory adds article id, whose evidence is ev, to story, or updates it
// there, and writes the story's record as changed at seq. Adding an
// article reads the evidence of at most maxCentrality others, whatever the
// size of the story; updating one rebuilds the record.
func joinStory(tx *bolt.Tx, story, id string, ev *evidence, seq uint64) error {
	rec, err := readStory(tx, story)
	if err != nil {
		return err
	}
	if rec == nil {
		rec = &storyRecord{Story: ottwatch.Story{ID: story}}
	}
	if _, ok := rec.Members[id]; ok {
		return rebuildStory(tx, rec, seq)
	}
	rec.Articles = append(rec.Articles, id)
	if err := addMember(tx, rec, id, ev); err != nil {
		return err
	}
	return writeStory(tx, rec, seq)
}

// leaveStory removes article id from story, deleting the story when it
// was its last article.
func leaveStory(tx *bolt.Tx, story, id string, seq uint64) error {
	rec, err := readStory(tx, story)
	if err != nil || rec == nil {
		return err
	}
	rec.Articles = slices.DeleteFunc(rec.Articles, func(x string) bool { return x == id })
	if len(rec.Articles) == 0 {
		if err := tx.Bucket(bucketStorySeq).Delete(seqKey(rec.Seq)); err != nil {
			return err
		}
		return tx.Bucket(bucketStoryRec).Delete([]byte(story))
	}
	return rebuildStory(tx, rec, seq)
}

// rebuildStory recomputes rec from the evidence of each of its articles
// and writes it as changed at seq.
func rebuildStory(tx *bolt.Tx, rec *storyRecord, seq uint64) error {
	rec.Members, rec.Counts, rec.Centrality = nil, storyCounts{}, nil
	for _, id := range rec.Articles {
		ev, err := readEvidence(tx, id)
		if err != nil {
			return err
		}
		if ev != nil {
			if err := addMember(tx, rec, id, ev); err != nil {
				return err
			}
		}
	}
	return writeStory(tx, rec, seq)
}

// maxCentrality is how many articles of a story the centrality of each is
// computed against: a story's first articles settle its headline.
const maxCentrality = 40

// member is what a story's record keeps of one of its articles.
type member struct {
	Lang  string `json:"lang,omitempty"`
	Title string `json:"title,omitempty"`
	Seen  int64  `json:"seen"` // fetched, or story time, Unix seconds
	Time  int64  `json:"time"` // story time
}

// storyCounts count what a story's articles say, for its lists.
type storyCounts struct {
	Langs    map[string]int     `json:"langs,omitempty"`
	Sources  map[string]int     `json:"sources,omitempty"`
	Topics   map[string]int     `json:"topics,omitempty"`
	Entities map[string]float64 `json:"entities,omitempty"`
}

// addMember counts article id, whose evidence is ev, in rec, and scores it
// against up to maxCentrality of the story's other articles for
// centrality.
func addMember(tx *bolt.Tx, rec *storyRecord, id string, ev *evidence) error {
	orNew(&rec.Members)
	orNew(&rec.Centrality)
	orNew(&rec.Counts.Langs)
	orNew(&rec.Counts.Sources)
	orNew(&rec.Counts.Topics)
	orNew(&rec.Counts.Entities)
	compared := 0
	for _, other := range rec.Articles {
		if compared == maxCentrality {
			break
		}
		if _, ok := rec.Members[other]; !ok || other == id {
			continue
		}
		oev, err := readEvidence(tx, other)
		if err != nil {
			return err
		}
		if oev != nil {
			s := sameEvent(ev, oev)
			rec.Centrality[id] += s
			rec.Centrality[other] += s
			compared++
		}
	}
	rec.Members[id] = member{Lang: ev.Lang, Title: ev.Title, Seen: cmp.Or(ev.Fetched, ev.Time), Time: ev.Time}
	if ev.Lang != "" {
		rec.Counts.Langs[ev.Lang]++
	}
	if ev.Source != "" {
		rec.Counts.Sources[ev.Source]++
	}
	for e, n := range ev.Entities {
		rec.Counts.Entities[e] += entityWeight(n)
	}
	for _, t := range ev.Topics {
		rec.Counts.Topics[t]++
	}
	return nil
}

// orNew makes *m an empty map when it is nil.
func orNew[K comparable, V any](m *map[K]V) {
	if *m == nil {
		*m = map[K]V{}
	}
}

// writeStory fills in the story's lists, times and headlines from what
// rec counts and writes it as changed at seq.
func writeStory(tx *bolt.Tx, rec *storyRecord, seq uint64) error {
	summarize(rec)
	if rec.Seq != 0 {
		if err := tx.Bucket(bucketStorySeq).Delete(seqKey(rec.Seq)); err != nil {
			return err
		}
	}
	rec.Seq = seq
	raw, err := gojson.Marshal(rec)
	if err != nil {
		return err
	}
	if err := tx.Bucket(bucketStorySeq).Put(seqKey(seq), []byte(rec.ID)); err != nil {
		return err
	}
	return tx.Bucket(bucketStoryRec).Put([]byte(rec.ID), raw)
}

// summarize fills in rec's story from its members and counts: the most
// central article gives the headline, and the most central in each
// language that language's headline.
func summarize(rec *storyRecord) {
	rec.Langs, rec.Sources, rec.Topics = byCount(rec.Counts.Langs), byCount(rec.Counts.Sources), byCount(rec.Counts.Topics)
	rec.Entities = slices.Sorted(maps.Keys(rec.Counts.Entities))
	slices.SortStableFunc(rec.Entities, func(x, y string) int { return cmp.Compare(rec.Counts.Entities[y], rec.Counts.Entities[x]) })
	rec.FirstSeen, rec.Updated, rec.Published = time.Time{}, time.Time{}, time.Time{}
	rec.Headline, rec.HeadlineLang, rec.Headlines = "", "", map[string]string{}
	best := map[string]float64{}
	for _, id := range rec.Articles {
		m, ok := rec.Members[id]
		if !ok {
			continue
		}
		seen, t := time.Unix(m.Seen, 0).UTC(), time.Unix(m.Time, 0).UTC()
		if rec.FirstSeen.IsZero() || seen.Before(rec.FirstSeen) {
			rec.FirstSeen = seen
		}
		if seen.After(rec.Updated) {
			rec.Updated = seen
		}
		if rec.Published.IsZero() || t.Before(rec.Published) {
			rec.Published = t
		}
		c := rec.Centrality[id]
		if h, ok := best[m.Lang]; !ok || c > h {
			best[m.Lang] = c
			if m.Lang != "" {
				rec.Headlines[m.Lang] = m.Title
			}
		}
		if h, ok := best["*"]; !ok || c > h {
			best["*"], rec.Headline, rec.HeadlineLang = c, m.Title, m.Lang
		}
	}
}

// byCount returns the keys of counts, most counted first, then in order.
func byCount(counts map[string]int) []string {
	keys := slices.Sorted(maps.Keys(counts))
	slices.SortStableFunc(keys, func(x, y string) int { return cmp.Compare(counts[y], counts[x]) })
	return keys
}

// Story returns the story of the given id, or an error wrapping
// ottwatch.ErrNotFound.
func (ar *Archive) Story(id string) (*ottwatch.Story, error) {
	var rec *storyRecord
	err := ar.view(func(tx *bolt.Tx) error {
		var err error
		rec, err = readStory(tx, id)
		if err == nil && rec == nil {
			err = ottwatch.ErrNotFound
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("archive: story %s: %w", id, err)
	}
	return &rec.Story, nil
}

// StoryFilter selects stories: those that name all of Entities, have an
// article in one of Langs and one of Topics (when given), and were updated
// at or after Since.
type StoryFilter struct {
	Entities []string
	Langs    []string
	Topics   []string
	Since    time.Time
	Limit    int // 0 for all
}

// match reports whether s passes f.
func (f StoryFilter) match(s *ottwatch.Story) bool {
	for _, e := range f.Entities {
		if !slices.Contains(s.Entities, e) {
			return false
		}
	}
	anyOf := func(want, have []string) bool {
		return len(want) == 0 || slices.ContainsFunc(want, func(x string) bool { return slices.Contains(have, x) })
	}
	return anyOf(f.Langs, s.Langs) && anyOf(f.Topics, s.Topics) && (f.Since.IsZero() || !s.Updated.Before(f.Since))
}

// Stories returns the stories f selects, the most recently changed first.
func (ar *Archive) Stories(f StoryFilter) ([]*ottwatch.Story, error) {
	var out []*ottwatch.Story
	err := ar.scanStories(0, true, func(s *ottwatch.Story) bool {
		if f.match(s) {
			out = append(out, s)
		}
		return f.Limit <= 0 || len(out) < f.Limit
	})
	return out, err
}

// StoriesAfter returns up to limit stories whose last change came after
// sequence seq, in the order they changed.
func (ar *Archive) StoriesAfter(seq uint64, limit int) ([]*ottwatch.Story, error) {
	var out []*ottwatch.Story
	err := ar.scanStories(seq, false, func(s *ottwatch.Story) bool {
		out = append(out, s)
		return len(out) < limit
	})
	return out, err
}

// scanStories calls fn with each story changed after sequence seq, in the
// order they changed (newest first if asked), until fn returns false.
func (ar *Archive) scanStories(seq uint64, newestFirst bool, fn func(*ottwatch.Story) bool) error {
	err := ar.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketStorySeq)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		first, next := func() ([]byte, []byte) { return c.Seek(seqKey(seq + 1)) }, c.Next
		if newestFirst {
			first, next = c.Last, c.Prev
		}
		for k, id := first(); k != nil && binary.BigEndian.Uint64(k) > seq; k, id = next() {
			rec, err := readStory(tx, string(id))
			if err != nil {
				return err
			}
			if rec != nil && !fn(&rec.Story) {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("archive: stories: %w", err)
	}
	return nil
}

// Moves returns the recorded moves of articles between stories, in the
// order they happened.
func (ar *Archive) Moves() ([]Move, error) {
	var out []Move
	err := ar.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketMoves)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var m Move
			if err := json.Unmarshal(v, &m); err != nil {
				return fmt.Errorf("move: %w", err)
			}
			out = append(out, m)
			return nil
		})
	})
	return out, err
}

// Recluster assigns every archived article to its story again, in the
// order the articles were archived, as if each were archived anew:
// stories, their records and the recorded moves are rebuilt. Article
// sequences do not change; indexes hold the old stories until they are
// rebuilt. It returns how many stories there are.
func (ar *Archive) Recluster() (int, error) {
	n := 0
	err := ar.update(func(tx *bolt.Tx) error {
		for _, name := range storyBuckets {
			if err := tx.DeleteBucket(name); err != nil && !errors.Is(err, bolterrors.ErrBucketNotFound) {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		articles := tx.Bucket(bucketArticles)
		c := tx.Bucket(bucketSeq).Cursor()
		for k, id := c.First(); k != nil; k, id = c.Next() {
			rec, err := decodeRecord(id, articles.Get(id))
			if err != nil {
				return err
			}
			a := rec.Article
			a.Cluster = ""
			if err := assign(tx, a, nil, rec.Seq); err != nil {
				return fmt.Errorf("article %s: %w", id, err)
			}
			if err := indexStory(tx, a, rec.Seq); err != nil {
				return err
			}
			raw, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			if err := articles.Put(bytes.Clone(id), raw); err != nil {
				return err
			}
		}
		sc := tx.Bucket(bucketStoryRec).Cursor()
		for k, _ := sc.First(); k != nil; k, _ = sc.Next() {
			n++
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("archive: recluster: %w", err)
	}
	return n, nil
}
