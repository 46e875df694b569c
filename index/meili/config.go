package meili

import (
	"fmt"
	"log/slog"
	"net/url"
	"regexp"
	"strings"
)

// DefaultIndexUID is the uid of the index when Config.IndexUID is empty.
const DefaultIndexUID = "articles"

// Config says which Meilisearch index holds the articles.
type Config struct {
	// URL is the base URL of the Meilisearch server, such as
	// "http://localhost:7700".
	URL string `json:"url" yaml:"url"`
	// APIKey is the key sent as a bearer token; empty for a server
	// without a master key. It is never logged nor put in errors.
	APIKey Secret `json:"api_key" yaml:"api_key"`
	// IndexUID is the uid of the index (DefaultIndexUID when empty).
	IndexUID string `json:"index_uid" yaml:"index_uid"`
	// Synonyms are applied to the index settings as they are; the caller
	// derives them from the aliases of the gazetteer.
	Synonyms map[string][]string `json:"synonyms,omitempty" yaml:"synonyms,omitempty"`
}

// Secret is a string that does not print: fmt, slog and encoders show
// "[redacted]" for a non-empty one. Convert it with string() to use it.
type Secret string

const redacted = "[redacted]"

func (s Secret) show() string {
	if s == "" {
		return ""
	}
	return redacted
}

// String returns "[redacted]", or "" for an empty secret.
func (s Secret) String() string { return s.show() }

// GoString is String, for %#v.
func (s Secret) GoString() string { return `"` + s.show() + `"` }

// LogValue is String, for slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.show()) }

// MarshalText is String, so that encoders never write the secret.
func (s Secret) MarshalText() ([]byte, error) { return []byte(s.show()), nil }

// indexUIDPattern is what Meilisearch accepts as an index uid.
var indexUIDPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,400}$`)

// endpoint is the parsed server URL: base for requests, display for
// messages and logs (no password, no query).
type endpoint struct {
	base, display string
}

// parseURL checks the server URL.
func parseURL(raw string) (endpoint, error) {
	if strings.TrimSpace(raw) == "" {
		return endpoint{}, fmt.Errorf("empty meilisearch URL")
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return endpoint{}, fmt.Errorf("bad meilisearch URL: %w", redactURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return endpoint{}, fmt.Errorf("meilisearch URL %q: scheme must be http or https", displayURL(u))
	}
	if u.Host == "" {
		return endpoint{}, fmt.Errorf("meilisearch URL %q: no host", displayURL(u))
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	return endpoint{base: u.String(), display: displayURL(u)}, nil
}

// displayURL returns u without its password, query and fragment.
func displayURL(u *url.URL) string {
	c := *u
	c.RawQuery, c.Fragment = "", ""
	return c.Redacted()
}

// redactURLError drops the URL text from a url.Parse error, which may hold
// a password.
func redactURLError(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return fmt.Errorf("%s: %w", ue.Op, ue.Err)
	}
	return err
}
