package feeds

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Group is how a digest is divided into sections.
type Group string

// The groupings of a digest.
const (
	GroupDay    Group = "day"    // one section per publication day, newest first
	GroupEntity Group = "entity" // one section per entity
)

// ParseGroup reads a grouping: day or entity.
func ParseGroup(s string) (Group, error) {
	switch g := Group(strings.ToLower(strings.TrimSpace(s))); g {
	case GroupDay, GroupEntity:
		return g, nil
	}
	return "", fmt.Errorf("group %q: want day or entity", s)
}

// sections divides items (newest first) by g. By day, sections are days,
// newest first, undated items last. By entity, each story goes in the
// section of its main entity: the followed entity it names most, or, when it
// names none of them, the entity it names most; sections of followed
// entities come first in their order, then the rest by number of stories,
// and stories naming no entity last.
func sections(items []*Item, g Group, followed []string) []Section {
	var out []Section
	at := make(map[string]int)
	add := func(key, title string, it *Item) {
		i, ok := at[key]
		if !ok {
			i = len(out)
			at[key] = i
			out = append(out, Section{Key: key, Title: title})
		}
		out[i].Items = append(out[i].Items, it)
	}
	if g == GroupEntity {
		for _, it := range items {
			if m, ok := mainEntity(it, followed); ok {
				add(m.ID, m.Name, it)
			} else {
				add("", "Other stories", it)
			}
		}
		rank := func(s Section) int {
			if i := slices.Index(followed, s.Key); i >= 0 {
				return i
			}
			if s.Key == "" {
				return len(followed) + 1
			}
			return len(followed)
		}
		slices.SortStableFunc(out, func(a, b Section) int {
			return cmp.Or(cmp.Compare(rank(a), rank(b)), cmp.Compare(len(b.Items), len(a.Items)),
				cmp.Compare(a.Title, b.Title))
		})
		return out
	}
	for _, it := range items {
		if it.Published.IsZero() {
			add("", "Undated", it)
			continue
		}
		add(it.Published.Format("2006-01-02"), it.Published.Format("Monday 2 January 2006"), it)
	}
	slices.SortStableFunc(out, func(a, b Section) int {
		switch {
		case a.Key == b.Key:
			return 0
		case a.Key == "": // undated last
			return 1
		case b.Key == "":
			return -1
		}
		return cmp.Compare(b.Key, a.Key)
	})
	return out
}

// mainEntity returns the entity an item's section is named for.
func mainEntity(it *Item, followed []string) (m mentionRef, ok bool) {
	for _, e := range it.Entities { // most mentioned first
		if slices.Contains(followed, e.ID) {
			return mentionRef{e.ID, e.Name}, true
		}
	}
	if len(it.Entities) > 0 {
		return mentionRef{it.Entities[0].ID, it.Entities[0].Name}, true
	}
	return mentionRef{}, false
}

type mentionRef struct{ ID, Name string }
