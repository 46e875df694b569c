package bleve

import (
	"slices"
	"testing"
)

func TestParseText(t *testing.T) {
	tests := []struct {
		text    string
		phrases []string
		free    string
	}{
		{"", nil, ""},
		{"  rete   unica ", nil, "rete unica"},
		{`"rete unica"`, []string{"rete unica"}, ""},
		{`Tim "rete unica" Open Fiber`, []string{"rete unica"}, "Tim Open Fiber"},
		{`“rete unica” e «service universel»`, []string{"rete unica", "service universel"}, "e"},
		{`a"b"c`, []string{"b"}, "a c"},
		{`"" tim`, nil, "tim"},
		{`"rete unica`, nil, "rete unica"},
		{`"a" "b`, []string{"a"}, "b"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			phrases, free := parseText(tt.text)
			if !slices.Equal(phrases, tt.phrases) || free != tt.free {
				t.Errorf("parseText(%q) = %q, %q; want %q, %q", tt.text, phrases, free, tt.phrases, tt.free)
			}
		})
	}
}
