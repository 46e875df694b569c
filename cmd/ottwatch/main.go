// Command ottwatch crawls telecom and OTT news, tags the companies,
// regulators and courts each article names, indexes it and searches it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/ottwatch/ottwatch"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd(defaultStreams(), ottwatch.SystemClock{})
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ottwatch: "+oneLine(err))
		if errors.Is(err, context.Canceled) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}

// oneLine returns the error's message on a single line.
func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
