package index

import (
	"fmt"
	"slices"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// TestNearestEntries checks which entries of an entity's window are read,
// and in which order: the nearest in time first, on both sides (the later
// of two as near), up to the limit, never another entity's nor one outside
// the window.
func TestNearestEntries(t *testing.T) {
	ar := openTestArchive(t)
	const hour = 3600
	entries := map[string][]int64{ // entity → entry times, in hours; entry ids are "entity@time"
		"tim":        {-30, -12, -5, -1, 0, 2, 3, 12, 30},
		"ti":         {0, 1},
		"tim-brasil": {0, 1},
	}
	err := ar.db.Update(func(tx *bolt.Tx) error {
		for e, times := range entries {
			for _, h := range times {
				if err := tx.Bucket(bucketEvents).Put(eventKey(e, h*hour, fmt.Sprintf("%s@%d", e, h)), nil); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		e    string
		t, w int64 // hours
		max  int
		skip string
		want []string
	}{
		{"whole window, nearest first", "tim", 0, 24, 100, "", []string{"tim@0", "tim@-1", "tim@2", "tim@3", "tim@-5", "tim@12", "tim@-12"}},
		{"limit keeps the nearest", "tim", 0, 24, 3, "", []string{"tim@0", "tim@-1", "tim@2"}},
		{"skipped entries do not count", "tim", 0, 24, 3, "tim@0", []string{"tim@0", "tim@-1", "tim@2", "tim@3"}},
		{"window bounds inclusive", "tim", 0, 12, 100, "", []string{"tim@0", "tim@-1", "tim@2", "tim@3", "tim@-5", "tim@12", "tim@-12"}},
		{"between entries", "tim", 20, 10, 100, "", []string{"tim@12", "tim@30"}},
		{"after the last entry", "tim", 100, 80, 100, "", []string{"tim@30"}},
		{"before the first entry", "tim", -100, 80, 100, "", []string{"tim@-30"}},
		{"unknown entity", "arcep", 0, 24, 100, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ar.db.View(func(tx *bolt.Tx) error {
				nearestEntries(tx.Bucket(bucketEvents), tt.e, tt.t*hour, tt.w*hour, tt.max, func(id []byte) bool {
					got = append(got, string(id))
					return string(id) != tt.skip
				})
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
