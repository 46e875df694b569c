package nlp

import (
	"strings"
	"testing"

	"github.com/ottwatch/ottwatch"
)

func TestDetect(t *testing.T) {
	d, err := NewDetector(ottwatch.Languages)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, prior, want string
	}{
		{"italian", "L'Autorità per le garanzie nelle comunicazioni ha avviato un'istruttoria sulle offerte degli operatori di telefonia mobile.", "", "it"},
		{"french", "L'Autorité de régulation des communications électroniques a publié son rapport annuel sur le déploiement de la fibre optique.", "", "fr"},
		{"spanish", "La Comisión Nacional de los Mercados y la Competencia ha abierto un expediente a los operadores de telefonía.", "", "es"},
		{"german", "Die Bundesnetzagentur hat die Vergabe der Frequenzen für den Mobilfunk verschoben.", "", "de"},
		{"english", "The European Commission has opened an investigation into the network fees proposed by telecom operators.", "", "en"},
		{"portuguese", "A Anacom aprovou as novas regras para o leilão de frequências das operadoras de telecomunicações.", "", "pt"},
		{"short text follows the page", "Agcom", "it-IT", "it"},
		{"short text, other prior", "Agcom", "fr", "fr"},
		{"long text beats a wrong prior", "Die Bundesnetzagentur hat die Vergabe der Frequenzen für den Mobilfunk verschoben, weil die Betreiber mehr Zeit verlangen.", "en", "de"},
		{"unsupported prior ignored", "La Comisión Nacional de los Mercados y la Competencia ha abierto un expediente.", "ja", "es"},
		{"no letters, no prior", "2026 — 42", "", ""},
		{"no letters, prior", "2026 — 42", "de", "de"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, conf := d.Detect(tt.text, tt.prior)
			if got != tt.want {
				t.Errorf("Detect(%q, %q) = %q (%.2f), want %q", tt.text, tt.prior, got, conf, tt.want)
			}
			if conf < 0 || conf > 1 {
				t.Errorf("confidence %v out of [0,1]", conf)
			}
		})
	}
}

func TestNewDetectorErrors(t *testing.T) {
	if _, err := NewDetector(nil); err == nil {
		t.Error("no languages: want an error")
	}
	if _, err := NewDetector([]string{"it", "zz"}); err == nil || !strings.Contains(err.Error(), "zz") {
		t.Errorf("unknown code: err = %v", err)
	}
	d, err := NewDetector([]string{"it"})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := d.Detect("whatever text", ""); got != "it" {
		t.Errorf("single language: got %q", got)
	}
}

func TestTruncateRunes(t *testing.T) {
	s := strings.Repeat("città ", 1000)
	got := truncateRunes(s, 2000)
	if n := len([]rune(got)); n > 2000 || n < 1900 {
		t.Errorf("truncated to %d runes", n)
	}
	if strings.HasSuffix(got, "citt") {
		t.Errorf("cut inside a word: %q", got[len(got)-10:])
	}
	if truncateRunes("short", 10) != "short" {
		t.Error("short text changed")
	}
}
