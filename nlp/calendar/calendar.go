// Package calendar knows how the news ottwatch reads writes months: their
// names and usual abbreviations in its languages (and in Polish and Dutch,
// which it meets), lower case.
package calendar

import (
	"strings"

	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

// fullNames and abbreviations are the names of each month, January first.
var (
	fullNames = [12]string{
		"january januar jänner janvier enero gennaio janeiro stycznia styczeń styczen januari",
		"february februar feber février fevrier febrero febbraio fevereiro lutego luty februari",
		"march märz maerz mars marzo março marco marca marzec maart",
		"april avril abril aprile kwietnia kwiecień kwiecien",
		"may mai mayo maggio maio maja maj mei",
		"june juni juin junio giugno junho czerwca czerwiec",
		"july juli juillet julio luglio julho lipca lipiec",
		"august août aout agosto sierpnia sierpień sierpien augustus",
		"september septembre septiembre settembre setembro września wrzesnia wrzesień",
		"october oktober octobre octubre ottobre outubro października pazdziernika październik",
		"november novembre noviembre novembro listopada listopad",
		"december dezember décembre decembre diciembre dicembre dezembro grudnia grudzień grudzien",
	}
	abbreviations = [12]string{
		"jan janv ene gen", "feb févr fevr fev", "mar mär", "apr avr abr", "mag", "jun giu",
		"jul juil lug", "aug ago", "sep sept set", "oct okt ott out", "nov", "dec dez déc dic",
	}
)

// Months returns the month number of each full month name, as written and
// folded (textnorm.Fold: "märz" and "marz"), and, with abbreviated, of
// each usual abbreviation too ("mär", "sept"). Abbreviations are also
// ordinary words ("set", "out", "mag"): leave them out where a month name
// is not looked for right beside a day and a year.
func Months(abbreviated bool) map[string]int {
	m := make(map[string]int)
	add := func(lists [12]string) {
		for i, names := range lists {
			for _, n := range strings.Fields(names) {
				m[n] = i + 1
				m[textnorm.Fold(n)] = i + 1
			}
		}
	}
	add(fullNames)
	if abbreviated {
		add(abbreviations)
	}
	return m
}
