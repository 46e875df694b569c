package feeds_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium or Chrome binary, or "" when
// there is none.
func chromium() string {
	if p := os.Getenv("OTTWATCH_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless Chromium for one test and returns a context
// that drives it, or skips the test when there is none.
func browser(t *testing.T) context.Context {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium found (looked for chromium, chromium-browser, google-chrome, headless-shell on PATH and $OTTWATCH_CHROMIUM): install it with 'apt-get install -y chromium' to run the browser test")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	// The browser lives as long as the context that starts it: the whole
	// test, starting included, is bounded.
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(cancelTimeout)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", bin, err)
	}
	return ctx
}

// do runs steps in the browser, failing the test with what was being
// done when one fails.
func do(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval returns the value of a JavaScript expression on the page.
func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// clickAndWait clicks the first element sel selects and waits for the page
// it leads to.
func clickAndWait(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
}

// resultIDs returns the article ids of the results on the page, in order.
func resultIDs(t *testing.T, ctx context.Context) []string {
	t.Helper()
	return eval[[]string](t, ctx, `[...document.querySelectorAll('#results li.result')].map(li => li.dataset.id)`)
}

// screens are the window sizes the pages are tried at: a phone and a
// laptop.
var screens = []struct {
	name          string
	width, height int64
}{
	{"390", 390, 844},
	{"1280", 1280, 900},
}

// TestBrowserSearchAndFacet drives a real browser: it loads the search
// page, types a query, submits it, clicks the French language facet and
// checks that the result list holds French articles only.
func TestBrowserSearchAndFacet(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, fixtureArticles())

	do(t, ctx, "load /",
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=q]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "Amazon"),
	)
	clickAndWait(t, ctx, `form.search button[type=submit]`)
	before := resultIDs(t, ctx)
	clickAndWait(t, ctx, `a.facet[data-facet=lang][data-value=fr]`)
	after, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(`#results li.result`)))
	if err != nil {
		t.Fatalf("read the filtered results: %v", err)
	}
	summary := eval[string](t, ctx, `document.querySelector('#summary').textContent`)
	location := eval[string](t, ctx, `location.href`)

	if len(before) != 3 {
		t.Errorf("%d stories for Amazon before the facet, want 3 (five articles, three of them on one story)", len(before))
	}
	if len(after) != 1 {
		t.Errorf("%d results after clicking the French facet, want 1", len(after))
	}
	for _, attrs := range after {
		if lang := attrs["data-lang"]; lang != "fr" {
			t.Errorf("a result in %q after the French facet", lang)
		}
	}
	if !strings.Contains(location, "lang=fr") || !strings.Contains(location, "q=Amazon") {
		t.Errorf("location %s, want the query and lang=fr", location)
	}
	if !strings.Contains(summary, "1 story") || !strings.Contains(summary, "Amazon") {
		t.Errorf("summary %q", summary)
	}
}

// layout is what the browser measures of a page.
type layout struct {
	ScrollWidth int     `json:"scrollWidth"`
	InnerWidth  int     `json:"innerWidth"`
	Wide        string  `json:"wide"` // the first element reaching past the viewport
	FirstResult float64 `json:"firstResult"`
	EmptyLinks  int     `json:"emptyLinks"`
}

const measure = `(() => {
	const w = window.innerWidth;
	let wide = "";
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5) && !el.closest('.visually-hidden, .skip')) {
			wide = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && el.className.baseVal === undefined ? '.' + el.className : '') + ' ' + Math.round(r.left) + '–' + Math.round(r.right);
			break;
		}
	}
	const first = document.querySelector('li.result');
	return {
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: w,
		wide: wide,
		firstResult: first ? first.getBoundingClientRect().top : -1,
		emptyLinks: document.querySelectorAll('a:not([href]), a[href=""], a[href="#"]').length,
	};
})()`

// TestBrowserLayout loads the search, story and entity pages, an empty
// search and a search with a bad date at the width of a phone and of a
// laptop, and checks that nothing reaches past the right edge, that on a
// phone the first result starts on the first screen, and that no link is
// empty. With OTTWATCH_SCREENSHOTS=DIR it writes a full-page screenshot
// of each page at each width to DIR.
func TestBrowserLayout(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, fixtureArticles())
	shots := os.Getenv("OTTWATCH_SCREENSHOTS")
	if shots != "" {
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	pages := []struct {
		name, path string
		results    bool
	}{
		{"search", "/?q=Amazon", true},
		{"search-articles", "/?q=Amazon&view=articles&sort=date", true},
		{"story", "/stories/" + storyCluster, true},
		{"entity", "/entities/amazon", true},
		{"empty", "/?q=Amazon&lang=de", false},
		{"bad-date", "/?q=Amazon&since=yesterday", false},
	}
	for _, sc := range screens {
		for _, p := range pages {
			t.Run(p.name+"-"+sc.name, func(t *testing.T) {
				do(t, ctx, "load "+p.path,
					chromedp.EmulateViewport(sc.width, sc.height),
					chromedp.Navigate(srv.URL+p.path),
					chromedp.WaitReady(chromedp.CSS(`body`)))
				got := eval[layout](t, ctx, measure)
				if got.ScrollWidth > got.InnerWidth || got.Wide != "" {
					t.Errorf("the page is %d px wide in a %d px window; first too wide: %s", got.ScrollWidth, got.InnerWidth, got.Wide)
				}
				if got.EmptyLinks > 0 {
					t.Errorf("%d links without an address", got.EmptyLinks)
				}
				switch {
				case p.results && got.FirstResult < 0:
					t.Error("no result on the page")
				case p.name == "search" && sc.width == 390 && got.FirstResult > 600:
					t.Errorf("the first result starts %.0f px down, want at most 600", got.FirstResult)
				}
				if shots != "" {
					png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
					if err != nil {
						t.Fatalf("screenshot: %v", err)
					}
					if err := os.WriteFile(filepath.Join(shots, fmt.Sprintf("%s-%s.png", p.name, sc.name)), png, 0o644); err != nil {
						t.Fatal(err)
					}
				}
			})
		}
	}
}

// TestBrowserControls clicks what a visitor clicks on a phone: the folded
// filters open, sorting by date reorders the stories, the switch to every
// article shows each copy of a story, and each state is in the address.
func TestBrowserControls(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, fixtureArticles())
	do(t, ctx, "load the search on a phone",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(srv.URL+"/?q=Amazon"),
		chromedp.WaitReady(chromedp.CSS(`#results`)))
	shown := `document.querySelector('a.facet[data-facet=lang]').checkVisibility()`
	if open, visible := eval[bool](t, ctx, `document.querySelector('#refine').open`), eval[bool](t, ctx, shown); open || visible {
		t.Errorf("on a phone the filters start unfolded (open %v, facet shown %v)", open, visible)
	}
	do(t, ctx, "unfold the filters",
		chromedp.Click(chromedp.CSS(`#refine > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`a.facet[data-facet=lang]`)))

	relevance := resultIDs(t, ctx)
	clickAndWait(t, ctx, `#sort a[data-sort=date]`)
	newest := resultIDs(t, ctx)
	if slices.Equal(relevance, newest) || len(newest) != 3 {
		t.Errorf("sorting by date: %v, then %v; want the three stories in another order", relevance, newest)
	}
	if newest[0] != "c5000000000000000000000000000005" {
		t.Errorf("newest first: %v, want the LaLiga piece first", newest)
	}
	clickAndWait(t, ctx, `#view a[data-view=articles]`)
	every := resultIDs(t, ctx)
	if len(every) != 5 {
		t.Errorf("every article: %d results, want 5", len(every))
	}
	location := eval[string](t, ctx, `location.href`)
	for _, want := range []string{"q=Amazon", "sort=date", "view=articles"} {
		if !strings.Contains(location, want) {
			t.Errorf("location %s: no %s", location, want)
		}
	}
	clickAndWait(t, ctx, `#view a[data-view=stories]`)
	do(t, ctx, "open a story's coverage",
		chromedp.Click(chromedp.CSS(`details.coverage > summary`)),
		chromedp.WaitVisible(chromedp.CSS(`details.coverage a.story-link`)))
	if others := eval[int](t, ctx, `document.querySelectorAll('details.coverage[open] li').length`); others != 2 {
		t.Errorf("the story's other coverage lists %d articles, want 2", others)
	}
	clickAndWait(t, ctx, `details.coverage a.story-link`)
	groups := eval[[]string](t, ctx, `[...document.querySelectorAll('section.lang-group')].map(s => s.id + ':' + s.querySelectorAll('li.result').length)`)
	if !slices.Equal(groups, []string{"lang-it:3"}) {
		t.Errorf("story page groups %v, want lang-it:3", groups)
	}
}

// TestBrowserBadDate checks that a bad date says what is wrong and offers
// a way on, with no empty link.
func TestBrowserBadDate(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, fixtureArticles())
	do(t, ctx, "load a search with a bad date", chromedp.Navigate(srv.URL+"/?q=Amazon&since=yesterday"))
	msg := eval[string](t, ctx, `document.querySelector('#error').textContent`)
	empty := eval[int](t, ctx, `document.querySelectorAll('a:not([href]), a[href=""]').length`)
	if !strings.Contains(msg, `"yesterday"`) || !strings.Contains(msg, "2026-01-01") {
		t.Errorf("error %q: want the bad value and an example of a good one", msg)
	}
	if empty > 0 {
		t.Errorf("%d empty links", empty)
	}
	clickAndWait(t, ctx, `#error a`)
	if ids := resultIDs(t, ctx); len(ids) != 3 {
		t.Errorf("the search without the date: %d stories, want 3", len(ids))
	}
}

// audit finds, on the page, the controls without a label and the text
// whose contrast with its background is below WCAG AA (4.5:1, or 3:1 for
// large text).
const audit = `(() => {
	const unlabelled = [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
		.filter(e => e.tagName !== 'BUTTON' ? !e.labels.length && !e.getAttribute('aria-label') : !e.textContent.trim() && !e.getAttribute('aria-label'))
		.map(e => e.outerHTML.slice(0, 80));
	const rgb = s => (s.match(/[\d.]+/g) || []).map(Number);
	const lum = ([r, g, b]) => {
		const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
	};
	const background = el => {
		for (; el; el = el.parentElement) {
			const c = rgb(getComputedStyle(el).backgroundColor);
			if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
		}
		return [255, 255, 255];
	};
	const low = [];
	for (const el of document.body.querySelectorAll('*')) {
		if (!el.checkVisibility() || ![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
		const st = getComputedStyle(el);
		const a = lum(rgb(st.color)), b = lum(background(el));
		const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
		const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight) >= 700;
		const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
		if (ratio < need) low.push(el.tagName.toLowerCase() + ' "' + el.textContent.trim().slice(0, 30) + '" ' + ratio.toFixed(2));
	}
	return {unlabelled, low};
})()`

// TestBrowserAccessible checks, on each page at both widths, that every
// control has a label and every text meets AA contrast, and that each of
// the first stops of the keyboard shows where the focus is, the first
// being a link past the header to the content.
func TestBrowserAccessible(t *testing.T) {
	ctx := browser(t)
	srv := newServer(t, fixtureArticles())
	type report struct {
		Unlabelled []string `json:"unlabelled"`
		Low        []string `json:"low"`
	}
	for _, sc := range screens {
		for _, path := range []string{"/?q=Amazon", "/?q=Amazon&view=articles", "/stories/" + storyCluster, "/entities/amazon", "/?q=Amazon&since=yesterday"} {
			t.Run(sc.name+path, func(t *testing.T) {
				do(t, ctx, "load "+path,
					chromedp.EmulateViewport(sc.width, sc.height),
					chromedp.Navigate(srv.URL+path),
					chromedp.WaitReady(chromedp.CSS(`body`)))
				got := eval[report](t, ctx, audit)
				if len(got.Unlabelled) > 0 {
					t.Errorf("controls without a label: %v", got.Unlabelled)
				}
				if len(got.Low) > 0 {
					t.Errorf("text below AA contrast: %v", got.Low)
				}
				type stop struct {
					Element string `json:"element"`
					Href    string `json:"href"`
					Outline string `json:"outline"`
				}
				for i := range 12 {
					do(t, ctx, "press Tab", chromedp.KeyEvent("\t"))
					focus := eval[stop](t, ctx, `(() => { const e = document.activeElement; const s = getComputedStyle(e);
						return {element: e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''), href: e.getAttribute('href') || '',
							outline: s.outlineStyle === 'none' ? '' : s.outlineWidth} })()`)
					if focus.Element == "body" {
						break
					}
					if focus.Outline == "" || focus.Outline == "0px" {
						t.Errorf("stop %d of the keyboard, %s, shows no focus", i+1, focus.Element)
					}
					if i == 0 && (focus.Element != "a.skip" || focus.Href != "#main") {
						t.Errorf("the first stop of the keyboard is %s %s, want the link to the content", focus.Element, focus.Href)
					}
				}
			})
		}
	}
}
