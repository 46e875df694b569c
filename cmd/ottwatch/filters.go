package main

import (
	"fmt"
	"strings"

	"github.com/ottwatch/ottwatch/nlp"
)

// entityFilter returns the ids of the entities values name (by id, name or
// alias), or an error naming the flag, the unknown value and the closest
// known ids.
func entityFilter(gaz *nlp.Gazetteer, flag string, values []string) ([]string, error) {
	var ids []string
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		e, ok := gaz.Lookup(v)
		if !ok {
			return nil, fmt.Errorf("%s %q: no such entity%s (see 'ottwatch entities')", flag, v, didYouMean(gaz.Suggest(v)))
		}
		ids = append(ids, e.ID)
	}
	return ids, nil
}

// topicFilter returns the topic ids of values, lower-cased, or an error
// naming the flag, the unknown value and the closest known ids.
func topicFilter(gaz *nlp.Gazetteer, flag string, values []string) ([]string, error) {
	var ids []string
	for _, v := range lower(values) {
		if _, ok := gaz.Topic(v); !ok {
			return nil, fmt.Errorf("%s %q: no such topic%s (see 'ottwatch topics')", flag, v, didYouMean(gaz.SuggestTopics(v)))
		}
		ids = append(ids, v)
	}
	return ids, nil
}

// didYouMean returns ": did you mean a, b?" for suggestions, or "".
func didYouMean(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return "; did you mean " + strings.Join(ids, ", ") + "?"
}
