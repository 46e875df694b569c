package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// readmeWatchlists are the two example watchlists of the README.
const readmeWatchlists = `watchlists:
  - name: amazon-telecom
    title: Amazon in telecom
    query: telecom OR telecomunicazioni OR télécoms OR téléphonique OR telecomunicaciones OR Telekommunikation
    entities: [amazon]
    min_mentions: 2
  - name: italy-regulators
    title: Italian regulators
    entities: [agcom, agcm, mimit]
`

// writeConfig writes a configuration file holding yaml and returns its
// path.
func writeConfig(t *testing.T, yaml string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWatchlists(t *testing.T) {
	cfg := writeConfig(t, readmeWatchlists)
	stdout, _, err := run(t, "", "--config", cfg, "watchlists")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"NAME", "amazon-telecom", "Amazon in telecom", "italy-regulators", "agcom,agcm,mimit"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("no %q in\n%s", want, stdout)
		}
	}
	stdout, _, err = run(t, "", "--config", cfg, "watchlists", "--json")
	if err != nil {
		t.Fatal(err)
	}
	ws := decode[[]ottwatch.Watchlist](t, stdout)
	if len(ws) != 2 || ws[0].Name != "amazon-telecom" || ws[0].MinMentions != 2 || len(ws[1].Entities) != 3 {
		t.Errorf("got %+v", ws)
	}
}

func TestWatchlistsNone(t *testing.T) {
	stdout, _, err := run(t, "", "--config", filepath.Join(t.TempDir(), "none.yaml"), "watchlists")
	if err != nil || !strings.Contains(stdout, "no watchlists") {
		t.Errorf("%q, %v", stdout, err)
	}
	stdout, _, err = run(t, "", "--config", filepath.Join(t.TempDir(), "none.yaml"), "watchlists", "--json")
	if err != nil || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("%q, %v", stdout, err)
	}
}

func TestWatchlistsInvalid(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown entity", "watchlists:\n  - name: x\n    entities: [acme-telecom]\n", `entity "acme-telecom" is not in the gazetteer`},
		{"entity by name", "watchlists:\n  - name: x\n    entities: [Poste Italiane]\n", ""},
		{"name not a slug", "watchlists:\n  - name: Amazon Telecom\n    query: x\n", "slug"},
		{"empty", "watchlists:\n  - name: x\n", "a query or at least one"},
		{"twice", "watchlists:\n  - name: x\n    query: a\n  - name: x\n    query: b\n", "used twice"},
		{"unknown field", "watchlists:\n  - name: x\n    querry: a\n", "querry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := run(t, "", "--config", writeConfig(t, tt.yaml), "watchlists")
			if tt.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(textnorm.OneLine(err.Error()), "\n") {
				t.Errorf("error %v, want one line saying %q", err, tt.want)
			}
		})
	}
}

// TestReadmeWatchlists checks that the watchlists the README shows are valid
// and are the ones the other tests use.
func TestReadmeWatchlists(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(filepath.Dir(siteDir(t)), "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "```yaml\nwatchlists:")
	block, _, ok2 := strings.Cut(block, "```")
	if !ok || !ok2 {
		t.Fatal("no ```yaml block of watchlists in the README")
	}
	stdout, _, err := run(t, "", "--config", writeConfig(t, "watchlists:"+block), "watchlists", "--json")
	if err != nil {
		t.Fatal(err)
	}
	fromReadme := decode[[]ottwatch.Watchlist](t, stdout)
	stdout, _, err = run(t, "", "--config", writeConfig(t, readmeWatchlists), "watchlists", "--json")
	if err != nil {
		t.Fatal(err)
	}
	if tested := decode[[]ottwatch.Watchlist](t, stdout); !reflect.DeepEqual(fromReadme, tested) {
		t.Errorf("the README shows %+v, the tests use %+v", fromReadme, tested)
	}
}
