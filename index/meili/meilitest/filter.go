package meilitest

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// filterExpr is a parsed filter expression.
type filterExpr interface {
	eval(doc map[string]any) bool
}

type andExpr []filterExpr
type orExpr []filterExpr
type notExpr struct{ x filterExpr }

func (e andExpr) eval(doc map[string]any) bool {
	for _, x := range e {
		if !x.eval(doc) {
			return false
		}
	}
	return true
}

func (e orExpr) eval(doc map[string]any) bool {
	for _, x := range e {
		if x.eval(doc) {
			return true
		}
	}
	return false
}

func (e notExpr) eval(doc map[string]any) bool { return !e.x.eval(doc) }

// condition is one comparison on an attribute.
type condition struct {
	attr   string
	op     string // = > >= < <= TO IN EXISTS NULL EMPTY CONTAINS STARTS
	values []string
}

// filterError is a filter syntax error at a span of the filter.
type filterError struct {
	msg        string
	start, end int // 1-based columns, as Meilisearch reports them
}

// filterToken is a lexical token of a filter.
type filterToken struct {
	kind   byte // 'w' word, 'q' quoted value, 'o' operator, or the punctuation itself
	text   string
	start  int // byte offset
	end    int
	keywrd string // the keyword an unquoted word is, or ""
}

var filterKeywords = map[string]bool{
	"AND": true, "OR": true, "IN": true, "NOT": true, "TO": true, "EXISTS": true, "IS": true,
	"NULL": true, "EMPTY": true, "CONTAINS": true, "STARTS": true, "WITH": true,
	"_geoRadius": true, "_geoBoundingBox": true,
}

func isValueRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '-' || r == '.'
}

// lexFilter splits a filter into tokens.
func lexFilter(s string) ([]filterToken, *filterError) {
	var toks []filterToken
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case strings.ContainsRune("()[],", r):
			toks = append(toks, filterToken{kind: byte(r), text: string(r), start: i, end: i + 1})
			i++
		case r == '=' || r == '!' || r == '<' || r == '>':
			op := string(r)
			if i+1 < len(s) && s[i+1] == '=' {
				op += "="
			}
			if op == "!" {
				return nil, &filterError{msg: "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox` at `" + s[i:] + "`.", start: i, end: len(s)}
			}
			toks = append(toks, filterToken{kind: 'o', text: op, start: i, end: i + len(op)})
			i += len(op)
		case r == '"' || r == '\'':
			j := i + 1
			var b strings.Builder
			closed := false
			for j < len(s) {
				c, n := utf8.DecodeRuneInString(s[j:])
				if c == '\\' && j+1 < len(s) {
					next, m := utf8.DecodeRuneInString(s[j+1:])
					switch next {
					case r, '\\':
						b.WriteRune(next)
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					case 'r':
						b.WriteByte('\r')
					default:
						b.WriteRune(c)
						b.WriteRune(next)
					}
					j += 1 + m
					continue
				}
				if c == r {
					closed = true
					j += n
					break
				}
				b.WriteRune(c)
				j += n
			}
			if !closed {
				return nil, &filterError{msg: fmt.Sprintf("Expression `%s` is missing the following closing delimiter: `%c`.", s[i:], r), start: i, end: len(s)}
			}
			toks = append(toks, filterToken{kind: 'q', text: b.String(), start: i, end: j})
			i = j
		case isValueRune(r):
			j := i
			for j < len(s) {
				c, n := utf8.DecodeRuneInString(s[j:])
				if !isValueRune(c) {
					break
				}
				j += n
			}
			t := filterToken{kind: 'w', text: s[i:j], start: i, end: j}
			if filterKeywords[t.text] {
				t.keywrd = t.text
			}
			toks = append(toks, t)
			i = j
		default:
			end := i + size
			for end < len(s) {
				c, n := utf8.DecodeRuneInString(s[end:])
				if unicode.IsSpace(c) || strings.ContainsRune("()=<>!", c) {
					break
				}
				end += n
			}
			return nil, &filterError{msg: fmt.Sprintf("Was expecting a value but instead got `%s`.", s[i:end]), start: i, end: end}
		}
	}
	return toks, nil
}

// filterParser is a recursive descent parser of Meilisearch's filter
// syntax.
type filterParser struct {
	src   string
	toks  []filterToken
	i     int
	attrs []condAttr // the attributes the filter uses, to check them
	depth int
}

type condAttr struct {
	name       string
	start, end int
}

const maxFilterDepth = 2000

func (p *filterParser) peek() *filterToken {
	if p.i < len(p.toks) {
		return &p.toks[p.i]
	}
	return nil
}

func (p *filterParser) isKeyword(kw string) bool {
	t := p.peek()
	return t != nil && t.keywrd == kw
}

func (p *filterParser) errAt(t *filterToken, msg string) *filterError {
	if t == nil {
		return &filterError{msg: msg, start: len(p.src), end: len(p.src)}
	}
	return &filterError{msg: msg, start: t.start, end: t.end}
}

func parseFilterString(s string) (filterExpr, []condAttr, *filterError) {
	toks, ferr := lexFilter(s)
	if ferr != nil {
		return nil, nil, ferr
	}
	if len(toks) == 0 {
		return nil, nil, nil
	}
	p := &filterParser{src: s, toks: toks}
	e, ferr := p.or()
	if ferr != nil {
		return nil, nil, ferr
	}
	if t := p.peek(); t != nil {
		return nil, nil, &filterError{msg: fmt.Sprintf("Found unexpected characters at the end of the filter: `%s`. You probably forgot an `OR` or an `AND` rule.", s[t.start:]), start: t.start, end: len(s)}
	}
	return e, p.attrs, nil
}

func (p *filterParser) or() (filterExpr, *filterError) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	out := orExpr{first}
	for p.isKeyword("OR") {
		p.i++
		next, err := p.and()
		if err != nil {
			return nil, err
		}
		out = append(out, next)
	}
	if len(out) == 1 {
		return first, nil
	}
	return out, nil
}

func (p *filterParser) and() (filterExpr, *filterError) {
	first, err := p.not()
	if err != nil {
		return nil, err
	}
	out := andExpr{first}
	for p.isKeyword("AND") {
		p.i++
		next, err := p.not()
		if err != nil {
			return nil, err
		}
		out = append(out, next)
	}
	if len(out) == 1 {
		return first, nil
	}
	return out, nil
}

func (p *filterParser) not() (filterExpr, *filterError) {
	if p.isKeyword("NOT") {
		p.i++
		p.depth++
		if p.depth > maxFilterDepth {
			return nil, p.errAt(p.peek(), "The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.")
		}
		x, err := p.not()
		if err != nil {
			return nil, err
		}
		return notExpr{x}, nil
	}
	return p.primary()
}

func invalidPrimary(rest string) string {
	text := "but instead got nothing."
	if strings.TrimSpace(rest) != "" {
		text = "at `" + rest + "`."
	}
	return "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox` " + text
}

func (p *filterParser) primary() (filterExpr, *filterError) {
	t := p.peek()
	if t == nil {
		return nil, p.errAt(nil, invalidPrimary(""))
	}
	if t.kind == '(' {
		p.i++
		p.depth++
		if p.depth > maxFilterDepth {
			return nil, p.errAt(t, "The filter exceeded the maximum depth limit. Try rewriting the filter so that it contains fewer nested conditions.")
		}
		e, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != ')' {
			return nil, &filterError{msg: fmt.Sprintf("Expression `%s` is missing the following closing delimiter: `)`.", p.src[t.start:]), start: t.start, end: len(p.src)}
		}
		p.i++
		p.depth--
		return e, nil
	}
	if t.keywrd == "_geoRadius" || t.keywrd == "_geoBoundingBox" {
		return nil, p.errAt(t, "meilitest: the test double does not support geo filters")
	}
	if (t.kind != 'w' && t.kind != 'q') || t.keywrd != "" {
		if t.keywrd != "" {
			return nil, p.errAt(t, fmt.Sprintf("`%s` is a reserved keyword and thus cannot be used as a field name unless it is put inside quotes. Use \"%s\" or '%s' instead.", t.text, t.text, t.text))
		}
		return nil, p.errAt(t, invalidPrimary(p.src[t.start:]))
	}
	p.i++
	attr := t.text
	p.attrs = append(p.attrs, condAttr{name: attr, start: t.start, end: t.end})
	c := &condition{attr: attr}
	op := p.peek()
	if op == nil {
		return nil, p.errAt(nil, invalidPrimary(p.src[t.start:]))
	}
	var negate bool
	switch {
	case op.kind == 'o':
		p.i++
		v, err := p.value()
		if err != nil {
			return nil, err
		}
		c.values = []string{v}
		switch op.text {
		case "=":
			c.op = "="
		case "!=":
			c.op, negate = "=", true
		default:
			c.op = op.text
		}
	case op.keywrd == "NOT" || op.keywrd == "IN" || op.keywrd == "EXISTS" || op.keywrd == "IS" || op.keywrd == "CONTAINS" || op.keywrd == "STARTS":
		if op.keywrd == "NOT" {
			negate = true
			p.i++
			op = p.peek()
			if op == nil {
				return nil, p.errAt(nil, invalidPrimary(p.src[t.start:]))
			}
		}
		switch op.keywrd {
		case "IN":
			p.i++
			vals, err := p.list()
			if err != nil {
				return nil, err
			}
			c.op, c.values = "IN", vals
		case "EXISTS":
			p.i++
			c.op = "EXISTS"
		case "CONTAINS":
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.op, c.values = "CONTAINS", []string{v}
		case "STARTS":
			p.i++
			if !p.isKeyword("WITH") {
				return nil, p.errAt(p.peek(), invalidPrimary(p.src[t.start:]))
			}
			p.i++
			v, err := p.value()
			if err != nil {
				return nil, err
			}
			c.op, c.values = "STARTS", []string{v}
		case "IS":
			if negate {
				return nil, p.errAt(op, invalidPrimary(p.src[t.start:]))
			}
			p.i++
			if p.isKeyword("NOT") {
				negate = true
				p.i++
			}
			switch {
			case p.isKeyword("NULL"):
				c.op = "NULL"
			case p.isKeyword("EMPTY"):
				c.op = "EMPTY"
			default:
				return nil, p.errAt(p.peek(), invalidPrimary(p.src[t.start:]))
			}
			p.i++
		default:
			return nil, p.errAt(op, invalidPrimary(p.src[t.start:]))
		}
	case op.kind == 'w' || op.kind == 'q':
		// attr from TO to
		from, err := p.value()
		if err != nil {
			return nil, err
		}
		if !p.isKeyword("TO") {
			return nil, p.errAt(p.peek(), invalidPrimary(p.src[t.start:]))
		}
		p.i++
		to, err := p.value()
		if err != nil {
			return nil, err
		}
		c.op, c.values = "TO", []string{from, to}
	default:
		return nil, p.errAt(op, invalidPrimary(p.src[t.start:]))
	}
	if negate {
		return notExpr{c}, nil
	}
	return c, nil
}

func (p *filterParser) value() (string, *filterError) {
	t := p.peek()
	switch {
	case t == nil:
		return "", p.errAt(nil, "Was expecting a value but instead got nothing.")
	case t.kind == 'q':
		p.i++
		return t.text, nil
	case t.kind == 'w' && t.keywrd == "":
		p.i++
		return t.text, nil
	case t.kind == 'w':
		return "", p.errAt(t, fmt.Sprintf("Was expecting a value but instead got `%s`, which is a reserved keyword. To use `%s` as a field name or a value, surround it by quotes.", t.text, t.text))
	}
	return "", p.errAt(t, fmt.Sprintf("Was expecting a value but instead got `%s`.", t.text))
}

func (p *filterParser) list() ([]string, *filterError) {
	open := p.peek()
	if open == nil || open.kind != '[' {
		return nil, p.errAt(open, "Expected `[` after `IN` keyword.")
	}
	p.i++
	var vals []string
	for {
		t := p.peek()
		if t == nil {
			return nil, p.errAt(nil, "Expected matching `]` after the list of field names given to `IN[`")
		}
		if t.kind == ']' {
			p.i++
			return vals, nil
		}
		if t.kind != 'w' && t.kind != 'q' || t.keywrd != "" {
			return nil, p.errAt(t, fmt.Sprintf("Expected only comma-separated field names inside `IN[..]` but instead found `%s`.", p.src[t.start:]))
		}
		p.i++
		vals = append(vals, t.text)
		if c := p.peek(); c != nil && c.kind == ',' {
			p.i++
		} else if c == nil || c.kind != ']' {
			return nil, p.errAt(c, "Expected matching `]` after the list of field names given to `IN[`")
		}
	}
}

// eval evaluates the condition on a document.
func (c *condition) eval(doc map[string]any) bool {
	raw, present := fieldValue(doc, c.attr)
	switch c.op {
	case "EXISTS":
		return present
	case "NULL":
		return present && raw == nil
	case "EMPTY":
		switch v := raw.(type) {
		case string:
			return v == ""
		case []any:
			return len(v) == 0
		case map[string]any:
			return len(v) == 0
		}
		return false
	}
	if !present {
		return false
	}
	var leaves []any
	flatten(raw, &leaves)
	for _, v := range leaves {
		if c.matches(v) {
			return true
		}
	}
	return false
}

// matches compares one scalar value of a document.
func (c *condition) matches(v any) bool {
	num, isNum := asNumber(v)
	str, isStr := asString(v)
	cmp := func(target string, op string) bool {
		if t, err := strconv.ParseFloat(target, 64); err == nil && isNum {
			return compareOp(num, t, op)
		}
		if isStr {
			a, b := normalizeFacet(str), normalizeFacet(target)
			return compareOp(float64(strings.Compare(a, b)), 0, op)
		}
		return false
	}
	switch c.op {
	case "=":
		return cmp(c.values[0], "=")
	case "IN":
		for _, t := range c.values {
			if cmp(t, "=") {
				return true
			}
		}
		return false
	case ">", ">=", "<", "<=":
		return cmp(c.values[0], c.op)
	case "TO":
		return cmp(c.values[0], ">=") && cmp(c.values[1], "<=")
	case "CONTAINS":
		return isStr && strings.Contains(normalizeFacet(str), normalizeFacet(c.values[0]))
	case "STARTS":
		return isStr && strings.HasPrefix(normalizeFacet(str), normalizeFacet(c.values[0]))
	}
	return false
}

func compareOp(a, b float64, op string) bool {
	switch op {
	case "=":
		return a == b
	case ">":
		return a > b
	case ">=":
		return a >= b
	case "<":
		return a < b
	case "<=":
		return a <= b
	}
	return false
}

// fieldValue returns the value of a possibly dotted attribute.
func fieldValue(doc map[string]any, attr string) (any, bool) {
	if v, ok := doc[attr]; ok {
		return v, true
	}
	head, rest, found := strings.Cut(attr, ".")
	if !found {
		return nil, false
	}
	v, ok := doc[head]
	if !ok {
		return nil, false
	}
	x := lookupPath(v, rest)
	return x, x != nil
}

// flatten appends the scalar values of v, through arrays.
func flatten(v any, out *[]any) {
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			flatten(e, out)
		}
	case map[string]any:
	default:
		*out = append(*out, v)
	}
}

func asNumber(v any) (float64, bool) {
	if n, ok := v.(json.Number); ok {
		f, err := n.Float64()
		return f, err == nil && !math.IsInf(f, 0) && !math.IsNaN(f)
	}
	return 0, false
}

func asString(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case bool:
		return strconv.FormatBool(v), true
	case json.Number:
		return v.String(), true
	}
	return "", false
}

// parseFilterParam parses the filter parameter of a search or document
// fetch: a string, or an array whose elements are ANDed, each a string or
// an array of strings ORed. It checks that every attribute is filterable.
func parseFilterParam(v any, s *settings, uid, code string) (filterExpr, *apiError) {
	fail := func(msg string) *apiError {
		return newError(http.StatusBadRequest, code, msg)
	}
	parseOne := func(f string) (filterExpr, *apiError) {
		e, attrs, ferr := parseFilterString(f)
		if ferr != nil {
			start := utf8.RuneCountInString(f[:ferr.start]) + 1
			end := start + utf8.RuneCountInString(f[ferr.start:ferr.end])
			return nil, fail(fmt.Sprintf("%s\n%d:%d %s", ferr.msg, start, end, f))
		}
		patterns := s.filterablePatterns()
		for _, a := range attrs {
			if matchAny(patterns, a.name) {
				continue
			}
			start := utf8.RuneCountInString(f[:a.start]) + 1
			end := start + utf8.RuneCountInString(f[a.start:a.end])
			avail := "This index does not have configured filterable attributes."
			if len(patterns) > 0 {
				avail = "Available filterable attribute patterns are: `" + strings.Join(patterns, "`, `") + "`."
			}
			return nil, fail(fmt.Sprintf("Index `%s`: Attribute `%s` is not filterable. %s\n%d:%d %s", uid, a.name, avail, start, end, f))
		}
		return e, nil
	}
	switch v := v.(type) {
	case nil:
		return nil, nil
	case string:
		return parseOne(v)
	case []any:
		var and andExpr
		for _, item := range v {
			switch item := item.(type) {
			case string:
				e, err := parseOne(item)
				if err != nil {
					return nil, err
				}
				if e != nil {
					and = append(and, e)
				}
			case []any:
				var or orExpr
				for _, sub := range item {
					s, ok := sub.(string)
					if !ok {
						return nil, fail("Invalid value type at `.filter`: expected a string or an array of strings and arrays of strings")
					}
					e, err := parseOne(s)
					if err != nil {
						return nil, err
					}
					if e != nil {
						or = append(or, e)
					}
				}
				if len(or) > 0 {
					and = append(and, or)
				}
			default:
				return nil, fail("Invalid value type at `.filter`: expected a string or an array of strings and arrays of strings")
			}
		}
		if len(and) == 0 {
			return nil, nil
		}
		return and, nil
	}
	return nil, fail("Invalid value type at `.filter`: expected a string or an array, but found something else")
}
