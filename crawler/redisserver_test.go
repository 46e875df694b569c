package crawler

import (
	"testing"

	"github.com/ottwatch/ottwatch/crawler/redistest"
)

// startRedis starts a private redis-server for the test; see redistest.Start.
func startRedis(t *testing.T) string { return redistest.Start(t) }
