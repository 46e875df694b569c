package ottwatch

import (
	"strconv"
	"time"
)

// Story is one event as the archive has seen it reported: every article
// about it, whatever its outlet or language. Its id never changes: it is
// the id of the article that started it, and feeds use it as their guid.
type Story struct {
	ID string `json:"id"`
	// Headline is the title of the story's most central article: the one
	// closest to all the others.
	Headline string `json:"headline"`
	// HeadlineLang is the language of Headline.
	HeadlineLang string `json:"headline_lang,omitempty"`
	// Headlines holds the title of the most central article in each of
	// the story's languages.
	Headlines map[string]string `json:"headlines,omitempty"`
	// FirstSeen is when ottwatch first fetched an article of the story;
	// Updated, when it last fetched one.
	FirstSeen time.Time `json:"first_seen"`
	Updated   time.Time `json:"updated"`
	// Published is the earliest publication date of its articles, zero
	// when none is dated.
	Published time.Time `json:"published,omitzero"`
	Langs     []string  `json:"langs"`
	Sources   []string  `json:"sources"`
	// Entities are the ids of the entities its articles name, most named
	// first.
	Entities []string `json:"entities"`
	Topics   []string `json:"topics"`
	// Articles are the ids of its articles, in the order they joined.
	Articles []string `json:"articles"`
	// Seq is the archive sequence of the story's last change: a story
	// changed after a cursor has a greater Seq.
	Seq uint64 `json:"seq"`
}

// Coverage describes how widely a story is covered beside one of its
// articles: "+N outlets, it/fr/es" (or "" for one outlet in one language).
func (s *Story) Coverage() string {
	if s == nil || len(s.Sources) <= 1 && len(s.Langs) <= 1 {
		return ""
	}
	out := ""
	if n := len(s.Sources) - 1; n > 0 {
		out = "+" + strconv.Itoa(n) + " outlet"
		if n > 1 {
			out += "s"
		}
	}
	if len(s.Langs) > 1 {
		if out != "" {
			out += ", "
		}
		for i, l := range s.Langs {
			if i > 0 {
				out += "/"
			}
			out += l
		}
	}
	return out
}

// HeadlineIn returns the story's headline in lang when it has an article in
// lang, else its headline.
func (s *Story) HeadlineIn(lang string) string {
	if h, ok := s.Headlines[lang]; ok && h != "" {
		return h
	}
	return s.Headline
}
