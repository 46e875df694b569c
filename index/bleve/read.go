package bleve

import (
	"context"
	"fmt"

	blevesearch "github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// Get returns the article with id, as it was upserted, or an error wrapping
// ottwatch.ErrNotFound.
func (x *Index) Get(ctx context.Context, id string) (*ottwatch.Article, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("get article %s: %w", id, err)
	}
	if id == "" {
		return nil, fmt.Errorf("get article with empty id: %w", ottwatch.ErrNotFound)
	}
	var a *ottwatch.Article
	err := x.use(func(idx blevesearch.Index) error {
		var err error
		a, err = storedArticle(idx, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("get article %s: %w", id, err)
	}
	return a, nil
}

// storedArticle returns the article stored with document id, or
// ottwatch.ErrNotFound.
func storedArticle(idx blevesearch.Index, id string) (*ottwatch.Article, error) {
	doc, err := idx.Document(id)
	if err != nil {
		return nil, err
	}
	var raw []byte
	if doc != nil {
		doc.VisitFields(func(f bleveindex.Field) {
			if f.Name() == index.FieldArticle {
				raw = append([]byte(nil), f.Value()...)
			}
		})
	}
	if raw == nil {
		return nil, ottwatch.ErrNotFound
	}
	return index.DecodeArticle(raw)
}

// Count returns the number of indexed articles.
func (x *Index) Count(ctx context.Context) (int, error) {
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	var n uint64
	err := x.use(func(idx blevesearch.Index) error {
		var err error
		n, err = idx.DocCount()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	return int(n), nil
}
