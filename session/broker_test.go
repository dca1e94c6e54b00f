package session

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

// face is what of a snapshot must reach the operator.
type face struct {
	State State
	QR    string
	Code  string
}

func faceOf(s Snapshot) face { return face{s.State, s.QR.Payload, s.Code.Code} }

// burst publishes one session's pairing and sending, as an actor does,
// amid msgs distinct inbound messages and a snapshot after each of them;
// it returns the faces and the job states it published, in order.
func burst(b *broker, id string, msgs int) (faces []face, jobs map[uint64][]JobState) {
	jobs = map[uint64][]JobState{}
	snap := func(f face, depth int) {
		faces = append(faces, f)
		b.publish(Update{Session: id, Snapshot: &Snapshot{ID: id, State: f.State, QR: QRInfo{Payload: f.QR}, Code: CodeInfo{Code: f.Code}, Queue: QueueInfo{Depth: depth}}})
	}
	job := func(seq uint64, st JobState) {
		jobs[seq] = append(jobs[seq], st)
		b.publish(Update{Session: id, Job: &Job{Seq: seq, Session: id, State: st}})
	}
	snap(face{State: Starting}, 0)
	for i := range 3 {
		snap(face{State: QR, QR: fmt.Sprintf("%s-ref-%d", id, i)}, 0)
	}
	snap(face{State: LinkCode, Code: "ABCD-EFGH"}, 0)
	snap(face{State: Syncing}, 0)
	snap(face{State: Ready}, 0)
	b.publish(Update{Session: id, Event: &Event{Seq: 1, Kind: "paired"}})
	for i := range msgs {
		b.publish(Update{Session: id, Message: &Message{ID: fmt.Sprint(i), Key: fmt.Sprintf("false_1@c.us_%d", i), Chat: "1@c.us", New: true}})
		// The same face with another queue depth: this one may be coalesced.
		b.publish(Update{Session: id, Snapshot: &Snapshot{ID: id, State: Ready, Queue: QueueInfo{Depth: i}}})
		if i%100 == 0 {
			seq := uint64(i/100 + 1)
			job(seq, JobQueued)
			job(seq, JobSending)
			// A repeated state of one job may be coalesced too.
			b.publish(Update{Session: id, Job: &Job{Seq: seq, Session: id, State: JobSending, Attempts: 1}})
			job(seq, JobSent)
		}
	}
	snap(face{State: Disconnected}, 0)
	snap(face{State: Ready}, 0)
	b.publish(Update{Session: id, Event: &Event{Seq: 2, Kind: "connected"}})
	return faces, jobs
}

// received is what one subscriber saw of each session.
type received struct {
	faces    map[string][]face
	jobs     map[string]map[uint64][]JobState
	events   map[string][]uint64
	messages int
	resyncs  int
}

// collect reads the feed until it has seen the last event of every session.
func collect(t *testing.T, ch <-chan Update, ids []string) received {
	t.Helper()
	r := received{faces: map[string][]face{}, jobs: map[string]map[uint64][]JobState{}, events: map[string][]uint64{}}
	timeout := time.After(30 * time.Second)
	for done := 0; done < len(ids); {
		select {
		case u := <-ch:
			switch {
			case u.Resync:
				r.resyncs++
			case u.Snapshot != nil:
				f := faceOf(*u.Snapshot)
				if fs := r.faces[u.Session]; len(fs) == 0 || fs[len(fs)-1] != f {
					r.faces[u.Session] = append(fs, f)
				}
			case u.Job != nil:
				if r.jobs[u.Session] == nil {
					r.jobs[u.Session] = map[uint64][]JobState{}
				}
				st := r.jobs[u.Session][u.Job.Seq]
				if len(st) == 0 || st[len(st)-1] != u.Job.State {
					r.jobs[u.Session][u.Job.Seq] = append(st, u.Job.State)
				}
			case u.Message != nil:
				r.messages++
			case u.Event != nil:
				r.events[u.Session] = append(r.events[u.Session], u.Event.Seq)
				if u.Event.Seq == 2 {
					done++
				}
			}
		case <-timeout:
			t.Fatalf("the feed stalled; so far %d messages, events %v", r.messages, r.events)
		}
	}
	return r
}

func checkSession(t *testing.T, r received, id string, faces []face, jobs map[uint64][]JobState) {
	t.Helper()
	if !slices.Equal(r.faces[id], faces) {
		t.Errorf("session %s: got the faces\n%v\nwant\n%v", id, r.faces[id], faces)
	}
	for seq, want := range jobs {
		if got := r.jobs[id][seq]; !slices.Equal(got, want) {
			t.Errorf("session %s job %d: got states %v, want %v", id, seq, got, want)
		}
	}
	if got := r.events[id]; !slices.Equal(got, []uint64{1, 2}) {
		t.Errorf("session %s: got events %v, want [1 2]", id, got)
	}
}

// A subscriber that reads nothing until three sessions have each published
// thousands of messages still gets every state, pairing code, job state and
// event, in order; the messages beyond its bound are dropped, counted, and
// replaced by one resync.
func TestBrokerSlowSubscriberKeepsWhatMustArrive(t *testing.T) {
	b := newBroker()
	ch, cancel := b.subscribe()
	defer cancel()
	const msgs = 5000
	ids := []string{"a", "b", "c"}
	faces := map[string][]face{}
	jobs := map[string]map[uint64][]JobState{}
	for _, id := range ids {
		faces[id], jobs[id] = burst(b, id, msgs)
	}
	r := collect(t, ch, ids)
	for _, id := range ids {
		checkSession(t, r, id, faces[id], jobs[id])
	}
	// The pump holds the first snapshot, so exactly maxPendingMessages fit.
	if r.messages != maxPendingMessages {
		t.Errorf("got %d messages, want the first %d", r.messages, maxPendingMessages)
	}
	if want := uint64(len(ids)*msgs - maxPendingMessages); b.droppedUpdates() != want {
		t.Errorf("dropped %d updates, want %d", b.droppedUpdates(), want)
	}
	if r.resyncs != 1 {
		t.Errorf("got %d resyncs, want 1", r.resyncs)
	}
}

// Sessions publishing at once, as their actors do, to a subscriber that
// reads as they go: every session's states, jobs and events arrive in order.
func TestBrokerConcurrentPublishersKeepOrderPerSession(t *testing.T) {
	b := newBroker()
	ch, cancel := b.subscribe()
	defer cancel()
	ids := []string{"a", "b", "c", "d"}
	faces := make([][]face, len(ids))
	jobs := make([]map[uint64][]JobState, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Go(func() { faces[i], jobs[i] = burst(b, id, 3000) })
	}
	r := collect(t, ch, ids)
	wg.Wait()
	for i, id := range ids {
		checkSession(t, r, id, faces[i], jobs[i])
	}
	if dropped := b.droppedUpdates(); (dropped == 0) != (r.resyncs == 0) {
		t.Errorf("dropped %d updates but sent %d resyncs", dropped, r.resyncs)
	}
	if r.messages+int(b.droppedUpdates()) != len(ids)*3000 {
		t.Errorf("%d messages delivered and %d dropped, want %d in all", r.messages, b.droppedUpdates(), len(ids)*3000)
	}
}

// Acks of one message waiting in the backlog fold into the latest.
func TestBrokerCoalescesAcksOfOneMessage(t *testing.T) {
	b := newBroker()
	ch, cancel := b.subscribe()
	defer cancel()
	b.publish(Update{Session: "a", Snapshot: &Snapshot{ID: "a", State: Ready}}) // held by the pump
	for ack := AckPending; ack <= AckRead; ack++ {
		b.publish(Update{Session: "a", Message: &Message{ID: "m1", Key: "true_1@c.us_m1", Ack: ack}})
	}
	b.publish(Update{Session: "a", Event: &Event{Seq: 1}})
	var got []Ack
	for u := range ch {
		if u.Message != nil {
			got = append(got, u.Message.Ack)
		}
		if u.Event != nil {
			break
		}
	}
	if !slices.Equal(got, []Ack{AckRead}) {
		t.Errorf("got acks %v, want only the latest [%d]", got, AckRead)
	}
	if b.droppedUpdates() != 0 {
		t.Errorf("coalescing counted %d drops", b.droppedUpdates())
	}
}

// A subscriber that never reads holds at most maxPending updates however
// many must-arrive updates are published; when it reads again it is told
// to resync, and every update it never got is counted.
func TestBrokerBacklogBoundedWhenNeverRead(t *testing.T) {
	b := newBroker()
	ch, cancel := b.subscribe()
	defer cancel()
	const published = maxPending*2 + 10
	for i := range published {
		b.publish(Update{Session: "a", Event: &Event{Seq: uint64(i + 1)}})
	}
	var s *subscriber
	b.mu.Lock()
	for s = range b.subs {
	}
	held := s.backlog.Len()
	b.mu.Unlock()
	if held > maxPending {
		t.Fatalf("the backlog holds %d updates, more than %d", held, maxPending)
	}
	first := <-ch // taken by the pump before the backlog filled
	if first.Event == nil || first.Event.Seq != 1 {
		t.Fatalf("first update = %+v, want event 1", first)
	}
	seen := 1
	var resyncs int
	for seen+int(b.droppedUpdates()) < published || resyncs == 0 {
		select {
		case u := <-ch:
			if u.Resync {
				resyncs++
			} else {
				seen++
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("the feed stalled after %d updates, %d dropped", seen, b.droppedUpdates())
		}
	}
	if resyncs != 1 {
		t.Errorf("got %d resyncs, want 1", resyncs)
	}
	if seen+int(b.droppedUpdates()) != published {
		t.Errorf("%d delivered + %d dropped, want %d", seen, b.droppedUpdates(), published)
	}
}

// Cancelling ends the feed even while an update waits to be read.
func TestBrokerCancelClosesFeed(t *testing.T) {
	b := newBroker()
	ch, cancel := b.subscribe()
	b.publish(Update{Session: "a", Event: &Event{Seq: 1}})
	b.publish(Update{Session: "a", Event: &Event{Seq: 2}})
	cancel()
	for range ch { // at most what the pump held; then closed
	}
	b.publish(Update{Session: "a", Event: &Event{Seq: 3}}) // no subscriber: must not block
	if len(b.subs) != 0 {
		t.Errorf("%d subscribers left after cancel", len(b.subs))
	}
}
