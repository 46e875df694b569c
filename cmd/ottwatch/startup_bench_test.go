//go:build linux

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// BenchmarkStartup runs the commands an analyst types one at a time as
// processes of the built binary, on an index of the fixture site, and
// reports for each the wall time (ns/op), the CPU time and the largest
// resident set of its runs: what starting ottwatch costs.
func BenchmarkStartup(b *testing.B) {
	bin := buildBinary(b)
	data := b.TempDir()
	env := []string{"HOME=" + b.TempDir(), "PATH=" + os.Getenv("PATH"),
		"OTTWATCH_CONFIG=" + filepath.Join(data, "config.yaml")}
	site := filepath.Join("..", "..", "testdata", "site")
	crawl := exec.Command(bin, "--data-dir", data, "crawl", site)
	crawl.Env = env
	if out, err := crawl.CombinedOutput(); err != nil {
		b.Fatalf("crawl: %v\n%s", err, out)
	}
	page := filepath.Join(site, "de", "bundesnetzagentur-5g-auflagen-telekom-vodafone-1und1.html")
	cases := []struct {
		name  string
		stdin string
		args  []string
	}{
		{"search", "", []string{"search", "Iliad", "--limit", "3"}},
		{"extract", "", []string{"extract", page}},
		{"tag word pair", "nuova rete\n", []string{"tag"}},                 // told by its words
		{"tag word pair with statistics", "net profit\n", []string{"tag"}}, // lingua's trigrams needed
		{"tag paragraph", strings.Repeat("Die Bundesnetzagentur hat die Vergabe der Frequenzen für den Mobilfunk verschoben. ", 5), []string{"tag"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var cpu time.Duration
			var maxRSS int64
			for b.Loop() {
				cmd := exec.Command(bin, append([]string{"--data-dir", data}, c.args...)...)
				cmd.Env = env
				cmd.Stdin = strings.NewReader(c.stdin)
				if out, err := cmd.CombinedOutput(); err != nil {
					b.Fatalf("%s: %v\n%s", c.args, err, out)
				}
				cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
				if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
					maxRSS = max(maxRSS, ru.Maxrss) // kilobytes on Linux
				}
			}
			b.ReportMetric(float64(cpu.Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(maxRSS)/1024, "max-RSS-MB")
		})
	}
}
