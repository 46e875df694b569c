package push

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

// Notice types.
const (
	// TypeNew is the notice of a story the webhook was never told of.
	TypeNew = "story.new"
	// TypeUpdated is the notice of a story with articles the webhook was
	// not told of yet: another outlet, another language, a follow-up.
	TypeUpdated = "story.updated"
)

// Payload is a notice in ottwatch's own format (ottwatch.WebhookJSON). Its
// lists are in a fixed order, so the same story gives the same bytes.
type Payload struct {
	Type string `json:"type"`
	// Notice identifies this notice: it is the same on every attempt to
	// deliver it, so a receiver can drop a copy it already has.
	Notice    string       `json:"notice"`
	Watchlist WatchlistRef `json:"watchlist"`
	Story     StoryPayload `json:"story"`
}

// WatchlistRef names the watchlist a notice is sent for.
type WatchlistRef struct {
	Name  string `json:"name"`
	Title string `json:"title"`
}

// StoryPayload is the story of a notice.
type StoryPayload struct {
	ID string `json:"id"`
	// GUID is the story's guid in ottwatch's feeds.
	GUID string `json:"guid"`
	// Headline is in the watchlist's first language when the story has an
	// article in it.
	Headline     string    `json:"headline"`
	HeadlineLang string    `json:"headline_lang,omitempty"`
	FirstSeen    time.Time `json:"first_seen"`
	Updated      time.Time `json:"updated"`
	Published    time.Time `json:"published,omitzero"`
	Languages    []string  `json:"languages"`
	Outlets      []string  `json:"outlets"`
	Entities     []string  `json:"entities"`
	Topics       []string  `json:"topics"`
	// Added is how many of Articles the webhook was not told of before.
	Added    int              `json:"added"`
	Articles []ArticlePayload `json:"articles"`
}

// ArticlePayload is one article of a story.
type ArticlePayload struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	Title     string    `json:"title"`
	Lang      string    `json:"lang,omitempty"`
	Source    string    `json:"source,omitempty"`
	Published time.Time `json:"published,omitzero"`
	// New marks the articles the webhook was not told of before.
	New bool `json:"new,omitempty"`
}

// NewPayload makes the notice of story s for watchlist w: articles are the
// story's articles as archived (those missing are left out), told those
// the webhook has already been told of, and hook the key the webhook's
// record has in the archive (see HookKey). Articles are ordered by
// publication date, undated last, then by id.
func NewPayload(w ottwatch.Watchlist, hook string, s *ottwatch.Story, articles []*ottwatch.Article, told []string) Payload {
	typ := TypeNew
	if told != nil {
		typ = TypeUpdated
	}
	headline, lang := s.Headline, s.HeadlineLang
	for _, l := range w.Langs {
		if h, ok := s.Headlines[l]; ok && h != "" {
			headline, lang = h, l
			break
		}
	}
	p := Payload{
		Type:      typ,
		Notice:    noticeID(hook, s.ID, s.Articles),
		Watchlist: WatchlistRef{Name: w.Name, Title: feeds.DisplayTitle(w)},
		Story: StoryPayload{
			ID: s.ID, GUID: feeds.GUIDPrefix + s.ID, Headline: headline, HeadlineLang: lang,
			FirstSeen: s.FirstSeen.UTC(), Updated: s.Updated.UTC(), Published: s.Published.UTC(),
			Languages: orEmpty(s.Langs), Outlets: orEmpty(s.Sources), Entities: orEmpty(s.Entities), Topics: orEmpty(s.Topics),
			Articles: []ArticlePayload{},
		},
	}
	if s.Published.IsZero() {
		p.Story.Published = time.Time{}
	}
	for _, a := range articles {
		if a == nil {
			continue
		}
		ap := ArticlePayload{ID: a.ID, URL: cmp.Or(a.CanonicalURL, a.URL), Title: a.Title, Lang: a.Lang,
			Source: a.Source, New: !slices.Contains(told, a.ID)}
		if !a.Published.IsZero() {
			ap.Published = a.Published.UTC()
		}
		if ap.New {
			p.Story.Added++
		}
		p.Story.Articles = append(p.Story.Articles, ap)
	}
	slices.SortFunc(p.Story.Articles, func(a, b ArticlePayload) int {
		switch {
		case a.Published.IsZero() != b.Published.IsZero():
			if a.Published.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.Published.Compare(b.Published), cmp.Compare(a.ID, b.ID))
	})
	return p
}

// orEmpty returns values, or an empty list for nil: the JSON has lists.
func orEmpty(values []string) []string {
	if values == nil {
		return []string{}
	}
	return values
}

// noticeID identifies the notice of story, with articles, to the webhook
// whose key is hook.
func noticeID(hook, story string, articles []string) string {
	ids := slices.Sorted(slices.Values(articles))
	sum := sha256.Sum256([]byte(hook + "\x00" + story + "\x00" + strings.Join(ids, "\x00")))
	return hex.EncodeToString(sum[:12])
}

// Body returns the request body of p in format (ottwatch.WebhookJSON or
// ottwatch.WebhookSlack).
func Body(format string, p Payload) ([]byte, error) {
	var v any
	switch format {
	case ottwatch.WebhookJSON, "":
		v = p
	case ottwatch.WebhookSlack:
		v = struct {
			Text string `json:"text"`
		}{SlackText(p)}
	default:
		return nil, fmt.Errorf("unknown webhook format %q", format)
	}
	// Text is sent as it is: the receiver is no HTML page.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// maxSlackArticles is how many articles the text of a Slack notice lists.
const maxSlackArticles = 10

// SlackText is the text of a notice for Slack's and Mattermost's incoming
// webhooks: the headline linked to its article, the coverage, and, when
// there are several, the articles, new ones first.
func SlackText(p Payload) string {
	s := p.Story
	var b strings.Builder
	what := "New story"
	if p.Type == TypeUpdated {
		what = fmt.Sprintf("More coverage (+%d)", s.Added)
	}
	fmt.Fprintf(&b, "*%s* in %s: %s\n", what, slackEscape(p.Watchlist.Title), slackLink(headlineURL(s), s.Headline))
	fmt.Fprintf(&b, "%d %s, %d %s", len(s.Articles), plural(len(s.Articles), "article", "articles"),
		len(s.Outlets), plural(len(s.Outlets), "outlet", "outlets"))
	if len(s.Languages) > 0 {
		fmt.Fprintf(&b, " · %s", strings.Join(s.Languages, "/"))
	}
	if len(s.Entities) > 0 {
		fmt.Fprintf(&b, " · %s", slackEscape(strings.Join(s.Entities[:min(len(s.Entities), 5)], ", ")))
	}
	b.WriteString("\n")
	listed := slices.Clone(s.Articles)
	slices.SortStableFunc(listed, func(a, b ArticlePayload) int {
		switch {
		case a.New == b.New:
			return 0
		case a.New:
			return -1
		}
		return 1
	})
	if len(listed) == 1 {
		listed = nil // the headline is its one article
	}
	for _, a := range listed[:min(len(listed), maxSlackArticles)] {
		mark := "•"
		if a.New && p.Type == TypeUpdated {
			mark = "• _new_"
		}
		fmt.Fprintf(&b, "%s %s (%s", mark, slackLink(a.URL, a.Title), slackEscape(a.Source))
		if a.Lang != "" {
			fmt.Fprintf(&b, ", %s", a.Lang)
		}
		b.WriteString(")\n")
	}
	if n := len(listed) - maxSlackArticles; n > 0 {
		fmt.Fprintf(&b, "… and %d more\n", n)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// headlineURL returns the URL of the article whose title is the story's
// headline, else of its first article.
func headlineURL(s StoryPayload) string {
	for _, a := range s.Articles {
		if a.Title == s.Headline {
			return a.URL
		}
	}
	if len(s.Articles) > 0 {
		return s.Articles[0].URL
	}
	return ""
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// slackEscaper escapes the three characters Slack's and Mattermost's
// message text reserves.
var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func slackEscape(s string) string { return slackEscaper.Replace(s) }

// slackLink is a link in message text, <url|text>; a "|" in the text
// would end the URL part early, so it is replaced.
func slackLink(u, text string) string {
	text = slackEscape(strings.ReplaceAll(text, "|", "¦"))
	if u == "" {
		return text
	}
	return "<" + slackEscape(u) + "|" + text + ">"
}
