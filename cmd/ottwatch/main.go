// Command ottwatch crawls telecom and OTT news, tags the companies,
// regulators and courts each article names, indexes it and searches it.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ottwatch/ottwatch"
	"github.com/ottwatch/ottwatch/nlp/textnorm"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cmd := newRootCmd(defaultStreams(), ottwatch.SystemClock{})
	if err := cmd.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "ottwatch: "+textnorm.OneLine(err.Error()))
		if errors.Is(err, context.Canceled) {
			os.Exit(130)
		}
		os.Exit(1)
	}
}
