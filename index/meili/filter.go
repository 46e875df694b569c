package meili

import (
	"strconv"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index"
)

// quote returns v as a double-quoted Meilisearch filter value: backslashes
// and double quotes are escaped, so that no value can change the filter.
func quote(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(v) + `"`
}

// filterExpr returns the Meilisearch filter of the filters of q, or "" for
// none: Langs, Sources, Topics and Stories match any of their values, Entities all
// of them (each with its alternatives, see ottwatch.Query.EntityAlternatives), Since and Until bound published_at, in Unix seconds, so that
// articles without a date never match a date filter, and SeenSince and
// SeenUntil bound fetched_at alike. Empty values are
// ignored.
func filterExpr(q ottwatch.Query) string {
	var parts []string
	anyOf := func(field string, values []string) {
		var quoted []string
		for _, v := range values {
			if v != "" {
				quoted = append(quoted, quote(v))
			}
		}
		if len(quoted) > 0 {
			parts = append(parts, field+" IN ["+strings.Join(quoted, ", ")+"]")
		}
	}
	anyOf(index.FieldLang, q.Langs)
	anyOf(index.FieldSource, q.Sources)
	anyOf(index.FieldTopics, q.Topics)
	anyOf(index.FieldCluster, q.Stories)
	for _, alt := range q.EntityAlternatives() {
		if len(alt) == 1 {
			parts = append(parts, index.FieldEntities+" = "+quote(alt[0]))
		} else {
			anyOf(index.FieldEntities, alt)
		}
	}
	anyOf(index.FieldEntities, q.AnyEntities)
	if n := len(parts); len(q.NotEntities) > 0 {
		anyOf(index.FieldEntities, q.NotEntities)
		if len(parts) > n {
			parts[n] = "NOT " + parts[n]
		}
	}
	dates := func(field string, since, until time.Time) {
		if !since.IsZero() {
			parts = append(parts, field+" >= "+strconv.FormatInt(since.Unix(), 10))
		}
		if !until.IsZero() {
			parts = append(parts, field+" < "+strconv.FormatInt(until.Unix(), 10))
		}
	}
	dates(index.FieldPublished, q.Since, q.Until)
	dates(index.FieldFetched, q.SeenSince, q.SeenUntil)
	return strings.Join(parts, " AND ")
}
