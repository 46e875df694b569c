package index

import (
	"errors"
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

func TestResolve(t *testing.T) {
	ar := openTestArchive(t)
	a, b, c := newArticle(1, "uno"), newArticle(2, "due"), newArticle(3, "tre")
	a.ID, b.ID, c.ID = "abcd1111000000000000000000000000", "abcd2222000000000000000000000000", "ef01000000000000000000000000000a"
	put(t, ar, a, b, c)
	tests := []struct {
		ref, want string
		err       error
	}{
		{c.ID, c.ID, nil},
		{"EF01", c.ID, nil},
		{"abcd1", a.ID, nil},
		{"abcd", "", ErrAmbiguous},
		{"0000", "", ottwatch.ErrNotFound},
		{a.URL, a.ID, nil},
		{"https://news.example/nowhere", "", ottwatch.ErrNotFound},
		{"ab", "", nil}, // too short: an error of its own
	}
	for _, tt := range tests {
		got, err := ar.Resolve(tt.ref)
		switch {
		case tt.want != "" && (err != nil || got != tt.want):
			t.Errorf("Resolve(%q) = %q, %v; want %q", tt.ref, got, err, tt.want)
		case tt.want == "" && err == nil:
			t.Errorf("Resolve(%q) = %q, want an error", tt.ref, got)
		case tt.err != nil && !errors.Is(err, tt.err):
			t.Errorf("Resolve(%q): %v, want %v", tt.ref, err, tt.err)
		case errors.Is(err, ErrAmbiguous) && !strings.Contains(err.Error(), a.ID):
			t.Errorf("Resolve(%q): %v does not list the candidates", tt.ref, err)
		}
	}
}
