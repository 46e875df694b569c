package feeds_test

import (
	"context"
	"os"
	"os/exec"
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

// TestBrowserSearchAndFacet drives a real browser: it loads the search
// page, types a query, submits it, clicks the French language facet and
// checks that the result list holds French articles only.
func TestBrowserSearchAndFacet(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	bin := chromium()
	if bin == "" {
		t.Skip("no Chromium found (looked for chromium, chromium-browser, google-chrome, headless-shell on PATH and $OTTWATCH_CHROMIUM): install it with 'apt-get install -y chromium' to run the browser test")
	}
	srv := newServer(t, fixtureArticles())

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // CI runs as root
		chromedp.DisableGPU,
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", bin, err)
	}
	ctx, cancelTimeout := context.WithTimeout(ctx, 60*time.Second)
	defer cancelTimeout()
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	step("load /", chromedp.Do(ctx,
		chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name=q]`)),
		chromedp.SendKeys(chromedp.CSS(`input[name=q]`), "Amazon"),
	))
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(`form.search button[type=submit]`))))
	step("submit the query", err)
	before, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(`#results li.result`)))
	step("read the results", err)
	_, err = chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(`a.facet[data-facet=lang][data-value=fr]`))))
	step("click the French facet", err)
	after, err := chromedp.Run(ctx, chromedp.AttributesAll(chromedp.CSSAll(`#results li.result`)))
	step("read the filtered results", err)
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#summary`)))
	step("read the summary", err)
	location, err := chromedp.Run(ctx, chromedp.Location())
	step("read the location", err)

	if len(before) != 5 {
		t.Errorf("%d results for Amazon before the facet, want 5", len(before))
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
	if !strings.Contains(summary, "1 result") || !strings.Contains(summary, "Amazon") {
		t.Errorf("summary %q", summary)
	}
}
