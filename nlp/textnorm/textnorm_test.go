package textnorm

import "testing"

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Agcom", "agcom"},
		{"Telefónica", "telefonica"},
		{"Telefo\u0301nica", "telefonica"}, // decomposed
		{"Straße", "strasse"},
		{"STRASSE", "strasse"},
		{"Ørsted", "orsted"},
		{"København", "kobenhavn"},
		{"Æble", "aeble"},
		{"Cæsar", "caesar"},
		{"Œuvre", "oeuvre"},
		{"cœur", "coeur"},
		{"Łódź", "lodz"},
		{"Autorité de la concurrence", "autorite de la concurrence"},
		{"Bundesnetzagentur für Elektrizität", "bundesnetzagentur fur elektrizitat"},
		{"Comisión Nacional", "comision nacional"},
		{"ﬁbra", "fibra"},
		{"Ελλάδα", "ελλαδα"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStripMarks(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Telefónica", "Telefonica"},
		{"Perché", "Perche"},
		{"Straße", "Straße"},
		{"Ørsted", "Ørsted"},
	}
	for _, tt := range tests {
		if got := StripMarks(tt.in); got != tt.want {
			t.Errorf("StripMarks(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestOneLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  a\n\tb  c ", "a b c"},
		{"tele\u00adcomunicazioni", "telecomunicazioni"},
		{"a\u200b b", "a b"},
		{"\n\n", ""},
	}
	for _, tt := range tests {
		if got := OneLine(tt.in); got != tt.want {
			t.Errorf("OneLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParagraphs(t *testing.T) {
	got := Paragraphs("  First  line \n\n\n second\tline\n \n")
	if want := "First line\n\nsecond line"; got != want {
		t.Errorf("Paragraphs = %q, want %q", got, want)
	}
}
