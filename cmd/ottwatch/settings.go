package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/ottwatch/ottwatch"
)

// Index backends.
const (
	backendBleve = "bleve"
	backendMeili = "meili"
)

// fileConfig is the configuration file, config.yaml in ottwatch's folder of
// the user's configuration directory, or --config.
type fileConfig struct {
	Index      string               `yaml:"index"`
	Watchlists []ottwatch.Watchlist `yaml:"watchlists"`
	Meili      struct {
		URL    string `yaml:"url"`
		APIKey string `yaml:"api_key"`
		Index  string `yaml:"index"`
	} `yaml:"meili"`
}

// setting is one effective value and where it came from.
type setting struct {
	Value  string
	Source string // "flag", "env NAME", "config file", "default"
}

// settings are the effective index settings: flags over environment over
// configuration file over defaults.
type settings struct {
	Index, MeiliURL, MeiliKey, MeiliIndex setting
	ConfigFile                            string
	Watchlists                            []ottwatch.Watchlist
}

func defaultConfigFile() string {
	if f := os.Getenv("OTTWATCH_CONFIG"); f != "" {
		return f
	}
	dir, err := os.UserConfigDir()
	if err != nil {
		return ""
	}
	return filepath.Join(dir, "ottwatch", "config.yaml")
}

// loadSettings works out the effective settings. indexFlag is --index, ""
// when not given.
func loadSettings(configFile, indexFlag string) (*settings, error) {
	var fc fileConfig
	if configFile != "" {
		data, err := os.ReadFile(configFile)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return nil, fmt.Errorf("config: %w", err)
		default:
			dec := yaml.NewDecoder(strings.NewReader(string(data)))
			dec.KnownFields(true)
			if err := dec.Decode(&fc); err != nil && !errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("config %s: %w", configFile, err)
			}
		}
	}
	pick := func(flag, env, file, def string) setting {
		switch {
		case flag != "":
			return setting{flag, "flag"}
		case env != "" && os.Getenv(env) != "":
			return setting{os.Getenv(env), "env " + env}
		case file != "":
			return setting{file, "config file"}
		}
		return setting{def, "default"}
	}
	s := &settings{ConfigFile: configFile, Watchlists: fc.Watchlists}
	s.MeiliURL = pick("", "MEILI_URL", fc.Meili.URL, "")
	s.MeiliKey = pick("", "MEILI_API_KEY", fc.Meili.APIKey, "")
	s.MeiliIndex = pick("", "MEILI_INDEX", fc.Meili.Index, "articles")
	s.Index = pick(indexFlag, "OTTWATCH_INDEX", fc.Index, backendBleve)
	if s.Index.Source == "default" && s.MeiliURL.Value != "" {
		s.Index = setting{backendMeili, "default when a Meilisearch URL is set"}
	}
	switch s.Index.Value {
	case backendBleve:
	case backendMeili:
		if s.MeiliURL.Value == "" {
			return nil, errors.New("the meili index needs a Meilisearch URL: set MEILI_URL or meili.url in the config file")
		}
		u, err := url.Parse(s.MeiliURL.Value)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("Meilisearch URL %q is not an http(s) URL", redactURL(s.MeiliURL.Value))
		}
	default:
		return nil, fmt.Errorf("index %q (%s): want bleve or meili", s.Index.Value, s.Index.Source)
	}
	return s, nil
}

// redactURL returns u without any user information in it.
func redactURL(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return "(unparsable URL)"
	}
	p.User = nil
	return p.String()
}

// masked shows that a secret is set without showing it.
func masked(secret string) string {
	if secret == "" {
		return "(not set)"
	}
	return fmt.Sprintf("******** (set, %d characters)", len(secret))
}
