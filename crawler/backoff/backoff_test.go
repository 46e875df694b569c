package backoff

import (
	"context"
	"testing"
	"time"
)

func TestWait(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	p := Policy{Base: time.Second, Cap: 10 * time.Second}
	tests := []struct {
		name       string
		attempt    int
		retryAfter string
		min, max   time.Duration
		within     bool
	}{
		{"first retry", 1, "", 500 * time.Millisecond, time.Second, true},
		{"third retry", 3, "", 2 * time.Second, 4 * time.Second, true},
		{"capped", 10, "", 5 * time.Second, 10 * time.Second, true},
		{"Retry-After seconds", 1, "3", 3 * time.Second, 3 * time.Second, true},
		{"Retry-After zero", 1, "0", 0, 0, true},
		{"Retry-After at the cap", 1, "10", 10 * time.Second, 10 * time.Second, true},
		{"Retry-After past the cap", 1, "11", 10 * time.Second, 10 * time.Second, false},
		{"Retry-After date", 1, "Tue, 01 Dec 2026 12:00:07 GMT", 7 * time.Second, 7 * time.Second, true},
		{"Retry-After past date", 1, "Tue, 01 Dec 2026 11:00:00 GMT", 0, 0, true},
		{"Retry-After beyond the cap", 1, "999999", 10 * time.Second, 10 * time.Second, false},
		{"Retry-After too large to read", 1, "99999999999999999999999", 10 * time.Second, 10 * time.Second, false},
		{"Retry-After negative", 1, "-5", 500 * time.Millisecond, time.Second, true},
		{"Retry-After garbage", 2, "soon", time.Second, 2 * time.Second, true},
	}
	for _, tt := range tests {
		for range 20 {
			got, within := p.Wait(tt.attempt, tt.retryAfter, now)
			if got < tt.min || got > tt.max || within != tt.within {
				t.Fatalf("%s: Wait = %v, %t; want %v to %v, %t", tt.name, got, within, tt.min, tt.max, tt.within)
			}
		}
	}
}

func TestSleepCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); err != context.Canceled {
		t.Errorf("Sleep on a cancelled context = %v", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Errorf("Sleep = %v", err)
	}
}
