package crawler

import (
	"net/url"
	"strings"
)

// trackingParams are query parameters that identify a campaign or a click,
// never the page.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "igshid": true, "yclid": true,
	"_ga": true, "_gl": true, "ref_src": true, "cmpid": true, "ocid": true,
}

// Canonicalize returns u in the form ottwatch identifies pages by: lower-case
// scheme and host, no default port, no fragment, no tracking parameters
// (utm_*, fbclid, gclid and the like), remaining parameters sorted.
func Canonicalize(u *url.URL) *url.URL {
	c := *u
	c.Scheme = strings.ToLower(c.Scheme)
	host := strings.ToLower(c.Hostname())
	if port := c.Port(); port != "" && !(port == "80" && c.Scheme == "http" || port == "443" && c.Scheme == "https") {
		host += ":" + port
	}
	c.Host = host
	c.Fragment, c.RawFragment = "", ""
	c.User = nil
	if c.RawQuery != "" {
		q := c.Query()
		for k := range q {
			if strings.HasPrefix(strings.ToLower(k), "utm_") || trackingParams[strings.ToLower(k)] {
				q.Del(k)
			}
		}
		c.RawQuery = q.Encode()
	}
	c.ForceQuery = false
	if c.Path == "" && c.Host != "" {
		c.Path = "/"
	}
	return &c
}

// sourceOf returns the host an article is credited to, without "www.".
func sourceOf(u *url.URL) string {
	if u.Scheme == "file" {
		return "local"
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}
