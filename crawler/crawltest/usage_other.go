//go:build !unix

package crawltest

import (
	"testing"
	"time"
)

// CPUTime skips the benchmark: the process's CPU time is read with
// getrusage, which this system lacks.
func CPUTime(tb testing.TB) time.Duration {
	tb.Helper()
	tb.Skip("the process's CPU time is read with getrusage, which this system lacks")
	return 0
}

// MaxRSS skips the benchmark, as CPUTime does.
func MaxRSS(tb testing.TB) int64 {
	tb.Helper()
	tb.Skip("the process's peak RSS is read with getrusage, which this system lacks")
	return 0
}
