package main

import (
	"strings"
	"testing"
)

func TestTopics(t *testing.T) {
	out, _, err := run(t, "", "topics")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"ID", "satellite", "Satellite communications", "fines-sanctions"} {
		if !strings.Contains(out, want) {
			t.Errorf("topics lacks %q:\n%s", want, out)
		}
	}
	out, _, err = run(t, "", "topics", "--json")
	if err != nil {
		t.Fatal(err)
	}
	topics := decode[[]topicJSON](t, out)
	if len(topics) < 10 || topics[0].ID == "" || topics[0].Name == "" || len(topics[0].Languages) == 0 {
		t.Errorf("topics --json = %+v", topics)
	}
}
