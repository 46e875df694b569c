package index

import "testing"

func TestPositiveText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Amazon", "Amazon"},
		{"Iliad -Poste", "Iliad"},
		{`Iliad -"Poste Italiane" multa`, "Iliad multa"},
		{`Iliad -"Poste" multa`, "Iliad multa"},
		{`"rete unica" -TIM`, `"rete unica"`},
		{"", ""},
	}
	for _, tt := range tests {
		if got := positiveText(tt.in); got != tt.want {
			t.Errorf("positiveText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
