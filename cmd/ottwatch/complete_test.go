package main

import (
	"strings"
	"testing"
)

// TestCompletion asks the shell-completion command what it offers for the
// filter flags and for a digest's watchlist.
func TestCompletion(t *testing.T) {
	cfg := writeConfig(t, readmeWatchlists)
	tests := []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"__complete", "search", "--entity", "ama"}, []string{"amazon\tAmazon", "amazon-leo"}, []string{"agcom"}},
		{[]string{"__complete", "stories", "--lang", ""}, []string{"it", "fr", "de"}, nil},
		{[]string{"__complete", "search", "--topic", "lic"}, []string{"licensing"}, nil},
		{[]string{"--config", cfg, "__complete", "digest", "am"}, []string{"amazon-telecom\tAmazon in telecom"}, []string{"italy-regulators"}},
		{[]string{"--config", cfg, "__complete", "notify", "--watchlist", "it"}, []string{"italy-regulators\tItalian regulators"}, []string{"amazon-telecom"}},
	}
	for _, tt := range tests {
		stdout, _, err := run(t, "", tt.args...)
		if err != nil {
			t.Fatalf("%v: %v", tt.args, err)
		}
		lines := strings.Split(stdout, "\n")
		for _, w := range tt.want {
			found := false
			for _, l := range lines {
				found = found || strings.HasPrefix(l, w)
			}
			if !found {
				t.Errorf("%v offers no %q:\n%s", tt.args, w, stdout)
			}
		}
		for _, n := range tt.not {
			if strings.Contains(stdout, n) {
				t.Errorf("%v offers %q:\n%s", tt.args, n, stdout)
			}
		}
	}
}
