package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func job(session, msgID string) Job {
	return Job{Session: session, ChatID: "4915100000000@c.us", Body: "hello", MsgID: msgID}
}

func TestEnqueue(t *testing.T) {
	db := newTestDB(t, "s1", "s2")
	jobs, err := db.Enqueue(job("s1", "3EB0A1"), job("s2", "3EB0B1"), job("s1", "3EB0A2"))
	if err != nil {
		t.Fatal(err)
	}
	if jobs[0].Seq != 1 || jobs[1].Seq != 1 || jobs[2].Seq != 2 {
		t.Fatalf("seqs = %d %d %d, want per-session 1 1 2", jobs[0].Seq, jobs[1].Seq, jobs[2].Seq)
	}
	for _, j := range jobs {
		if j.State != JobQueued || j.Created.IsZero() || !j.Updated.Equal(j.Created) {
			t.Errorf("defaults not set: %+v", j)
		}
	}
	got, err := db.GetJob("s1", 2)
	if err != nil {
		t.Fatal(err)
	}
	if got.MsgID != "3EB0A2" || got.Body != "hello" || got.Session != "s1" || !got.Created.Equal(jobs[2].Created) {
		t.Errorf("GetJob = %+v", got)
	}
	byID, err := db.JobByMsgID("s2", "3EB0B1")
	if err != nil || byID.Seq != 1 {
		t.Errorf("JobByMsgID = %+v, %v", byID, err)
	}
	if _, err := db.JobByMsgID("s1", "3EB0B1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("message id of another session: %v, want ErrNotFound", err)
	}
	if _, err := db.GetJob("s1", 9); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetJob(9) = %v, want ErrNotFound", err)
	}
}

// A job keeps the inbound message it answers; a job stored before replies
// existed has no such field and reads as answering none.
func TestJobReplyTo(t *testing.T) {
	db := newTestDB(t, "s1")
	j := job("s1", "3EB0R1")
	j.ReplyTo = "false_4915100000000@c.us_AB12"
	if _, err := db.Enqueue(j, job("s1", "3EB0R2")); err != nil {
		t.Fatal(err)
	}
	if got, err := db.GetJob("s1", 1); err != nil || got.ReplyTo != j.ReplyTo {
		t.Fatalf("GetJob(1) = %+v, %v; want reply_to %q", got, err, j.ReplyTo)
	}
	var old Job
	if err := json.Unmarshal([]byte(`{"seq":2,"session":"s1","chat_id":"4915100000000@c.us","body":"hello","msg_id":"3EB0R2","state":"queued"}`), &old); err != nil || old.ReplyTo != "" {
		t.Fatalf("an old job reads as %+v, %v", old, err)
	}
	if got, _ := db.GetJob("s1", 2); got.ReplyTo != "" {
		t.Fatalf("a job without a reply reads reply_to %q", got.ReplyTo)
	}
}

func TestEnqueueRefusals(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.Enqueue(job("s1", "dup")); err != nil {
		t.Fatal(err)
	}
	// The whole call is one transaction: the fresh job is not kept either.
	if _, err := db.Enqueue(job("s1", "fresh"), job("s1", "dup")); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate message id = %v, want ErrExists", err)
	}
	if _, err := db.JobByMsgID("s1", "fresh"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a job of a failed call was stored: %v", err)
	}
	if _, err := db.Enqueue(job("s1", "twice"), job("s1", "twice")); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate within one call = %v, want ErrExists", err)
	}
	if _, err := db.Enqueue(job("nope", "m")); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing session = %v, want ErrNotFound", err)
	}
	if _, err := db.Enqueue(Job{Session: "s1", ChatID: "c@c.us"}); err == nil {
		t.Errorf("a job without a message id was accepted")
	}
	if counts, _ := db.CountJobs("s1"); counts[JobQueued] != 1 {
		t.Errorf("counts = %v, want 1 queued", counts)
	}
}

func TestUpdateJob(t *testing.T) {
	db := newTestDB(t, "s1")
	jobs, err := db.Enqueue(job("s1", "m1"))
	if err != nil {
		t.Fatal(err)
	}
	next := time.Now().Add(time.Minute).Round(0)
	got, err := db.UpdateJob("s1", jobs[0].Seq, func(j *Job) error {
		j.State, j.Attempts, j.NextAttempt, j.LastError = JobRetrying, 2, next, "page not ready"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !got.Updated.After(jobs[0].Updated) {
		t.Errorf("Updated not advanced: %v -> %v", jobs[0].Updated, got.Updated)
	}
	stored, err := db.GetJob("s1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if stored.State != JobRetrying || stored.Attempts != 2 || !stored.NextAttempt.Equal(next) || stored.LastError != "page not ready" {
		t.Errorf("stored = %+v", stored)
	}
	boom := errors.New("boom")
	if _, err := db.UpdateJob("s1", 1, func(j *Job) error { j.State = JobDead; return boom }); !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if j, _ := db.GetJob("s1", 1); j.State != JobRetrying {
		t.Errorf("aborted update stored: %v", j.State)
	}
	if _, err := db.UpdateJob("s1", 1, func(j *Job) error { j.MsgID = "other"; return nil }); err == nil {
		t.Errorf("changing the message id succeeded")
	}
	if _, err := db.UpdateJob("s1", 7, func(*Job) error { return nil }); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateJob(7) = %v, want ErrNotFound", err)
	}
}

func TestJobsAndCounts(t *testing.T) {
	db := newTestDB(t, "s1")
	var batch []Job
	for i := range 6 {
		batch = append(batch, job("s1", fmt.Sprintf("m%d", i)))
	}
	if _, err := db.Enqueue(batch...); err != nil {
		t.Fatal(err)
	}
	for seq, state := range map[uint64]JobState{2: JobSent, 4: JobSent, 5: JobDead} {
		if _, err := db.UpdateJob("s1", seq, func(j *Job) error { j.State = state; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Jobs("s1")
	if err != nil || len(all) != 6 {
		t.Fatalf("Jobs() = %d, %v", len(all), err)
	}
	for i, j := range all {
		if j.Seq != uint64(i+1) {
			t.Fatalf("not oldest first: %d at %d", j.Seq, i)
		}
	}
	sent, err := db.Jobs("s1", JobSent, JobDead)
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 3 || sent[0].Seq != 2 || sent[1].Seq != 4 || sent[2].Seq != 5 {
		t.Errorf("Jobs(sent, dead) = %v", sent)
	}
	counts, err := db.CountJobs("s1")
	if err != nil {
		t.Fatal(err)
	}
	if counts[JobQueued] != 3 || counts[JobSent] != 2 || counts[JobDead] != 1 || len(counts) != 3 {
		t.Errorf("counts = %v", counts)
	}
	if _, err := db.Jobs("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Jobs(nope) = %v, want ErrNotFound", err)
	}
}

func TestDeleteJob(t *testing.T) {
	db := newTestDB(t, "s1")
	if _, err := db.Enqueue(job("s1", "m1"), job("s1", "m2")); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteJob("s1", 1); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteJob("s1", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("second DeleteJob = %v, want ErrNotFound", err)
	}
	if _, err := db.JobByMsgID("s1", "m1"); !errors.Is(err, ErrNotFound) {
		t.Errorf("index kept a deleted job: %v", err)
	}
	// Its message id is free again; seqs keep growing.
	again, err := db.Enqueue(job("s1", "m1"))
	if err != nil {
		t.Fatal(err)
	}
	if again[0].Seq != 3 {
		t.Errorf("re-enqueued seq = %d, want 3", again[0].Seq)
	}
}

// Concurrent callers are group-committed; every job gets its own seq.
func TestEnqueueConcurrent(t *testing.T) {
	db := newTestDB(t, "s1")
	const writers, each = 40, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	seqs := make(chan uint64, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				jobs, err := db.Enqueue(job("s1", fmt.Sprintf("w%d-%d", w, i)))
				if err != nil {
					errs <- err
					return
				}
				seqs <- jobs[0].Seq
			}
		})
	}
	wg.Wait()
	close(errs)
	close(seqs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := make(map[uint64]bool)
	for s := range seqs {
		if seen[s] || s == 0 || s > writers*each {
			t.Fatalf("seq %d repeated or out of range", s)
		}
		seen[s] = true
	}
	if counts, _ := db.CountJobs("s1"); counts[JobQueued] != writers*each {
		t.Errorf("stored %d jobs, want %d", counts[JobQueued], writers*each)
	}
}
