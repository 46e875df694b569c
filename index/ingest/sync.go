package ingest

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/ottwatch/ottwatch"
)

// Syncer brings an index up to date with the archive in a goroutine of its
// own: Kick says articles were archived, and the Syncer runs its sync
// function (index.Sync from the index's cursor, say) when at least every
// has passed since the last one. Whoever archives is never held up by the
// index, however slow it answers: Kick never blocks.
type Syncer struct {
	sync   func(ctx context.Context) error
	every  time.Duration
	clock  ottwatch.Clock
	logger *slog.Logger

	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	once sync.Once
}

// StartSyncer starts a Syncer that calls sync, at most once every every
// (by clock), until Stop. A failed sync is logged; the next Kick tries
// again, from where the index's cursor stayed.
func StartSyncer(ctx context.Context, sync func(ctx context.Context) error, every time.Duration, clock ottwatch.Clock, logger *slog.Logger) *Syncer {
	s := &Syncer{sync: sync, every: every, clock: clock, logger: logger,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop(context.WithoutCancel(ctx))
	return s
}

// Kick tells the Syncer that articles wait in the archive.
func (s *Syncer) Kick() {
	select {
	case s.kick <- struct{}{}:
	default: // a sync is already asked for
	}
}

// Stop ends the Syncer, waiting for a sync in progress to finish: a sync
// cut short would deliver its batch again later.
func (s *Syncer) Stop() {
	s.once.Do(func() { close(s.stop) })
	<-s.done
}

func (s *Syncer) loop(ctx context.Context) {
	defer close(s.done)
	last := s.clock.Now()
	for {
		select {
		case <-s.stop:
			return
		case <-s.kick:
		}
		if wait := s.every - s.clock.Now().Sub(last); wait > 0 {
			select {
			case <-s.stop:
				return
			case <-s.clock.After(wait):
			}
		}
		last = s.clock.Now()
		if err := s.sync(ctx); err != nil {
			s.logger.Warn("index not up to date, ingestion goes on", "err", err)
		}
	}
}
