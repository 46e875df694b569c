//go:build unix

package crawltest

import (
	"syscall"
	"testing"
	"time"
)

// CPUTime returns the CPU time the process has used, user and system: the
// figure of a benchmark that does not depend on how many cores were idle.
func CPUTime(tb testing.TB) time.Duration {
	ru := usage(tb)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// MaxRSS returns the process's peak resident set size, in bytes, since it
// started.
func MaxRSS(tb testing.TB) int64 {
	return usage(tb).Maxrss << 10 // kilobytes on Linux
}

func usage(tb testing.TB) *syscall.Rusage {
	tb.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		tb.Fatal(err)
	}
	return &ru
}
