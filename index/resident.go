package index

import (
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// releaseAbove is the size of archive from which each Put, and each batch
// read by After, gives back the archive's resident pages (see release).
const releaseAbove = 32 << 20

// releaseEvery is how often a read of the whole file gives its resident
// pages back (see releasing).
const releaseEvery = 20 * time.Millisecond

// release gives back the memory that the archive's file holds in the
// process. bbolt reads the file through a shared, read-only map, and the
// pages of the map stay resident once read: a crawl adding articles under
// random ids reads leaf pages all over the file, so its resident memory
// would grow with the archive, up to the whole file. Dropped, the pages stay
// in the system's page cache and the next read maps them again from memory.
// It runs within a read transaction, which keeps bbolt from remapping the
// file meanwhile. It is best effort: where the system cannot, nothing
// changes.
func (ar *Archive) release() {
	ar.db.View(func(tx *bolt.Tx) error {
		if size := tx.Size(); size >= ar.releaseAbove {
			dropResident(ar.db.Info().Data, size)
		}
		return nil
	})
}

// releasing gives back the resident pages of db's file every releaseEvery
// until the returned func is called: for tx, a read transaction of db that
// reads the whole file (a check), whose memory is then what it reads in
// that time rather than the file. tx, open meanwhile, keeps bbolt from
// remapping the file.
func releasing(db *bolt.DB, tx *bolt.Tx) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(releaseEvery)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				dropResident(db.Info().Data, tx.Size())
			}
		}
	})
	return func() {
		close(done)
		wg.Wait()
	}
}
