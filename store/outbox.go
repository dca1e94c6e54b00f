package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// JobState is where an outbox job stands.
type JobState string

// The job states; the session's sender moves jobs between them.
const (
	JobQueued   JobState = "queued"
	JobSending  JobState = "sending"
	JobSent     JobState = "sent"
	JobRetrying JobState = "retrying"
	JobDead     JobState = "dead"
	JobHeld     JobState = "held"
)

// Job is one message to send. MsgID is the WhatsApp message id chosen at
// enqueue, so that after a crash the page can be asked whether it was sent.
type Job struct {
	Seq         uint64    `json:"seq"`
	Session     string    `json:"session"`
	ChatID      string    `json:"chat_id"`
	Body        string    `json:"body"`
	MsgID       string    `json:"msg_id"`
	State       JobState  `json:"state"`
	Attempts    int       `json:"attempts,omitzero"`
	NextAttempt time.Time `json:"next_attempt,omitzero"`
	LastError   string    `json:"last_error,omitzero"`
	Permanent   bool      `json:"permanent,omitzero"`
	HoldReason  string    `json:"hold_reason,omitzero"`
	ReplyTo     string    `json:"reply_to,omitzero"` // the inbound message id this job answers
	Ack         int       `json:"ack,omitzero"`
	Created     time.Time `json:"created"`
	Updated     time.Time `json:"updated"`
	SentAt      time.Time `json:"sent_at,omitzero"`
}

// Enqueue stores jobs durably (fsynced before it returns) and returns them
// with Seq assigned per session, State defaulting to queued and Created and
// Updated to now. All jobs of one call commit together or not at all.
// Concurrent calls are group-committed by db.Batch: one fsync for many
// callers, at the cost of up to batchDelay (2 ms) for a lone one. A MsgID
// already present in the session fails with ErrExists; a missing session
// with ErrNotFound.
func (db *DB) Enqueue(jobs ...Job) ([]Job, error) {
	if len(jobs) == 0 {
		return nil, nil
	}
	for i, j := range jobs {
		if j.Session == "" || j.ChatID == "" || j.MsgID == "" {
			return nil, fmt.Errorf("enqueue: job %d lacks a session, chat id or message id", i)
		}
	}
	now := time.Now()
	var out []Job
	// Batch may run the function more than once: it must only depend on
	// its arguments and set out afresh.
	err := db.bolt.Batch(func(tx *bolt.Tx) error {
		var err error
		out, err = enqueueTx(tx, jobs, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("enqueue: %w", err)
	}
	return out, nil
}

func enqueueTx(tx *bolt.Tx, jobs []Job, now time.Time) ([]Job, error) {
	out := make([]Job, len(jobs))
	for i, j := range jobs {
		if err := requireSession(tx, j.Session); err != nil {
			return nil, err
		}
		b, err := createBucketIfNotExists(tx, outboxPath(j.Session)...)
		if err != nil {
			return nil, err
		}
		index, err := createBucketIfNotExists(tx, msgIDsPath(j.Session)...)
		if err != nil {
			return nil, err
		}
		if index.Get([]byte(j.MsgID)) != nil {
			return nil, fmt.Errorf("session %q message id %q: %w", j.Session, j.MsgID, ErrExists)
		}
		if j.Seq, err = b.NextSequence(); err != nil {
			return nil, err
		}
		if j.State == "" {
			j.State = JobQueued
		}
		if j.Created.IsZero() {
			j.Created = now
		}
		j.Updated = now
		if err := putJob(b, j); err != nil {
			return nil, err
		}
		if err := index.Put([]byte(j.MsgID), itob(j.Seq)); err != nil {
			return nil, err
		}
		out[i] = j
	}
	return out, nil
}

// GetJob returns job seq of session, or ErrNotFound.
func (db *DB) GetJob(session string, seq uint64) (Job, error) {
	var j Job
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		j, err = getJob(tx, session, seq)
		return err
	})
	if err != nil {
		return Job{}, fmt.Errorf("get job: %w", err)
	}
	return j, nil
}

// JobByMsgID returns the session's job with WhatsApp message id msgID, or
// ErrNotFound.
func (db *DB) JobByMsgID(session, msgID string) (Job, error) {
	var j Job
	err := db.bolt.View(func(tx *bolt.Tx) error {
		index := getBucket(tx, msgIDsPath(session)...)
		if index == nil {
			return ErrNotFound
		}
		seq, ok := btoi(index.Get([]byte(msgID)))
		if !ok {
			return ErrNotFound
		}
		var err error
		j, err = getJob(tx, session, seq)
		return err
	})
	if err != nil {
		return Job{}, fmt.Errorf("session %q message id %q: %w", session, msgID, err)
	}
	return j, nil
}

// UpdateJob reads a job, lets fn change it and writes it back in one
// transaction, setting Updated; fn's error aborts it. Seq, Session and MsgID
// are keys and cannot change.
func (db *DB) UpdateJob(session string, seq uint64, fn func(*Job) error) (Job, error) {
	var j Job
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		var err error
		if j, err = getJob(tx, session, seq); err != nil {
			return err
		}
		before := j
		if err := fn(&j); err != nil {
			return err
		}
		if j.Seq != before.Seq || j.Session != before.Session || j.MsgID != before.MsgID {
			return errors.New("seq, session and message id cannot change")
		}
		j.Updated = time.Now()
		if err := putJob(getBucket(tx, outboxPath(session)...), j); err != nil {
			return err
		}
		return db.jobHook(tx, before, j)
	})
	if err != nil {
		return Job{}, fmt.Errorf("update job %d of session %q: %w", seq, session, err)
	}
	return j, nil
}

// Jobs returns the session's jobs in the given states (all if none), oldest
// first; ErrNotFound if the session does not exist.
func (db *DB) Jobs(session string, states ...JobState) ([]Job, error) {
	var out []Job
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return forEachJob(tx, session, func(j Job) {
			if len(states) == 0 || slices.Contains(states, j.State) {
				out = append(out, j)
			}
		})
	})
	if err != nil {
		return nil, fmt.Errorf("jobs of session %q: %w", session, err)
	}
	return out, nil
}

// CountJobs returns how many of the session's jobs are in each state.
func (db *DB) CountJobs(session string) (map[JobState]int, error) {
	counts := make(map[JobState]int)
	err := db.bolt.View(func(tx *bolt.Tx) error {
		return forEachJob(tx, session, func(j Job) { counts[j.State]++ })
	})
	if err != nil {
		return nil, fmt.Errorf("count jobs of session %q: %w", session, err)
	}
	return counts, nil
}

// DeleteJob removes a job and its message id from the index.
func (db *DB) DeleteJob(session string, seq uint64) error {
	err := db.bolt.Update(func(tx *bolt.Tx) error {
		j, err := getJob(tx, session, seq)
		if err != nil {
			return err
		}
		if err := getBucket(tx, outboxPath(session)...).Delete(itob(seq)); err != nil {
			return err
		}
		index := getBucket(tx, msgIDsPath(session)...)
		if index == nil {
			return nil
		}
		if s, _ := btoi(index.Get([]byte(j.MsgID))); s == seq {
			return index.Delete([]byte(j.MsgID))
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("delete job: %w", err)
	}
	return nil
}

func getJob(tx *bolt.Tx, session string, seq uint64) (Job, error) {
	if b := getBucket(tx, outboxPath(session)...); b != nil {
		if v := b.Get(itob(seq)); v != nil {
			return decodeJob(session, seq, v)
		}
	}
	return Job{}, fmt.Errorf("job %d of session %q: %w", seq, session, ErrNotFound)
}

func forEachJob(tx *bolt.Tx, session string, fn func(Job)) error {
	if err := requireSession(tx, session); err != nil {
		return err
	}
	b := getBucket(tx, outboxPath(session)...)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		seq, _ := btoi(k)
		j, err := decodeJob(session, seq, v)
		if err == nil {
			fn(j)
		}
		return err
	})
}

func putJob(b *bolt.Bucket, j Job) error {
	v, err := json.Marshal(j)
	if err != nil {
		return err
	}
	return b.Put(itob(j.Seq), v)
}

// decodeJob trusts the key over the value for Seq and Session.
func decodeJob(session string, seq uint64, v []byte) (Job, error) {
	var j Job
	if err := json.Unmarshal(v, &j); err != nil {
		return Job{}, fmt.Errorf("job %d of session %q is damaged: %w", seq, session, err)
	}
	j.Seq, j.Session = seq, session
	return j, nil
}
