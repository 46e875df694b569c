package main

import (
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/rivo/uniseg"
	"golang.org/x/term"
)

// defaultWidth is the width tables fit when the output is not a terminal
// and $COLUMNS says nothing.
const defaultWidth = 120

// outputWidth returns the width of the terminal out writes to, else
// $COLUMNS, else defaultWidth.
func outputWidth(out io.Writer) int {
	if f, ok := out.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil && w > 0 {
			return w
		}
	}
	if w, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && w > 0 {
		return w
	}
	return defaultWidth
}

// table lays rows out in columns that fit a width: the columns marked
// shrinkable (titles, lists of names) are cut, with an ellipsis, to what
// the others leave, the first of them keeping twice the room of each other
// one; the others are printed whole.
type table struct {
	header []string
	shrink []bool
	weight []int
	rows   [][]string
}

// gap is the space between two columns.
const gap = 2

// minShrunk is the narrowest a shrinkable column is cut to.
const minShrunk = 6

func newTable(header ...string) *table {
	return &table{header: header, shrink: make([]bool, len(header)), weight: make([]int, len(header))}
}

// shrinkable marks the columns of these headers as the ones to cut, the
// first one last.
func (t *table) shrinkable(headers ...string) *table {
	for i, h := range t.header {
		for j, s := range headers {
			if h == s {
				t.shrink[i], t.weight[i] = true, 1
				if j == 0 {
					t.weight[i] = 2
				}
			}
		}
	}
	return t
}

func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// widths returns the width of each column so that a row is at most width
// wide, when it can be.
func (t *table) widths(width int) []int {
	w := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			w[i] = max(w[i], uniseg.StringWidth(c))
		}
	}
	total := gap * (len(w) - 1)
	for _, x := range w {
		total += x
	}
	// Cut the widest shrinkable column (for its weight) by one until the
	// row fits or no shrinkable column can give more.
	for total > width {
		widest := -1
		for i, x := range w {
			if t.shrink[i] && x > minShrunk && (widest < 0 || x*t.weight[widest] > w[widest]*t.weight[i]) {
				widest = i
			}
		}
		if widest < 0 {
			break
		}
		w[widest]--
		total--
	}
	return w
}

// print writes the table to out, fitting width.
func (t *table) print(out io.Writer, width int) error {
	w := t.widths(width)
	var b strings.Builder
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, c := range row {
			c = fit(c, w[i])
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", w[i]-uniseg.StringWidth(c)+gap))
			}
		}
		b.WriteByte('\n')
	}
	_, err := fmt.Fprint(out, b.String())
	return err
}

// fit cuts s to width display columns, marking the cut with an ellipsis.
func fit(s string, width int) string {
	if uniseg.StringWidth(s) <= width {
		return s
	}
	var b strings.Builder
	used := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if used+cw > width-1 {
			break
		}
		b.WriteString(g.Str())
		used += cw
	}
	return b.String() + "…"
}

// wrap lays units out in lines of at most width display columns, a space
// between two units, the lines after the first starting with indent.
func wrap(units []string, width int, indent string) string {
	var b strings.Builder
	line := 0
	for i, u := range units {
		n := uniseg.StringWidth(u)
		switch {
		case i == 0:
		case line+1+n > width:
			b.WriteString("\n" + indent)
			line = uniseg.StringWidth(indent)
		default:
			b.WriteByte(' ')
			line++
		}
		b.WriteString(u)
		line += n
	}
	return b.String()
}
