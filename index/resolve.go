package index

import (
	"bytes"
	"errors"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"github.com/ottwatch/ottwatch"
)

// ErrAmbiguous is returned by Resolve for an id prefix several articles
// share.
var ErrAmbiguous = errors.New("ambiguous")

// minPrefix is the shortest id prefix Resolve takes.
const minPrefix = 4

// Resolve returns the id of the archived article ref names: its id, a
// prefix of its id (of minPrefix characters at least, shared by no other
// article), the URL it was fetched from or its canonical URL. It returns
// an error wrapping ottwatch.ErrNotFound when none matches and one
// wrapping ErrAmbiguous, listing some of them, when several do.
func (ar *Archive) Resolve(ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	var id string
	err := ar.view(func(tx *bolt.Tx) error {
		articles := tx.Bucket(bucketArticles)
		if strings.Contains(ref, "://") {
			if v := tx.Bucket(bucketURLs).Get([]byte(ref)); v != nil {
				id = string(v)
				return nil
			}
			if canonical := ottwatch.ArticleID(ref); articles.Get([]byte(canonical)) != nil {
				id = canonical
				return nil
			}
			return fmt.Errorf("no archived article at %s: %w", ref, ottwatch.ErrNotFound)
		}
		prefix := []byte(strings.ToLower(ref))
		if len(prefix) < minPrefix {
			return fmt.Errorf("id %q: give %d characters at least", ref, minPrefix)
		}
		var found []string
		c := articles.Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix) && len(found) < 5; k, _ = c.Next() {
			found = append(found, string(k))
		}
		switch {
		case len(found) == 0:
			return fmt.Errorf("no archived article with id %s: %w", ref, ottwatch.ErrNotFound)
		case len(found) > 1 && found[0] != string(prefix):
			return fmt.Errorf("id %s is %w: %s…", ref, ErrAmbiguous, strings.Join(found, ", "))
		}
		id = found[0]
		return nil
	})
	return id, err
}
