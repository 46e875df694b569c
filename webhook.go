package ottwatch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"
)

// Webhook formats: the body a webhook is sent.
const (
	// WebhookJSON is ottwatch's own notice: the story, the watchlist and
	// the articles, as JSON.
	WebhookJSON = "json"
	// WebhookSlack is the body of Slack's and Mattermost's incoming
	// webhooks: {"text": "..."}.
	WebhookSlack = "slack"
)

// WebhookFormats are the formats a webhook may ask for.
var WebhookFormats = []string{WebhookJSON, WebhookSlack}

// Webhook is an address a watchlist's new stories, and the new coverage of
// its stories, are posted to. Its URL and header values may hold secrets
// (a token in the path or query, an Authorization header): a Webhook never
// prints them — fmt, slog and JSON show it redacted (see Redacted).
type Webhook struct {
	// Name tells the webhooks of a watchlist apart in messages and keeps
	// what was delivered to it when its URL changes (a new token); when
	// empty the webhook is known by a hash of its URL.
	Name    string            `json:"name,omitempty" yaml:"name"`
	URL     string            `json:"url" yaml:"url"`
	Format  string            `json:"format,omitempty" yaml:"format"`
	Headers map[string]string `json:"headers,omitempty" yaml:"headers"`
}

// ID identifies the webhook within its watchlist: its name, or a hash of
// its URL when it has none.
func (h Webhook) ID() string {
	if h.Name != "" {
		return h.Name
	}
	sum := sha256.Sum256([]byte(h.URL))
	return "url-" + hex.EncodeToString(sum[:6])
}

// Label names the webhook in messages: its name, or its redacted URL.
func (h Webhook) Label() string {
	if h.Name != "" {
		return h.Name
	}
	return h.Redacted()
}

// redacted stands for what a Webhook does not show.
const redacted = "[redacted]"

// Redacted returns the webhook's URL with only its scheme and host: its
// path and query often are the secret (Slack's and Mattermost's are).
func (h Webhook) Redacted() string {
	u, err := url.Parse(strings.TrimSpace(h.URL))
	if err != nil || u.Host == "" {
		return redacted
	}
	out := u.Scheme + "://" + u.Host + "/"
	if u.Path != "" && u.Path != "/" || u.RawQuery != "" {
		out += redacted
	}
	return out
}

// String shows the webhook redacted.
func (h Webhook) String() string {
	s := h.Redacted()
	if h.Name != "" {
		s = h.Name + " " + s
	}
	return s + " (" + h.Format + ")"
}

// GoString is String, for %#v.
func (h Webhook) GoString() string { return h.String() }

// LogValue is String, for slog.
func (h Webhook) LogValue() slog.Value { return slog.StringValue(h.String()) }

// MarshalJSON writes the webhook redacted: its URL with scheme and host
// only, and its headers with their values hidden.
func (h Webhook) MarshalJSON() ([]byte, error) {
	var headers map[string]string
	if len(h.Headers) > 0 {
		headers = make(map[string]string, len(h.Headers))
		for k := range h.Headers {
			headers[k] = redacted
		}
	}
	return json.Marshal(struct {
		Name    string            `json:"name,omitempty"`
		URL     string            `json:"url"`
		Format  string            `json:"format,omitempty"`
		Headers map[string]string `json:"headers,omitempty"`
	}{h.Name, h.Redacted(), h.Format, headers})
}
