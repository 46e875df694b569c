package crawler

import (
	_ "embed"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/ottwatch/ottwatch"
)

//go:embed sources.yaml
var defaultSourcesYAML string

// Source is a site ottwatch follows: where to start, which hosts belong to
// it, what its articles look like and how politely to crawl it.
type Source struct {
	Name  string   `yaml:"name" json:"name"`
	Title string   `yaml:"title" json:"title,omitempty"`
	Start []string `yaml:"start" json:"start"` // feeds, sitemaps, section pages, local paths
	// Hosts are hosts besides those of Start whose pages belong to the
	// source.
	Hosts []string `yaml:"hosts" json:"hosts,omitempty"`
	// ArticlePattern, a regular expression, is what the URL of an article
	// of the source matches; other pages are only followed.
	ArticlePattern string `yaml:"article_pattern" json:"article_pattern,omitempty"`
	Lang           string `yaml:"lang" json:"lang,omitempty"`       // language hint for pages that declare none
	Country        string `yaml:"country" json:"country,omitempty"` // ISO 3166-1 alpha-2
	// Delay is the pause between two requests to the source's hosts (at
	// least robots.txt's Crawl-delay), Parallelism how many run at once.
	Delay       Duration `yaml:"delay" json:"delay,omitempty"`
	Parallelism int      `yaml:"parallelism" json:"parallelism,omitempty"`
	// Selector, a CSS selector, picks the article text when the extractor
	// picks wrong on this source.
	Selector string `yaml:"selector" json:"selector,omitempty"`
	// Sitemaps says to read the sitemaps robots.txt lists.
	Sitemaps bool `yaml:"sitemaps" json:"sitemaps,omitempty"`
	// Every is how often --watch crawls the source.
	Every Duration `yaml:"every" json:"every,omitempty"`

	articleRE *regexp.Regexp
}

// Duration is a time.Duration written as "1h30m" in YAML and JSON.
type Duration time.Duration

// UnmarshalYAML reads a duration such as "2s" or "1h".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("line %d: %w", n.Line, err)
	}
	*d = Duration(v)
	return nil
}

// MarshalText writes the duration as time.Duration does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// Sources is a list of sources, as a sources file holds them.
type Sources []*Source

// LoadSources reads and checks a sources file.
func LoadSources(r io.Reader) (Sources, error) {
	var f struct {
		Sources Sources `yaml:"sources"`
	}
	dec := yaml.NewDecoder(r)
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	names := make(map[string]bool)
	for i, s := range f.Sources {
		if err := s.check(); err != nil {
			return nil, fmt.Errorf("sources: source %d (%s): %w", i+1, s.Name, err)
		}
		if names[s.Name] {
			return nil, fmt.Errorf("sources: %q defined twice", s.Name)
		}
		names[s.Name] = true
	}
	return f.Sources, nil
}

// DefaultSources returns the sources embedded in the binary.
func DefaultSources() Sources {
	s, err := LoadSources(strings.NewReader(defaultSourcesYAML))
	if err != nil {
		panic(err) // the package's tests load the embedded file
	}
	return s
}

// Find returns the source called name.
func (ss Sources) Find(name string) (*Source, bool) {
	for _, s := range ss {
		if s.Name == name {
			return s, true
		}
	}
	return nil, false
}

var nameRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (s *Source) check() error {
	if !nameRE.MatchString(s.Name) {
		return fmt.Errorf("name %q is not a lower-case slug", s.Name)
	}
	if len(s.Start) == 0 {
		return fmt.Errorf("no start URLs")
	}
	for _, st := range s.Start {
		if u, err := url.Parse(st); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("start %q is not an http(s) URL", st)
		}
	}
	if s.ArticlePattern != "" {
		re, err := regexp.Compile(s.ArticlePattern)
		if err != nil {
			return fmt.Errorf("article_pattern: %w", err)
		}
		s.articleRE = re
	}
	if s.Delay < 0 || s.Parallelism < 0 || s.Every < 0 {
		return fmt.Errorf("delay, parallelism and every cannot be negative")
	}
	return nil
}

// isArticleURL reports whether u may be an article of the source.
func (s *Source) isArticleURL(u string) bool {
	return s.articleRE == nil || s.articleRE.MatchString(u)
}

// Article extracts the article of a page of the source, in the source's
// context: its selector picks the text, its language is the hint for a
// page that declares none, and its country is the article's. A page whose
// URL is not one of the source's article URLs is not an article. Crawls
// and reindex both extract through it, so that an article extracted again
// from its kept page comes out as the crawl made it.
func (s *Source) Article(p *Page) (*ottwatch.Article, error) {
	if !s.isArticleURL(p.URL.String()) {
		return nil, fmt.Errorf("%s: %w: the URL is not one of the source's article URLs", p.URL, ErrNotArticle)
	}
	p.Selector, p.Hosts = s.Selector, s.Hosts
	a, err := p.Article()
	if err != nil {
		return nil, err
	}
	s.Stamp(a)
	return a, nil
}

// Stamp gives an article the source's context: the source's language when
// its page declares none, and the source's country.
func (s *Source) Stamp(a *ottwatch.Article) {
	if a.HTMLLang == "" {
		a.HTMLLang = s.Lang
	}
	a.Country = s.Country
}

// Extract extracts the article of a page of the source kept from earlier,
// fetched from pageURL with the given Content-Type, as Article does.
func (s *Source) Extract(body []byte, pageURL, contentType string) (*ottwatch.Article, error) {
	u, err := url.Parse(pageURL)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", pageURL, err)
	}
	p, err := ParsePage(body, u, contentType)
	if err != nil {
		return nil, err
	}
	return s.Article(p)
}
