package index

import (
	"github.com/ottwatch/ottwatch"
)

// Paging limits every backend applies to a query (see ottwatch.Query.Check).
const (
	DefaultLimit = ottwatch.DefaultLimit
	MaxLimit     = ottwatch.MaxLimit
	MaxOffset    = ottwatch.MaxOffset
)
