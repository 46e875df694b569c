package main

import (
	"context"
	"errors"

	"github.com/ottwatch/ottwatch"
)

// errNoMeili says this build has no Meilisearch backend yet.
var errNoMeili = errors.New("this build of ottwatch has no Meilisearch backend yet: use --index bleve")

func (g *globals) openMeili(ctx context.Context, s *settings) (ottwatch.Index, error) {
	return nil, errNoMeili
}

func meiliUnreachable(err error) bool { return false }
