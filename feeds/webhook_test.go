package feeds

import (
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

func TestValidateWebhook(t *testing.T) {
	const secret = "S3CRET"
	tests := []struct {
		name   string
		hook   ottwatch.Webhook
		format string // the format it gets when valid
		err    string
	}{
		{"json by default", ottwatch.Webhook{URL: " https://hooks.example.org/in/" + secret + " "}, ottwatch.WebhookJSON, ""},
		{"slack", ottwatch.Webhook{URL: "https://hooks.slack.com/services/T0/B0/" + secret, Format: "Slack"}, ottwatch.WebhookSlack, ""},
		{"named", ottwatch.Webhook{Name: "team-chat", URL: "http://127.0.0.1:8065/hooks/" + secret}, ottwatch.WebhookJSON, ""},
		{"with a header", ottwatch.Webhook{URL: "https://x.example/h", Headers: map[string]string{"Authorization": "Bearer " + secret}}, ottwatch.WebhookJSON, ""},
		{"no url", ottwatch.Webhook{Format: "json"}, "", "webhook without a url"},
		{"unknown format", ottwatch.Webhook{URL: "https://x.example/" + secret, Format: "xml"}, "", `unknown format "xml": want json or slack`},
		{"not http", ottwatch.Webhook{URL: "ftp://x.example/" + secret}, "", "want an absolute http or https url"},
		{"relative", ottwatch.Webhook{URL: "/hooks/" + secret}, "", "want an absolute http or https url"},
		{"credentials in the url", ottwatch.Webhook{URL: "https://user:" + secret + "@x.example/h"}, "", "put credentials in a header"},
		{"does not parse", ottwatch.Webhook{URL: "https://x.example/%zz" + secret}, "", "the url does not parse"},
		{"bad name", ottwatch.Webhook{Name: "Team Chat", URL: "https://x.example/h"}, "", `webhook name "Team Chat"`},
		{"bad header name", ottwatch.Webhook{URL: "https://x.example/h", Headers: map[string]string{"X Token": secret}}, "", `"X Token" is not a header name`},
		{"bad header value", ottwatch.Webhook{URL: "https://x.example/h", Headers: map[string]string{"X-Token": secret + "\n"}}, "", "the value of header X-Token is not valid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ValidateWebhook(tt.hook)
			switch {
			case tt.err == "" && err != nil:
				t.Fatalf("error %v", err)
			case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)):
				t.Fatalf("error %v, want %q", err, tt.err)
			case err != nil && strings.Contains(err.Error(), secret):
				t.Errorf("the error shows the secret: %v", err)
			case err == nil && got.Format != tt.format:
				t.Errorf("format %q, want %q", got.Format, tt.format)
			}
		})
	}
}

func TestValidateWatchlistWebhooks(t *testing.T) {
	w := ottwatch.Watchlist{Name: "iliad", Topics: []string{"fines"}, Webhooks: []ottwatch.Webhook{
		{URL: "https://x.example/a"}, {URL: "https://x.example/a", Format: "slack"}}}
	if _, err := ValidateWatchlist(w, nil); err == nil || !strings.Contains(err.Error(), `watchlist "iliad": webhook 2 of 2: https://x.example/[redacted] is given twice`) {
		t.Errorf("a webhook given twice: %v", err)
	}
	w.Webhooks[1].Name = "chat"
	got, err := ValidateWatchlist(w, nil)
	if err != nil || len(got.Webhooks) != 2 || got.Webhooks[0].Format != ottwatch.WebhookJSON {
		t.Errorf("two webhooks: %+v, %v", got.Webhooks, err)
	}
}
