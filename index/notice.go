package index

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// bucketNotices holds, per webhook, what was delivered to it: a bucket
// named after the webhook, with its cursor under noticeCursorKey (the
// archive sequence up to which every story change was considered) and,
// under each story id, the Notice last delivered of it. It is made on
// the first delivery, so archives written before webhooks existed are
// read as they are.
var bucketNotices = []byte("notices")

// noticeCursorKey holds a webhook's cursor; story ids never take it.
var noticeCursorKey = []byte("\x00cursor")

// Notice is what a webhook confirmed it received of a story: its
// articles then, and when.
type Notice struct {
	Articles []string  `json:"articles"`
	At       time.Time `json:"at"`
}

// NoticeCursor returns the sequence up to which the webhook called hook
// has been given every story change, and whether it has a cursor at all
// (a webhook never seen has none).
func (ar *Archive) NoticeCursor(hook string) (seq uint64, known bool, err error) {
	err = ar.view(func(tx *bolt.Tx) error {
		b := noticeBucket(tx, hook)
		if b == nil {
			return nil
		}
		if v := b.Get(noticeCursorKey); len(v) == 8 {
			seq, known = binary.BigEndian.Uint64(v), true
		}
		return nil
	})
	if err != nil {
		return 0, false, fmt.Errorf("archive: notices of %s: %w", hook, err)
	}
	return seq, known, nil
}

// StartNotices gives the webhook called hook the cursor seq unless it has
// one, and reports whether it did: a new webhook is told of what changes
// after seq, not of everything ever archived.
func (ar *Archive) StartNotices(hook string, seq uint64) (started bool, err error) {
	err = ar.update(func(tx *bolt.Tx) error {
		b, err := createNoticeBucket(tx, hook)
		if err != nil || b.Get(noticeCursorKey) != nil {
			return err
		}
		started = true
		return b.Put(noticeCursorKey, seqKey(seq))
	})
	if err != nil {
		return false, fmt.Errorf("archive: notices of %s: %w", hook, err)
	}
	return started, nil
}

// Delivered returns the notice of story last delivered to the webhook
// called hook, or nil when it was told nothing of it.
func (ar *Archive) Delivered(hook, story string) (*Notice, error) {
	var n *Notice
	err := ar.view(func(tx *bolt.Tx) error {
		b := noticeBucket(tx, hook)
		if b == nil {
			return nil
		}
		raw := b.Get([]byte(story))
		if raw == nil {
			return nil
		}
		n = new(Notice)
		return json.Unmarshal(raw, n)
	})
	if err != nil {
		return nil, fmt.Errorf("archive: notice of story %s to %s: %w", story, hook, err)
	}
	return n, nil
}

// RecordNotice records, in one durable transaction, that the webhook
// called hook confirmed receiving story with n's articles and that its
// cursor is now seq (it never moves back). Call it only once the receiver
// has confirmed.
func (ar *Archive) RecordNotice(hook, story string, n Notice, seq uint64) error {
	raw, err := json.Marshal(n)
	if err != nil {
		return err
	}
	err = ar.update(func(tx *bolt.Tx) error {
		b, err := createNoticeBucket(tx, hook)
		if err != nil {
			return err
		}
		if err := b.Put([]byte(story), raw); err != nil {
			return err
		}
		return advanceNoticeCursor(b, seq)
	})
	if err != nil {
		return fmt.Errorf("archive: notice of story %s to %s: %w", story, hook, err)
	}
	return nil
}

// SetNoticeCursor moves the cursor of the webhook called hook forward to
// seq: the story changes up to it need no notice.
func (ar *Archive) SetNoticeCursor(hook string, seq uint64) error {
	err := ar.update(func(tx *bolt.Tx) error {
		b, err := createNoticeBucket(tx, hook)
		if err != nil {
			return err
		}
		return advanceNoticeCursor(b, seq)
	})
	if err != nil {
		return fmt.Errorf("archive: notices of %s: %w", hook, err)
	}
	return nil
}

// advanceNoticeCursor sets b's cursor to seq unless it is further already.
func advanceNoticeCursor(b *bolt.Bucket, seq uint64) error {
	if v := b.Get(noticeCursorKey); len(v) == 8 && binary.BigEndian.Uint64(v) >= seq {
		return nil
	}
	return b.Put(noticeCursorKey, seqKey(seq))
}

// noticeBucket returns the bucket of the webhook called hook, or nil.
func noticeBucket(tx *bolt.Tx, hook string) *bolt.Bucket {
	b := tx.Bucket(bucketNotices)
	if b == nil {
		return nil
	}
	return b.Bucket([]byte(hook))
}

// createNoticeBucket returns the bucket of the webhook called hook, made
// if need be.
func createNoticeBucket(tx *bolt.Tx, hook string) (*bolt.Bucket, error) {
	b, err := tx.CreateBucketIfNotExists(bucketNotices)
	if err != nil {
		return nil, err
	}
	return b.CreateBucketIfNotExists([]byte(hook))
}
