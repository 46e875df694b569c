package crawler

import (
	"bytes"
	"io"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// headLimit is how far into a page decode looks for a <meta> charset when
// the page has no </head> sooner.
const headLimit = 64 << 10

// metaCharset finds the charset a <meta charset> or a <meta http-equiv
// content-type> declares.
var metaCharset = regexp.MustCompile(`(?i)<meta\s[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// decode returns a reader of body as UTF-8. The charset of contentType
// wins, then a byte order mark, then a <meta> charset anywhere in the
// <head>; a page that declares a legacy single-byte charset but is valid
// UTF-8 with multi-byte sequences is UTF-8 (a misdeclaration: legacy text
// almost never forms valid UTF-8), and so is an undeclared page that is
// valid UTF-8; what remains is guessed from its bytes.
func decode(body []byte, contentType string) (io.Reader, error) {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if enc, _ := charset.Lookup(params["charset"]); enc != nil {
			if enc == unicode.UTF8 && utf8.Valid(body) {
				return bytes.NewReader(body), nil // decoding would change nothing
			}
			return enc.NewDecoder().Reader(bytes.NewReader(body)), nil
		}
	}
	if enc, _, ok := bomEncoding(body); ok {
		return enc.NewDecoder().Reader(bytes.NewReader(body)), nil
	}
	head := body[:min(len(body), headLimit)]
	if i := bytes.Index(bytes.ToLower(head), []byte("</head")); i >= 0 {
		head = head[:i]
	}
	var declared encoding.Encoding
	var name string
	if m := metaCharset.FindSubmatch(head); m != nil {
		declared, name = charset.Lookup(string(m[1]))
	}
	multiByte := !isASCII(body) && utf8.Valid(body)
	switch {
	case declared == nil && (multiByte || isASCII(body)), multiByte && singleByte(name):
		return bytes.NewReader(body), nil
	case declared == nil:
		enc, _, _ := charset.DetermineEncoding(body, "text/html")
		declared = enc
	}
	// A page that declares UTF-16 in its markup is not UTF-16: the markup
	// could not be read otherwise.
	if declared == unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM) || declared == unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM) {
		declared = unicode.UTF8
	}
	return declared.NewDecoder().Reader(bytes.NewReader(body)), nil
}

// bomEncoding returns the encoding a byte order mark names.
func bomEncoding(body []byte) (encoding.Encoding, string, bool) {
	switch {
	case bytes.HasPrefix(body, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8", true
	case bytes.HasPrefix(body, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be", true
	case bytes.HasPrefix(body, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le", true
	}
	return nil, "", false
}

// singleByte reports whether the encoding of this WHATWG name is one of
// the legacy single-byte ones (windows-1252, ISO 8859, KOI8…) pages
// declare by mistake for UTF-8.
func singleByte(name string) bool {
	for _, prefix := range []string{"windows-", "iso-8859-", "koi8-", "macintosh", "ibm866", "x-mac-"} {
		if strings.HasPrefix(name, prefix) {
			return true
		}
	}
	return false
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
