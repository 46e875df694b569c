package meili

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ottwatch/ottwatch"
)

// Get returns the article with id, as it was upserted, or an error
// wrapping ottwatch.ErrNotFound.
func (x *Index) Get(ctx context.Context, id string) (*ottwatch.Article, error) {
	if err := x.use(ctx); err != nil {
		return nil, fmt.Errorf("get article %s: %w", id, err)
	}
	if !validID(id) {
		// Meilisearch cannot hold such a document.
		return nil, fmt.Errorf("get article %q: %w", id, ottwatch.ErrNotFound)
	}
	var fields map[string]json.RawMessage
	if err := x.idx.GetDocumentWithContext(ctx, id, nil, &fields); err != nil {
		err = convert(err)
		if hasCode(err, "document_not_found") {
			return nil, fmt.Errorf("get article %s: %w", id, ottwatch.ErrNotFound)
		}
		return nil, fmt.Errorf("get article %s: %w", id, err)
	}
	a, err := decodeArticle(fields)
	if err != nil {
		return nil, fmt.Errorf("get article %s: %w", id, err)
	}
	return a, nil
}

// Count returns the number of indexed articles. Writes wait for their
// tasks, so it counts every write that returned.
func (x *Index) Count(ctx context.Context) (int, error) {
	if err := x.use(ctx); err != nil {
		return 0, fmt.Errorf("count articles: %w", err)
	}
	stats, err := x.idx.GetStatsWithContext(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("count articles: %w", convert(err))
	}
	return int(stats.NumberOfDocuments), nil
}
