package meili

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/index/indextest"
)

func roundTrip(t *testing.T, a *ottwatch.Article) *ottwatch.Article {
	t.Helper()
	raw, err := encodeDocument(a)
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	got, err := decodeArticle(fields)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	// A search hit holds only articleFields, and gives the same article.
	hit := map[string]json.RawMessage{}
	for _, f := range articleFields {
		if v, ok := fields[f]; ok {
			hit[f] = v
		}
	}
	if fromHit, err := decodeArticle(hit); err != nil || !reflect.DeepEqual(fromHit, got) {
		t.Errorf("decode a hit of articleFields: %v\n got %+v\nwant %+v", err, fromHit, got)
	}
	return got
}

func TestDocumentRoundTrip(t *testing.T) {
	cases := indextest.Fixtures()
	for name, a := range indextest.ClusterFixtures() {
		cases[name] = a
	}
	cases["nanoseconds and zones"] = &ottwatch.Article{
		ID: "n", Title: "t", Lang: "de-AT", LangConfidence: 0.5,
		Published: time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("X", -7*3600)),
		Fetched:   time.Date(1999, 12, 31, 23, 59, 59, 999999999, time.UTC),
	}
	cases["unknown language"] = &ottwatch.Article{ID: "u", Title: "Título", Body: "Corpo", Lang: "gl"}
	for name, want := range cases {
		t.Run(name, func(t *testing.T) {
			got := roundTrip(t, want)
			if !got.Published.Equal(want.Published) || !got.Fetched.Equal(want.Fetched) {
				t.Errorf("times: got %v %v, want %v %v", got.Published, got.Fetched, want.Published, want.Fetched)
			}
			g, w := *got, *want
			g.Published, w.Published, g.Fetched, w.Fetched = g.Published.UTC(), w.Published.UTC(), g.Fetched.UTC(), w.Fetched.UTC()
			if !reflect.DeepEqual(g, w) {
				t.Errorf("round trip:\n got %+v\nwant %+v", g, w)
			}
		})
	}
	// A year RFC 3339 cannot write keeps its seconds.
	far := &ottwatch.Article{ID: "far", Published: time.Date(12000, 1, 1, 0, 0, 0, 5, time.UTC)}
	if got := roundTrip(t, far); !got.Published.Equal(far.Published.Truncate(time.Second)) {
		t.Errorf("year 12000: %v", got.Published)
	}
}

func TestDocumentFields(t *testing.T) {
	a := indextest.Fixtures()[indextest.It1]
	raw, err := encodeDocument(a)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"id": a.ID, "lang": "it", "source": "corrierecomunicazioni.it", "title_it": a.Title,
		"published_at": float64(a.Published.Unix()), "published": "2024-03-10 09:00 UTC",
		"published_exact": "2024-03-10T09:00:00Z", "fetched_exact": "2024-03-10T09:30:15.123456789Z",
		"html_lang": "it-IT", "site_name": "CorCom", "title": a.Title, "summary": a.Description, "image": a.Image, "country": "IT",
	}
	for k, v := range want {
		if !reflect.DeepEqual(doc[k], v) {
			t.Errorf("%s = %#v, want %#v", k, doc[k], v)
		}
	}
	if got := doc["entities"]; !reflect.DeepEqual(got, []any{"agcom", "tim"}) {
		t.Errorf("entities = %v", got)
	}
	if got := doc["entity_types"]; !reflect.DeepEqual(got, []any{"regulator", "company"}) {
		t.Errorf("entity_types = %v", got)
	}
	m, _ := doc["mentions"].([]any)
	if len(m) != 2 || m[0].(map[string]any)["name"] != "Agcom" {
		t.Errorf("mentions = %v", doc["mentions"])
	}
	for k, v := range doc {
		if s, ok := v.(string); ok && strings.HasPrefix(s, "{") {
			t.Errorf("field %s holds a JSON string blob", k)
		}
	}
	for _, k := range []string{"article", "title_xx", "description_en", "authors_it"} {
		if _, ok := doc[k]; ok {
			t.Errorf("unexpected field %s", k)
		}
	}
}

// keyOrder returns the keys of a JSON object, in order.
func keyOrder(t *testing.T, raw []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	var keys []string
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not a JSON object: %s", raw)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// readerOrder is the order a document's keys must start with.
var readerOrder = []string{"title", "source", "published", "lang", "entity_names", "summary", "url", "image"}

func TestDocumentOrder(t *testing.T) {
	for name, a := range indextest.Fixtures() {
		raw, err := encodeDocument(a)
		if err != nil {
			t.Fatal(err)
		}
		keys := keyOrder(t, raw)
		if !slices.Equal(keys[:len(readerOrder)], readerOrder) || keys[len(readerOrder)] != "id" {
			t.Errorf("%s: keys %v, want %v then id", name, keys, readerOrder)
		}
		last := keys[len(keys)-1]
		if !strings.HasPrefix(last, "body_") && !strings.HasPrefix(last, "title_") && !strings.HasPrefix(last, "description_") {
			t.Errorf("%s: last key %s, want a per-language copy", name, last)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, tt := range []struct {
		a    *ottwatch.Article
		want string
	}{
		{nil, "nil article"},
		{&ottwatch.Article{URL: "u"}, "empty id"},
		{&ottwatch.Article{ID: "a/b"}, "Meilisearch document id"},
		{&ottwatch.Article{ID: strings.Repeat("a", 512)}, "Meilisearch document id"},
	} {
		if _, err := encodeDocument(tt.a); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("encodeDocument(%v) = %v, want %q", tt.a, err, tt.want)
		}
	}
}

func TestDecodeIgnoresFormatted(t *testing.T) {
	fields := map[string]json.RawMessage{
		"id": []byte(`"x"`), "lang": []byte(`"en"`), "title_en": []byte(`"T"`),
		"_formatted": []byte(`{"title_en":"**T**"}`), "_rankingScore": []byte(`0.5`),
	}
	a, err := decodeArticle(fields)
	if err != nil || a.Title != "T" || a.ID != "x" {
		t.Errorf("decodeArticle = %+v, %v", a, err)
	}
	fields["lang_confidence"] = []byte(`"high"`)
	if _, err := decodeArticle(fields); err == nil {
		t.Errorf("decodeArticle of a bad field: no error")
	}
}
