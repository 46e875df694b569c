package nlp

import (
	"bytes"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/ottwatch/ottwatch"
)

// overlayEntity is an entity as an overlay file writes it: aliases as
// plain strings, matched whole-word in any case.
type overlayEntity struct {
	ID       string   `yaml:"id"`
	Name     string   `yaml:"name"`
	Type     string   `yaml:"type"`
	Country  string   `yaml:"country,omitempty"`
	Wikidata string   `yaml:"wikidata,omitempty"`
	Parent   string   `yaml:"parent,omitempty"`
	Aliases  []string `yaml:"aliases"`
}

// AddToOverlay returns overlay, a user's gazetteer overlay in YAML (empty
// for a new one), with e added as a new entity, after checking that base
// (the embedded gazetteer when nil) with the new overlay is a valid
// gazetteer: a new id, a known parent, aliases no other entity has. Rules
// the overlay had for its aliases are kept as they were.
func AddToOverlay(base io.Reader, overlay []byte, e ottwatch.Entity) ([]byte, error) {
	var doc struct {
		Entities []yaml.Node `yaml:"entities"`
		Topics   []yaml.Node `yaml:"topics,omitempty"`
	}
	if len(bytes.TrimSpace(overlay)) > 0 {
		if err := yaml.Unmarshal(overlay, &doc); err != nil {
			return nil, fmt.Errorf("overlay: %w", err)
		}
	}
	if len(e.Aliases) == 0 {
		e.Aliases = []string{e.Name}
	}
	var n yaml.Node
	if err := n.Encode(overlayEntity{ID: e.ID, Name: e.Name, Type: string(e.Type), Country: e.Country,
		Wikidata: e.Wikidata, Parent: e.Parent, Aliases: e.Aliases}); err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	doc.Entities = append(doc.Entities, n)
	out, err := yaml.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("overlay: %w", err)
	}
	if base == nil {
		base = bytes.NewReader(defaultGazetteerYAML)
	}
	if _, err := LoadGazetteer(base, bytes.NewReader(out)); err != nil {
		return nil, err
	}
	return append([]byte("# ottwatch gazetteer overlay: entities added with 'ottwatch gazetteer add'.\n"), out...), nil
}
