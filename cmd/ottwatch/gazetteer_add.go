package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// gazetteerAddOptions are the options of 'ottwatch gazetteer add'.
type gazetteerAddOptions struct {
	*globals
	Name     string
	ID       string
	Type     string
	Country  string
	Parent   string
	Wikidata string
	Aliases  []string
}

func newGazetteerAddCmd(g *globals) *cobra.Command {
	o := &gazetteerAddOptions{globals: g}
	cmd := &cobra.Command{
		Use:   "add NAME",
		Short: "Add an entity to the gazetteer overlay (then run 'ottwatch reindex' to tag the archive)",
		Example: `  ottwatch gazetteer add "Nordlicht Netz" --type company --country DE
  ottwatch gazetteer add "Ondaverde Mobile" --id ondaverde --type product --alias Ondaverde`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.Name = args[0]
			return runGazetteerAdd(o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.ID, "id", "", "the entity's id, a lower-case slug (default: made from the name)")
	f.StringVar(&o.Type, "type", "company", "company, regulator, court, government, person or product")
	f.StringVar(&o.Country, "country", "", "ISO 3166-1 alpha-2 code of its seat")
	f.StringVar(&o.Parent, "parent", "", "the id of its parent (group, owner)")
	f.StringVar(&o.Wikidata, "wikidata", "", "its Wikidata id, only if sure")
	f.StringSliceVar(&o.Aliases, "alias", nil, "how articles write it (default: the name)")
	return cmd
}

var nonSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes an entity id of a name: "Nordlicht Netz" is nordlicht-netz.
func slug(name string) string {
	return strings.Trim(nonSlug.ReplaceAllString(textnorm.Fold(name), "-"), "-")
}

func runGazetteerAdd(o *gazetteerAddOptions) error {
	e := ottwatch.Entity{ID: o.ID, Name: strings.TrimSpace(o.Name), Type: ottwatch.EntityType(strings.ToLower(o.Type)),
		Country: strings.ToUpper(o.Country), Parent: o.Parent, Wikidata: o.Wikidata, Aliases: o.Aliases}
	if e.Name == "" {
		return errors.New("give the entity's name")
	}
	if e.ID == "" {
		e.ID = slug(e.Name)
	}
	if e.Parent != "" {
		gaz, err := o.gazetteer()
		if err != nil {
			return err
		}
		p, ok := gaz.Lookup(e.Parent)
		if !ok {
			return fmt.Errorf("--parent %q: no such entity%s (see 'ottwatch entities')", e.Parent, didYouMean(gaz.Suggest(e.Parent)))
		}
		e.Parent = p.ID
	}
	path := o.overlayFile()
	overlay, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("gazetteer overlay: %w", err)
	}
	var base io.Reader
	if o.gazFile != "" {
		f, err := os.Open(o.gazFile)
		if err != nil {
			return fmt.Errorf("gazetteer: %w", err)
		}
		defer f.Close()
		base = f
	}
	out, err := nlp.AddToOverlay(base, overlay, e)
	if err != nil {
		return fmt.Errorf("add %s: %w", e.ID, err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("gazetteer overlay: %w", err)
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := w.Write(out); return err }); err != nil {
		return fmt.Errorf("gazetteer overlay: %w", err)
	}
	fmt.Fprintf(o.io.Out, "added %s (%s) to %s; run 'ottwatch reindex' to tag the archive with it\n", e.ID, e.Name, path)
	return nil
}
