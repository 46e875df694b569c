package feeds_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/feeds"
)

func TestValidateWatchlist(t *testing.T) {
	tests := []struct {
		name    string
		in      ottwatch.Watchlist
		want    ottwatch.Watchlist
		wantErr string
	}{
		{name: "README example", in: amazonTelecom, want: amazonTelecom},
		{name: "entities by name, normalised",
			in: ottwatch.Watchlist{Name: "italy-regulators", Entities: []string{"Agcom", " agcm ", "Mise", "agcom"},
				Langs: []string{"IT", "it"}, Sources: []string{" TelecomItalia-News.example "}},
			want: ottwatch.Watchlist{Name: "italy-regulators", Entities: []string{"agcom", "agcm", "mimit"},
				Langs: []string{"it"}, Sources: []string{"telecomitalia-news.example"}}},
		{name: "query alone", in: ottwatch.Watchlist{Name: "fibre", Query: "fibra"},
			want: ottwatch.Watchlist{Name: "fibre", Query: "fibra"}},
		{name: "no name", in: ottwatch.Watchlist{Query: "x"}, wantErr: "without a name"},
		{name: "name not a slug", in: ottwatch.Watchlist{Name: "Amazon Telecom", Query: "x"}, wantErr: "slug"},
		{name: "name with a slash", in: ottwatch.Watchlist{Name: "a/b", Query: "x"}, wantErr: "slug"},
		{name: "reserved name", in: ottwatch.Watchlist{Name: "search", Query: "x"}, wantErr: "reserved"},
		{name: "unknown entity", in: ottwatch.Watchlist{Name: "x", Entities: []string{"Acme Telecom"}}, wantErr: `entity "Acme Telecom" is not in the gazetteer`},
		{name: "bad language", in: ottwatch.Watchlist{Name: "x", Langs: []string{"italian"}}, wantErr: "two-letter"},
		{name: "nothing to search", in: ottwatch.Watchlist{Name: "x", Title: "X"}, wantErr: "a query or at least one"},
		{name: "negative min_mentions", in: ottwatch.Watchlist{Name: "x", Query: "y", MinMentions: -1}, wantErr: "negative"},
		{name: "query too long", in: ottwatch.Watchlist{Name: "x", Query: strings.Repeat("amazon ", 200)}, wantErr: "bad query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := feeds.ValidateWatchlist(tt.in, lookup)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.want.Name || got.Query != tt.want.Query || !slices.Equal(got.Entities, tt.want.Entities) ||
				!slices.Equal(got.Langs, tt.want.Langs) || !slices.Equal(got.Sources, tt.want.Sources) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestValidateWatchlistsNamesOnce(t *testing.T) {
	_, err := feeds.ValidateWatchlists([]ottwatch.Watchlist{amazonTelecom, amazonTelecom}, lookup)
	if err == nil || !strings.Contains(err.Error(), "used twice") {
		t.Errorf("error %v, want one about a name used twice", err)
	}
	ws, err := feeds.ValidateWatchlists([]ottwatch.Watchlist{amazonTelecom, italyRegulators}, lookup)
	if err != nil || len(ws) != 2 {
		t.Errorf("got %v, %v", ws, err)
	}
}

func TestParseFormatAndGroup(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want feeds.Format
	}{{"rss", feeds.FormatRSS}, {"Atom", feeds.FormatAtom}, {"json", feeds.FormatJSON}, {"markdown", feeds.FormatMarkdown}, {"md", feeds.FormatMarkdown}, {"html", feeds.FormatHTML}, {"pdf", ""}} {
		got, err := feeds.ParseFormat(tt.in)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want feeds.Group
	}{{"day", feeds.GroupDay}, {"Entity", feeds.GroupEntity}, {"week", ""}} {
		got, err := feeds.ParseGroup(tt.in)
		if got != tt.want || (tt.want == "") != (err != nil) {
			t.Errorf("ParseGroup(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}
