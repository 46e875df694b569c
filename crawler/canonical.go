package crawler

import (
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"

	"github.com/ottwatch/ottwatch"
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

// sourceOf returns the source an article at u is credited to (see
// ottwatch.SourceHost), or "local" for a file.
func sourceOf(u *url.URL) string {
	if u.Scheme == "file" {
		return "local"
	}
	return ottwatch.SourceHost(u.Hostname())
}

// sameSite reports whether two hosts (with or without ports) belong to one
// site: the same host, or the same registrable domain
// (www.example.co.uk and m.example.co.uk). Hosts that are IP addresses or
// have no public suffix must be equal, ports included.
func sameSite(a, b string) bool {
	if strings.EqualFold(a, b) {
		return true
	}
	ha, hb := strings.ToLower(hostname(a)), strings.ToLower(hostname(b))
	if net.ParseIP(ha) != nil || net.ParseIP(hb) != nil {
		return false
	}
	da, errA := publicsuffix.EffectiveTLDPlusOne(ha)
	db, errB := publicsuffix.EffectiveTLDPlusOne(hb)
	return errA == nil && errB == nil && da == db
}

// hostname returns host without its port.
func hostname(host string) string {
	return (&url.URL{Host: host}).Hostname()
}
