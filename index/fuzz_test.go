package index

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzArchiveDecode feeds arbitrary bytes to everything that decodes what
// the archive stores: article records, kept pages and the records carved
// out of a damaged file. None may panic, and what a decoder accepts must
// hold together.
func FuzzArchiveDecode(f *testing.F) {
	a := newArticle(1, "Amazon chiede al Mise l'autorizzazione")
	hash, err := contentHash(a)
	if err != nil {
		f.Fatal(err)
	}
	good, err := json.Marshal(record{Seq: 7, Hash: hash, Article: a})
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte(a.ID), good)
	f.Add([]byte(a.ID), gzipPage(Page{Article: a, HTML: []byte("<p>ciao</p>"), ContentType: "text/html"}))
	f.Add([]byte(a.ID), append(append([]byte("junk"), good...), good[:len(good)/2]...))
	f.Add([]byte("x"), []byte(`{"seq":1,"article":null}`))
	f.Fuzz(func(t *testing.T, id, raw []byte) {
		if rec, err := decodeRecord(id, raw); err == nil {
			if rec.Article == nil || rec.Article.ID != string(id) || rec.Seq == 0 {
				t.Fatalf("accepted a partial record: %+v", rec)
			}
			if _, err := contentHash(rec.Article); err != nil {
				t.Fatalf("accepted record does not hash: %v", err)
			}
		}
		if page, ct, err := unpackPage(raw, DefaultMaxPage); err == nil {
			if len(page) > DefaultMaxPage || bytes.ContainsRune([]byte(ct), '\n') {
				t.Fatalf("page of %d bytes, content type %q", len(page), ct)
			}
		}
		for _, rec := range carve(raw) {
			h, err := contentHash(rec.Article)
			if err != nil || h != rec.Hash || rec.Seq == 0 {
				t.Fatalf("carved a record that does not hold together: %+v", rec)
			}
		}
	})
}
