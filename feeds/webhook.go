package feeds

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/http/httpguts"

	"github.com/ottwatch/ottwatch"
)

// webhookName is the shape of a webhook's name.
var webhookName = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)

// ValidateWebhook returns the webhook trimmed, with its format defaulted
// to ottwatch.WebhookJSON, or an error that names no secret: the URL must
// be an absolute http(s) URL without user information, the format one of
// ottwatch.WebhookFormats, the name (when given) a slug, and the headers
// valid.
func ValidateWebhook(h ottwatch.Webhook) (ottwatch.Webhook, error) {
	h.Name = strings.TrimSpace(h.Name)
	h.URL = strings.TrimSpace(h.URL)
	h.Format = strings.ToLower(strings.TrimSpace(h.Format))
	if h.Format == "" {
		h.Format = ottwatch.WebhookJSON
	}
	if h.Name != "" && (len(h.Name) > maxNameLen || !webhookName.MatchString(h.Name)) {
		return h, fmt.Errorf("webhook name %q: want lowercase letters, digits, - and _, such as team-chat", h.Name)
	}
	if h.URL == "" {
		return h, errors.New("webhook without a url")
	}
	if !slices.Contains(ottwatch.WebhookFormats, h.Format) {
		return h, fmt.Errorf("webhook %s: unknown format %q: want %s", h.Label(), h.Format, strings.Join(ottwatch.WebhookFormats, " or "))
	}
	u, err := url.Parse(h.URL)
	switch {
	case err != nil:
		return h, fmt.Errorf("webhook %s: the url does not parse", h.Label())
	case u.Scheme != "http" && u.Scheme != "https" || u.Host == "":
		return h, fmt.Errorf("webhook %s: want an absolute http or https url", h.Label())
	case u.User != nil:
		return h, fmt.Errorf("webhook %s: put credentials in a header, not in the url", h.Label())
	}
	for k, v := range h.Headers {
		if !httpguts.ValidHeaderFieldName(k) {
			return h, fmt.Errorf("webhook %s: %q is not a header name", h.Label(), k)
		}
		if !httpguts.ValidHeaderFieldValue(v) {
			return h, fmt.Errorf("webhook %s: the value of header %s is not valid", h.Label(), k)
		}
	}
	return h, nil
}

// validateWebhooks validates each of a watchlist's webhooks and checks
// that no two share an id.
func validateWebhooks(hooks []ottwatch.Webhook) ([]ottwatch.Webhook, error) {
	var out []ottwatch.Webhook
	seen := map[string]bool{}
	for i, h := range hooks {
		v, err := ValidateWebhook(h)
		if err != nil {
			return nil, fmt.Errorf("webhook %d of %d: %w", i+1, len(hooks), err)
		}
		if seen[v.ID()] {
			return nil, fmt.Errorf("webhook %d of %d: %s is given twice", i+1, len(hooks), v.Label())
		}
		seen[v.ID()] = true
		out = append(out, v)
	}
	return out, nil
}
