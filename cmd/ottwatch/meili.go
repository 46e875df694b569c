package main

import (
	"context"
	"errors"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/meili"
)

// openMeili opens the configured Meilisearch index, with the gazetteer's
// aliases as synonyms.
func (g *globals) openMeili(ctx context.Context, s *settings) (ottwatch.Index, error) {
	gaz, err := g.gazetteer()
	if err != nil {
		return nil, err
	}
	cfg := meili.Config{URL: s.MeiliURL.Value, APIKey: meili.Secret(s.MeiliKey.Value), IndexUID: s.MeiliIndex.Value,
		Synonyms: gaz.Synonyms()}
	return meili.Open(ctx, cfg, meili.WithLogger(g.logger()))
}

// meiliUnreachable reports whether err says Meilisearch could not be reached.
func meiliUnreachable(err error) bool { return errors.Is(err, meili.ErrUnreachable) }
