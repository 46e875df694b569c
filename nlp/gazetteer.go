package nlp

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	ahocorasick "github.com/petar-dambovaliev/aho-corasick"
	"go.yaml.in/yaml/v3"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

//go:embed gazetteer.yaml
var defaultGazetteerYAML []byte

// Gazetteer is the set of known entities and topics, compiled into one
// multi-pattern automaton over folded text. It is safe for concurrent use.
type Gazetteer struct {
	entities []ottwatch.Entity
	byID     map[string]int
	children map[string][]string
	topics   []Topic
	// patterns[i] are the aliases and terms whose folded form is the i-th
	// pattern; keys gives the index of each pattern's words, folded and
	// joined by single spaces, and maxWords is the most words one has.
	patterns [][]*alias
	keys     map[string]int
	maxWords int
	// automaton finds the patterns in texts longer than shortScan words.
	// It is built the first time one is tagged: a command that tags
	// nothing, or only a query or a title, does without it.
	automaton func() ahocorasick.AhoCorasick
}

// Topic is a subject an article can be tagged with, recognised by its terms
// in each language.
type Topic struct {
	ID    string              `json:"id" yaml:"id"`
	Name  string              `json:"name" yaml:"name"`
	Terms map[string][]string `json:"terms" yaml:"terms"`
}

// alias is one way of writing an entity (or one term of a topic) and the
// rules that decide whether an occurrence counts.
type alias struct {
	Text             string   `yaml:"text"`
	Case             string   `yaml:"case"`
	Langs            []string `yaml:"langs"`
	NotSentenceStart bool     `yaml:"not_sentence_start"`
	NotAfter         []string `yaml:"not_after"`
	NotBefore        []string `yaml:"not_before"`
	Near             []string `yaml:"near"`
	NotNear          []string `yaml:"not_near"`

	entity    int // index into entities, or -1 for a topic term
	topic     int
	exact     []string   // the words with their case, for case: exact
	notAfter  [][]string // folded word sequences
	notBefore [][]string
	near      [][]string
	notNear   [][]string
}

// UnmarshalYAML accepts an alias either as a plain string or as a mapping
// with rules.
func (a *alias) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		return n.Decode(&a.Text)
	}
	type plain alias
	return n.Decode((*plain)(a))
}

type gazetteerFile struct {
	Entities []struct {
		ID       string   `yaml:"id"`
		Name     string   `yaml:"name"`
		Type     string   `yaml:"type"`
		Country  string   `yaml:"country"`
		Wikidata string   `yaml:"wikidata"`
		Parent   string   `yaml:"parent"`
		Aliases  []*alias `yaml:"aliases"`
	} `yaml:"entities"`
	Topics []Topic `yaml:"topics"`
}

var (
	slugRE     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	wikidataRE = regexp.MustCompile(`^Q[1-9][0-9]*$`)
)

var defaultGazetteer = sync.OnceValues(func() (*Gazetteer, error) {
	return LoadGazetteer(strings.NewReader(string(defaultGazetteerYAML)))
})

// LoadOverlay returns the embedded gazetteer with the entities and topics
// of overlay, a YAML file of the same form, added.
func LoadOverlay(overlay io.Reader) (*Gazetteer, error) {
	return LoadGazetteer(bytes.NewReader(defaultGazetteerYAML), overlay)
}

// DefaultGazetteer returns the gazetteer embedded in the binary. It panics
// if the embedded file is invalid, which the package's tests rule out.
func DefaultGazetteer() *Gazetteer {
	g, err := defaultGazetteer()
	if err != nil {
		panic(err)
	}
	return g
}

// LoadGazetteer reads and validates a gazetteer in YAML, and adds to it
// the entities and topics of the overlays that follow (a user's own
// entities, see LoadOverlay), which may not redefine one of its ids.
func LoadGazetteer(r io.Reader, overlays ...io.Reader) (*Gazetteer, error) {
	var f gazetteerFile
	for i, r := range append([]io.Reader{r}, overlays...) {
		var part gazetteerFile
		dec := yaml.NewDecoder(r)
		dec.KnownFields(true)
		if err := dec.Decode(&part); err != nil && (i == 0 || !errors.Is(err, io.EOF)) {
			return nil, fmt.Errorf("gazetteer: %w", err)
		}
		f.Entities = append(f.Entities, part.Entities...)
		f.Topics = append(f.Topics, part.Topics...)
	}
	g := &Gazetteer{byID: make(map[string]int)}
	var all []*alias
	for i, e := range f.Entities {
		ent := ottwatch.Entity{ID: e.ID, Name: e.Name, Type: ottwatch.EntityType(e.Type),
			Country: e.Country, Wikidata: e.Wikidata, Parent: e.Parent}
		if err := checkEntity(ent); err != nil {
			return nil, fmt.Errorf("gazetteer: entity %d: %w", i+1, err)
		}
		if _, dup := g.byID[e.ID]; dup {
			return nil, fmt.Errorf("gazetteer: entity %q defined twice", e.ID)
		}
		if len(e.Aliases) == 0 {
			return nil, fmt.Errorf("gazetteer: entity %q has no aliases", e.ID)
		}
		g.byID[e.ID] = len(g.entities)
		for _, a := range e.Aliases {
			if err := a.compile(); err != nil {
				return nil, fmt.Errorf("gazetteer: entity %q: %w", e.ID, err)
			}
			a.entity, a.topic = len(g.entities), -1
			ent.Aliases = append(ent.Aliases, a.Text)
			all = append(all, a)
		}
		g.entities = append(g.entities, ent)
	}
	g.children = make(map[string][]string)
	for _, e := range g.entities {
		if e.Parent == "" {
			continue
		}
		if _, ok := g.byID[e.Parent]; !ok {
			return nil, fmt.Errorf("gazetteer: entity %q: unknown parent %q", e.ID, e.Parent)
		}
		g.children[e.Parent] = append(g.children[e.Parent], e.ID)
	}
	for _, e := range g.entities {
		if err := g.checkCycle(e.ID); err != nil {
			return nil, fmt.Errorf("gazetteer: %w", err)
		}
	}
	topicIDs := make(map[string]bool)
	for i, t := range f.Topics {
		if !slugRE.MatchString(t.ID) || t.Name == "" || topicIDs[t.ID] {
			return nil, fmt.Errorf("gazetteer: topic %d: id %q must be a new slug and have a name", i+1, t.ID)
		}
		topicIDs[t.ID] = true
		for lang, terms := range t.Terms {
			for _, term := range terms {
				a := &alias{Text: term, Langs: []string{lang}, entity: -1, topic: i}
				if err := a.compile(); err != nil {
					return nil, fmt.Errorf("gazetteer: topic %q: %w", t.ID, err)
				}
				all = append(all, a)
			}
		}
	}
	g.topics = f.Topics
	if err := g.build(all); err != nil {
		return nil, fmt.Errorf("gazetteer: %w", err)
	}
	return g, nil
}

func checkEntity(e ottwatch.Entity) error {
	switch {
	case !slugRE.MatchString(e.ID):
		return fmt.Errorf("id %q is not a lower-case slug", e.ID)
	case e.Name == "":
		return fmt.Errorf("%q has no name", e.ID)
	case !e.Type.Valid():
		return fmt.Errorf("%q has unknown type %q", e.ID, e.Type)
	case e.Wikidata != "" && !wikidataRE.MatchString(e.Wikidata):
		return fmt.Errorf("%q has malformed wikidata id %q", e.ID, e.Wikidata)
	case e.Parent == e.ID:
		return fmt.Errorf("%q is its own parent", e.ID)
	}
	return nil
}

func (a *alias) compile() error {
	toks := tokenize(a.Text)
	if len(toks) == 0 {
		return fmt.Errorf("alias %q has no words", a.Text)
	}
	switch a.Case {
	case "", "insensitive":
	case "exact":
		for _, t := range toks {
			a.exact = append(a.exact, textnorm.StripMarks(a.Text[t.start:t.end]))
		}
	default:
		return fmt.Errorf("alias %q: case must be exact or insensitive, not %q", a.Text, a.Case)
	}
	for _, l := range a.Langs {
		if !slugRE.MatchString(l) || len(l) != 2 {
			return fmt.Errorf("alias %q: %q is not a two-letter language code", a.Text, l)
		}
	}
	for _, r := range []struct {
		name  string
		words []string
		to    *[][]string
	}{{"not_after", a.NotAfter, &a.notAfter}, {"not_before", a.NotBefore, &a.notBefore},
		{"near", a.Near, &a.near}, {"not_near", a.NotNear, &a.notNear}} {
		for _, s := range r.words {
			seq := strings.Fields(joinFolded(tokenize(s)))
			if len(seq) == 0 {
				return fmt.Errorf("alias %q: %s %q has no words", a.Text, r.name, s)
			}
			*r.to = append(*r.to, seq)
		}
	}
	return nil
}

// ruleless reports whether the alias matches wherever its words occur.
func (a *alias) ruleless() bool {
	return a.exact == nil && len(a.Langs) == 0 && !a.NotSentenceStart && a.notAfter == nil && a.notBefore == nil &&
		a.near == nil && a.notNear == nil
}

// build compiles all aliases and terms into patterns. Two entities may
// not share an alias that has no rules to tell them apart.
func (g *Gazetteer) build(all []*alias) error {
	g.keys = make(map[string]int)
	var padded []string
	for _, a := range all {
		key := joinFolded(tokenize(a.Text))
		i, ok := g.keys[key]
		if !ok {
			i = len(padded)
			g.keys[key] = i
			padded = append(padded, padKey(key))
			g.patterns = append(g.patterns, nil)
			g.maxWords = max(g.maxWords, strings.Count(key, " ")+1)
		}
		for _, b := range g.patterns[i] {
			if a.entity >= 0 && b.entity >= 0 && a.entity != b.entity && a.ruleless() && b.ruleless() {
				return fmt.Errorf("alias %q belongs to both %q and %q", a.Text, g.entities[b.entity].ID, g.entities[a.entity].ID)
			}
		}
		g.patterns[i] = append(g.patterns[i], a)
	}
	// Rule-bearing aliases are tried first, so the more specific wins.
	for _, p := range g.patterns {
		slices.SortStableFunc(p, func(a, b *alias) int {
			return boolCmp(a.ruleless(), b.ruleless())
		})
	}
	// The NFA builds in a few milliseconds where the DFA takes ~150 ms; it
	// tags about 0.1 ms slower per article, a trifle beside language
	// detection.
	g.automaton = sync.OnceValue(func() ahocorasick.AhoCorasick {
		builder := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{
			MatchKind: ahocorasick.LeftMostLongestMatch,
			DFA:       false,
		})
		return builder.Build(padded)
	})
	return nil
}

// padKey returns the automaton's pattern for a key of folded words joined
// by single spaces: each word between spaces, words two spaces apart, as
// scan lays out the text, so that a pattern only ever matches whole words
// ("iliad sa" does not match the start of "iliad said").
func padKey(key string) string {
	return " " + strings.ReplaceAll(key, " ", "  ") + " "
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// Entities returns the entities of the gazetteer in file order.
func (g *Gazetteer) Entities() []ottwatch.Entity {
	return slices.Clone(g.entities)
}

// Entity returns the entity with the given id.
func (g *Gazetteer) Entity(id string) (ottwatch.Entity, bool) {
	i, ok := g.byID[id]
	if !ok {
		return ottwatch.Entity{}, false
	}
	return g.entities[i], true
}

// checkCycle reports an error when following parents from id comes back
// to an entity already met.
func (g *Gazetteer) checkCycle(id string) error {
	seen := map[string]bool{id: true}
	for p := g.entities[g.byID[id]].Parent; p != ""; p = g.entities[g.byID[p]].Parent {
		if seen[p] {
			return fmt.Errorf("entity %q: its parents loop back to %q", id, p)
		}
		seen[p] = true
	}
	return nil
}

// Descendants returns the ids of the entities under id (its subsidiaries,
// brands and products, and theirs), in breadth-first order, or nil when
// it has none or is unknown. It makes the gazetteer an
// ottwatch.EntityTree.
func (g *Gazetteer) Descendants(id string) []string {
	var out []string
	queue := []string{id}
	for len(queue) > 0 {
		kids := g.children[queue[0]]
		queue = append(queue[1:], kids...)
		out = append(out, kids...)
	}
	return out
}

// Ancestors returns the ids of the entities above id, its parent first,
// or nil when it has none or is unknown.
func (g *Gazetteer) Ancestors(id string) []string {
	i, ok := g.byID[id]
	if !ok {
		return nil
	}
	var out []string
	for p := g.entities[i].Parent; p != ""; p = g.entities[g.byID[p]].Parent {
		out = append(out, p)
	}
	return out
}

// TopicList returns the topics of the gazetteer in file order.
func (g *Gazetteer) TopicList() []Topic {
	return slices.Clone(g.topics)
}

// Vocabulary returns the terms of the topics by language: words of the
// market in each language, which language detection counts on short texts.
func (g *Gazetteer) Vocabulary() map[string][]string {
	vocab := make(map[string][]string)
	for _, t := range g.topics {
		for lang, terms := range t.Terms {
			vocab[lang] = append(vocab[lang], terms...)
		}
	}
	return vocab
}

// Lookup finds an entity by id, or by name or alias in any case and with
// or without accents: "poste-italiane", "Poste Italiane" and "poste
// italiane" all find Poste Italiane.
func (g *Gazetteer) Lookup(s string) (ottwatch.Entity, bool) {
	if e, ok := g.Entity(strings.TrimSpace(s)); ok {
		return e, true
	}
	key := joinFolded(tokenize(s))
	if key == "" {
		return ottwatch.Entity{}, false
	}
	for _, e := range g.entities {
		if joinFolded(tokenize(e.Name)) == key {
			return e, true
		}
	}
	for _, e := range g.entities {
		for _, alias := range e.Aliases {
			if joinFolded(tokenize(alias)) == key {
				return e, true
			}
		}
	}
	return ottwatch.Entity{}, false
}

// Synonyms returns, for every alias that matches wherever it occurs, the
// entity's other such aliases: "agcom" ↔ "autorita per le garanzie nelle
// comunicazioni". Aliases that are ordinary words in some context (those
// with rules) are left out, so a search for them keeps its plain meaning.
func (g *Gazetteer) Synonyms() map[string][]string {
	byEntity := make(map[int][]string)
	for _, p := range g.patterns {
		for _, a := range p {
			if a.entity >= 0 && a.ruleless() {
				byEntity[a.entity] = append(byEntity[a.entity], strings.ToLower(a.Text))
			}
		}
	}
	syn := make(map[string][]string)
	for _, aliases := range byEntity {
		slices.Sort(aliases)
		aliases = slices.Compact(aliases)
		if len(aliases) < 2 {
			continue
		}
		for _, a := range aliases {
			for _, b := range aliases {
				if a != b {
					syn[a] = append(syn[a], b)
				}
			}
		}
	}
	return syn
}
