package feeds_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/ottwatch/ottwatch/feeds"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden/feeds")

// golden compares got with the golden file name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", "feeds", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./feeds -update to make it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test ./feeds -update and review the diff):\n%s", name, got)
	}
}

func TestRenderGolden(t *testing.T) {
	tests := []struct {
		file   string
		format feeds.Format
		group  feeds.Group
	}{
		{"amazon-telecom.rss", feeds.FormatRSS, feeds.GroupDay},
		{"amazon-telecom.atom", feeds.FormatAtom, feeds.GroupDay},
		{"amazon-telecom.json", feeds.FormatJSON, feeds.GroupDay},
		{"amazon-telecom.md", feeds.FormatMarkdown, feeds.GroupDay},
		{"amazon-telecom-by-entity.md", feeds.FormatMarkdown, feeds.GroupEntity},
		{"amazon-telecom.html", feeds.FormatHTML, feeds.GroupDay},
		{"amazon-telecom-by-entity.html", feeds.FormatHTML, feeds.GroupEntity},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			var buf bytes.Buffer
			if err := feeds.Render(&buf, fixtureDigest(tt.group), tt.format); err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file, buf.Bytes())
		})
	}
}
