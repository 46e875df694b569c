package feeds

import (
	"fmt"
	"strconv"
)

// chart is an inline SVG bar chart of a timeline, with its axes: counts up
// the left, weeks along the bottom labelled at the first week of each
// month with the month and year.
type chart struct {
	Width, Height int
	Left, Top     int // the plot area's top left corner
	PlotW, PlotH  int
	Bottom        int // the y of the x axis
	Bars          []bar
	YTicks        []tick
	XTicks        []tick
	LabelY        int // the baseline of the month labels
	TitleY        int // the baseline of the x axis' title
	Max           int
}

type bar struct {
	X, Y, W, H int
	Title      string
	Count      string // written over the bar when there is room
	CountX     int
	CountY     int
}

type tick struct {
	X, Y  int
	Label string
}

// Dimensions of the chart, in pixels (the SVG scales down to narrow
// screens): bars share chartWidth, each between minBar and maxBar wide.
const (
	chartWidth  = 600
	minBar      = 8
	maxBar      = 40
	plotHeight  = 120
	axisLeft    = 32  // room for the counts of the y axis
	axisTop     = 16  // room for the counts over the bars
	axisBottom  = 34  // room for the month labels and the axis title
	countsFrom  = 18  // the narrowest bar with its count written over it
	labelsApart = 52  // the least distance between two month labels
	minChart    = 300 // the narrowest chart, room for the axis' title
)

// barChart lays out the bars of weeks: one per week, as tall as its
// articles against the busiest week.
func barChart(weeks []Week) chart {
	n := max(len(weeks), 1)
	bw := min(max(chartWidth/n, minBar), maxBar)
	c := chart{Left: axisLeft, Top: axisTop, PlotW: n * bw, PlotH: plotHeight}
	c.Width = max(c.Left+c.PlotW+8, minChart)
	c.Bottom = c.Top + c.PlotH
	c.LabelY, c.TitleY = c.Bottom+14, c.Bottom+axisBottom-4
	c.Height = c.Bottom + axisBottom
	for _, wk := range weeks {
		c.Max = max(c.Max, wk.Articles)
	}
	scale := max(c.Max, 1)
	for _, v := range yTicks(c.Max) {
		c.YTicks = append(c.YTicks, tick{X: c.Left - 4, Y: c.Bottom - v*c.PlotH/scale, Label: strconv.Itoa(v)})
	}
	lastLabel := -labelsApart
	for i, wk := range weeks {
		h := wk.Articles * c.PlotH / scale
		if wk.Articles > 0 {
			h = max(h, 2)
		}
		x := c.Left + i*bw
		b := bar{X: x + 1, Y: c.Bottom - h, W: bw - 2, H: h,
			Title: fmt.Sprintf("Week of %s: %s", wk.Start.Format("2 Jan 2006"), plural(wk.Articles, "article", "articles"))}
		if bw >= countsFrom && wk.Articles > 0 {
			b.Count, b.CountX, b.CountY = strconv.Itoa(wk.Articles), x+bw/2, b.Y-3
		}
		c.Bars = append(c.Bars, b)
		if (i == 0 || wk.Start.Day() <= 7) && x-lastLabel >= labelsApart {
			c.XTicks = append(c.XTicks, tick{X: x + 1, Y: c.LabelY, Label: wk.Start.Format("Jan 2006")})
			lastLabel = x
		}
	}
	return c
}

// yTicks returns the counts the y axis marks: 0, the busiest week and, when
// it is even and large enough, its half.
func yTicks(top int) []int {
	switch {
	case top <= 0:
		return []int{0}
	case top >= 4 && top%2 == 0:
		return []int{0, top / 2, top}
	}
	return []int{0, top}
}
