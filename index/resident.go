package index

import bolt "go.etcd.io/bbolt"

// releaseAbove is the size of archive from which each Put, and each batch
// read by After, gives back the archive's resident pages (see release).
const releaseAbove = 32 << 20

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
