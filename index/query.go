package index

import (
	"fmt"
	"time"

	"github.com/ottwatch/ottwatch"
)

// Paging limits every backend applies to a query.
const (
	DefaultLimit = 10      // hits per page when the query says none
	MaxLimit     = 1000    // larger limits are cut to this
	MaxOffset    = 100_000 // deeper pages are refused
)

// CheckQuery checks what every backend refuses in a query — a negative
// limit, an offset out of range, an Until not after Since — and returns the
// page it asks for, with the defaults applied.
func CheckQuery(q ottwatch.Query) (limit, offset int, err error) {
	limit, offset = q.Limit, q.Offset
	switch {
	case limit < 0:
		return 0, 0, fmt.Errorf("negative limit %d", limit)
	case limit == 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	if offset < 0 || offset > MaxOffset {
		return 0, 0, fmt.Errorf("offset %d out of [0, %d]", offset, MaxOffset)
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Until.After(q.Since) {
		return 0, 0, fmt.Errorf("until %s is not after since %s",
			q.Until.Format(time.RFC3339), q.Since.Format(time.RFC3339))
	}
	return limit, offset, nil
}
