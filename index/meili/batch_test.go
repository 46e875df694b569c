package meili

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestSplitBatches(t *testing.T) {
	doc := func(n int) []byte { return []byte(fmt.Sprintf(`{"id":"%0*d"}`, n-9, 0)) } // n bytes
	tests := []struct {
		name             string
		sizes            []int
		maxDocs, maxSize int
		want             []int // documents per batch
	}{
		{"none", nil, 10, 100, nil},
		{"by count", []int{20, 20, 20, 20, 20}, 2, 1000, []int{2, 2, 1}},
		{"by bytes", []int{20, 20, 20, 20, 20}, 100, 50, []int{2, 2, 1}},
		{"exact fit", []int{20, 20}, 100, 43, []int{2}},
		{"one too many bytes", []int{20, 20}, 100, 42, []int{1, 1}},
		{"oversized alone", []int{20, 90, 20}, 100, 50, []int{1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var docs [][]byte
			for _, n := range tt.sizes {
				docs = append(docs, doc(n))
			}
			batches := splitBatches(docs, tt.maxDocs, tt.maxSize)
			var got []int
			first := 0
			for _, b := range batches {
				got = append(got, b.n)
				var arr []json.RawMessage
				if err := json.Unmarshal(b.body, &arr); err != nil || len(arr) != b.n {
					t.Errorf("batch %s is not a JSON array of %d: %v", b.body, b.n, err)
				}
				if b.first != first {
					t.Errorf("batch first = %d, want %d", b.first, first)
				}
				if b.n > 1 && len(b.body) > tt.maxSize {
					t.Errorf("batch of %d bytes, more than %d", len(b.body), tt.maxSize)
				}
				first += b.n
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("batches of %v, want %v", got, tt.want)
			}
		})
	}
}

func TestUpsertBatches(t *testing.T) {
	list, _ := indextestAll()
	var sizes []int
	for _, a := range list {
		raw, err := encodeDocument(a)
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(raw))
	}
	maxBytes := 0
	for i := 0; i+1 < len(sizes); i += 2 {
		maxBytes = max(maxBytes, sizes[i]+sizes[i+1]+3)
	}
	tests := []struct {
		name             string
		maxDocs, maxSize int
	}{
		{"by count", 3, DefaultBatchBytes},
		{"by bytes", 1000, maxBytes},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, p := openProxied(t, WithBatch(tt.maxDocs, tt.maxSize))
			p.Reset()
			if err := x.Upsert(t.Context(), list); err != nil {
				t.Fatal(err)
			}
			var docs [][]byte
			for _, a := range list {
				raw, _ := encodeDocument(a)
				docs = append(docs, raw)
			}
			want := len(splitBatches(docs, tt.maxDocs, tt.maxSize))
			n := 0
			for _, r := range p.Requests() {
				if r.Method == "POST" && r.Path == "/indexes/"+x.UID()+"/documents" {
					n++
					if r.BodyBytes > tt.maxSize {
						t.Errorf("request of %d bytes, more than %d", r.BodyBytes, tt.maxSize)
					}
				}
			}
			if n != want || n < 2 {
				t.Errorf("%d document requests, want %d (and several)", n, want)
			}
			for id, c := range p.Received(x.UID()) {
				if c != 1 {
					t.Errorf("document %s received %d times", id, c)
				}
			}
			if got := len(p.Received(x.UID())); got != len(list) {
				t.Errorf("%d documents received, want %d", got, len(list))
			}
		})
	}
}

func TestDeleteBatches(t *testing.T) {
	x, p := openProxied(t, WithBatch(3, DefaultBatchBytes))
	list, _ := indextestAll()
	if err := x.Upsert(t.Context(), list); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	p.Reset()
	if err := x.Delete(t.Context(), append(ids, "", "bad id")); err != nil {
		t.Fatal(err)
	}
	if n := p.Count("POST", "/indexes/"+x.UID()+"/documents/delete-batch"); n != 3 {
		t.Errorf("%d delete requests, want 3", n)
	}
	if n, _ := x.Count(t.Context()); n != 0 {
		t.Errorf("Count = %d", n)
	}
}
