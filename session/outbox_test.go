package session

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/simweb"
)

// fastPacing keeps the rules but not the real-world waits.
var fastPacing = Pacing{MinGap: 40 * time.Millisecond, JitterMin: time.Millisecond, Jitter: 20 * time.Millisecond, ChatGap: 50 * time.Millisecond}

// settingsOf sets every field of p.
func settingsOf(p Pacing) PacingSettings {
	return PacingSettings{MinGap: &p.MinGap, JitterMin: &p.JitterMin, Jitter: &p.Jitter, ChatGap: &p.ChatGap, BulkLimit: &p.BulkLimit}
}

func (e *testEnv) pace(id string, p Pacing) {
	e.t.Helper()
	set := settingsOf(p)
	if p.BulkLimit == 0 {
		set.BulkLimit = nil // the default: these tests are not about the bulk guard
	}
	if _, err := e.m.Set(id, Settings{Pacing: &set}); err != nil {
		e.t.Fatal(err)
	}
}

func (e *testEnv) send(id, chat string, bodies ...string) []Job {
	e.t.Helper()
	jobs, err := e.m.SendMany(context.Background(), id, chat, "", bodies)
	if err != nil {
		e.t.Fatal(err)
	}
	return jobs
}

// waitJobs waits until every job of the session is in one of states.
func (e *testEnv) waitJobs(id string, timeout time.Duration, states ...JobState) []Job {
	e.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		jobs, err := e.m.Jobs(id)
		if err != nil {
			e.t.Fatal(err)
		}
		done := true
		for _, j := range jobs {
			done = done && slices.Contains(states, j.State)
		}
		if done {
			return jobs
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("jobs of %s not all %v within %s: %+v\nlog:\n%s", id, states, timeout, jobs, e.logText())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (e *testEnv) sent(phone string) []simweb.SentMessage {
	e.t.Helper()
	msgs, err := e.phone.Sent(context.Background(), phone)
	if err != nil {
		e.t.Fatal(err)
	}
	return msgs
}

// waitJob waits until the published changes of job seq satisfy ok.
func (e *testEnv) waitJob(id string, seq uint64, what string, ok func(Job) bool) Job {
	e.t.Helper()
	deadline := time.After(20 * time.Second)
	for {
		select {
		case u := <-e.updates:
			if j := u.Job; u.Session == id && j != nil && j.Seq == seq && ok(*j) {
				return *j
			}
		case <-deadline:
			e.t.Fatalf("session %s: job %d: %s did not happen within 20s\nlog:\n%s", id, seq, what, e.logText())
		}
	}
}

// waitMessage waits for a live inbound message with this body.
func (e *testEnv) waitMessage(id, body string) Message {
	e.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case u := <-e.updates:
			if m := u.Message; u.Session == id && m != nil && m.New && !m.FromMe && m.Body == body {
				return *m
			}
		case <-deadline:
			e.t.Fatalf("session %s: no live message %q within 10s", id, body)
		}
	}
}

// onceEach checks that the stand-in received every job exactly once.
func onceEach(t *testing.T, jobs []Job, sent []simweb.SentMessage) {
	t.Helper()
	count := map[string]int{}
	for _, m := range sent {
		count[m.ID]++
	}
	for _, j := range jobs {
		if count[j.MsgID] != 1 {
			t.Errorf("job %d (%s) reached WhatsApp %d times", j.Seq, j.MsgID, count[j.MsgID])
		}
		delete(count, j.MsgID)
	}
	for id, n := range count {
		t.Errorf("WhatsApp got %d copies of %s, which no job has", n, id)
	}
}

func TestPacingGapsNeverBelowTheMinimum(t *testing.T) {
	eachBuild(t, testPacingGapsNeverBelowTheMinimum)
}

func testPacingGapsNeverBelowTheMinimum(t *testing.T, e *testEnv) {
	const phone = "15551240001"
	e.pairQR("pace", phone)
	p := Pacing{MinGap: 250 * time.Millisecond, JitterMin: 10 * time.Millisecond, Jitter: 60 * time.Millisecond, ChatGap: 700 * time.Millisecond}
	e.pace("pace", p)
	var jobs []Job
	for i := range 4 {
		jobs = append(jobs, e.send("pace", "15557770001", fmt.Sprintf("to A %d", i))...)
		jobs = append(jobs, e.send("pace", "15557770002", fmt.Sprintf("to B %d", i))...)
	}
	e.waitJobs("pace", 30*time.Second, JobSent)
	sent := e.sent(phone)
	onceEach(t, jobs, sent)
	last := map[string]time.Time{}
	for i, m := range sent {
		if i > 0 {
			if gap := m.Time.Sub(sent[i-1].Time); gap < p.MinGap+p.JitterMin {
				t.Errorf("send %d came %s after the previous one: below the %s minimum", i, gap, p.MinGap+p.JitterMin)
			}
		}
		if prev, ok := last[m.To]; ok && m.Time.Sub(prev) < p.ChatGap {
			t.Errorf("two sends to %s %s apart: below the %s chat gap", m.To, m.Time.Sub(prev), p.ChatGap)
		}
		last[m.To] = m.Time
	}
	qs, err := e.m.QueueStats("pace")
	if err != nil {
		t.Fatal(err)
	}
	if qs.SentTotal != 8 || qs.Depth != 0 || qs.LatencyP50 <= 0 || qs.LatencyP95 < qs.LatencyP50 || qs.Pacing.MinGap != p.MinGap {
		t.Fatalf("queue stats after 8 sends: %+v", qs)
	}
}

// A zero gap is a setting, not "the default": the sender sends back to back.
func TestZeroGapSendsBackToBack(t *testing.T) {
	e := newEnv(t)
	const phone = "15551240009"
	e.pairQR("zero", phone)
	zero := time.Duration(0)
	if _, err := e.m.Set("zero", Settings{Pacing: &PacingSettings{MinGap: &zero, JitterMin: &zero, Jitter: &zero, ChatGap: &zero}}); err != nil {
		t.Fatal(err)
	}
	var jobs []Job
	for i := range 5 {
		jobs = append(jobs, e.send("zero", "15557770009", fmt.Sprintf("quick %d", i))...)
	}
	e.waitJobs("zero", 30*time.Second, JobSent)
	sent := e.sent(phone)
	onceEach(t, jobs, sent)
	// The default pacing would space these five sends by 20 s or more each.
	if span := sent[len(sent)-1].Time.Sub(sent[0].Time); span >= defaultPacing.MinGap {
		t.Errorf("5 sends took %s with a zero gap: the sender waited as if for a default gap", span)
	}
	qs, err := e.m.QueueStats("zero")
	if err != nil {
		t.Fatal(err)
	}
	if qs.Pacing.MinGap != 0 || qs.Pacing.Jitter != 0 || qs.Pacing.ChatGap != 0 || qs.Pacing.BulkLimit != defaultPacing.BulkLimit {
		t.Fatalf("pacing in effect %+v, want zero gaps and the default bulk limit", qs.Pacing)
	}
}

func TestSendsWaitForReady(t *testing.T) { eachBuild(t, testSendsWaitForReady) }

func testSendsWaitForReady(t *testing.T, e *testEnv) {
	if _, err := e.m.Add(AddRequest{ID: "wait", Start: true}); err != nil {
		t.Fatal(err)
	}
	s := e.wait("wait", "a QR code", 30*time.Second, func(s Snapshot) bool { return s.State == QR && s.QR.Payload != "" })
	e.pace("wait", fastPacing)
	jobs := e.send("wait", "15557770003", "queued before pairing", "and another")
	time.Sleep(time.Second)
	if got, _ := e.m.Get("wait"); got.Queue.Depth != 2 {
		t.Fatalf("queue depth %d while unpaired, want 2 waiting", got.Queue.Depth)
	}
	const phone = "15551240002"
	if err := e.phone.Scan(context.Background(), s.QR.Payload, phone); err != nil {
		s = e.wait("wait", "a fresh QR", 10*time.Second, func(n Snapshot) bool { return n.QR.Payload != s.QR.Payload })
		if err := e.phone.Scan(context.Background(), s.QR.Payload, phone); err != nil {
			t.Fatal(err)
		}
	}
	e.waitJobs("wait", 30*time.Second, JobSent)
	onceEach(t, jobs, e.sent(phone))
}

func TestTransientFailuresBackOffThenDie(t *testing.T) {
	eachBuild(t, testTransientFailuresBackOffThenDie)
}

func testTransientFailuresBackOffThenDie(t *testing.T, e *testEnv) {
	const phone = "15551240003"
	e.m.cfg.Timing.RetryAttempts = 3
	e.pairQR("flaky", phone)
	e.pace("flaky", fastPacing)
	ctx := context.Background()
	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone, SendFail: 1}); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	jobs := e.send("flaky", "15557770004", "will fail")
	dead := e.waitJobs("flaky", 30*time.Second, JobDead)[0]
	// Waits of 200 ms then 400 ms (±20%) come between the three attempts.
	if took := time.Since(start); took < 480*time.Millisecond {
		t.Fatalf("three attempts took %s: no backoff", took)
	}
	if dead.Attempts != 3 || dead.Permanent || !strings.Contains(dead.LastError, "gave up after 3 attempts") {
		t.Fatalf("dead job: %+v", dead)
	}
	if len(e.sent(phone)) != 0 {
		t.Fatal("a refused send was logged as sent")
	}
	// The store has the job dead a moment before the snapshot counts it.
	got := e.wait("flaky", "the snapshot to count the dead job", 5*time.Second, func(s Snapshot) bool { return s.Queue.Dead == 1 })
	if got.Queue.Dead != 1 || got.Queue.Failures5m != 3 {
		t.Fatalf("queue info %+v, want 1 dead and 3 failures", got.Queue)
	}
	// The operator fixes the cause and retries: it goes once.
	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone}); err != nil {
		t.Fatal(err)
	}
	if err := e.m.RetryJob("flaky", jobs[0].Seq); err != nil {
		t.Fatal(err)
	}
	e.waitJobs("flaky", 20*time.Second, JobSent)
	onceEach(t, jobs, e.sent(phone))
	if err := e.m.RetryJob("flaky", jobs[0].Seq); err == nil {
		t.Fatal("a sent job could be retried")
	}
}

func TestPermanentFailureIsDeadAtOnce(t *testing.T) { eachBuild(t, testPermanentFailureIsDeadAtOnce) }

func testPermanentFailureIsDeadAtOnce(t *testing.T, e *testEnv) {
	const phone = "15551240004"
	e.pairQR("perm", phone)
	e.pace("perm", fastPacing)
	if err := e.phone.Faults(context.Background(), simweb.Faults{Phone: phone, NotOnWhatsApp: []string{"15550199999"}}); err != nil {
		t.Fatal(err)
	}
	e.send("perm", "15550199999", "nobody there")
	dead := e.waitJobs("perm", 20*time.Second, JobDead)[0]
	if !dead.Permanent || dead.Attempts != 0 || !strings.Contains(dead.LastError, "not on WhatsApp") {
		t.Fatalf("dead job: %+v", dead)
	}
	if _, err := e.m.SendMany(context.Background(), "perm", "not-a-chat", "", []string{"x"}); err == nil {
		t.Fatal("a malformed chat id was queued")
	}
}

func TestIdenticalBulkIsHeld(t *testing.T) { eachBuild(t, testIdenticalBulkIsHeld) }

func testIdenticalBulkIsHeld(t *testing.T, e *testEnv) {
	const phone = "15551240005"
	e.pairQR("bulk", phone)
	e.pace("bulk", fastPacing)
	var jobs []Job
	for i := range 7 {
		jobs = append(jobs, e.send("bulk", fmt.Sprintf("1555777100%d", i), "Big sale today only!")...)
	}
	held := 0
	for _, j := range jobs {
		if j.State == JobHeld {
			held++
			if !strings.Contains(j.HoldReason, "identical text") {
				t.Errorf("hold reason %q", j.HoldReason)
			}
		}
	}
	if held != 2 {
		t.Fatalf("%d jobs held, want the 6th and 7th chat", held)
	}
	e.waitJobs("bulk", 30*time.Second, JobSent, JobHeld)
	if n := len(e.sent(phone)); n != 5 {
		t.Fatalf("%d sent before approval, want 5", n)
	}
	if err := e.m.RetryJob("bulk", jobs[5].Seq); err != nil {
		t.Fatal(err)
	}
	if err := e.m.DiscardJob("bulk", jobs[6].Seq); err != nil {
		t.Fatal(err)
	}
	e.waitJobs("bulk", 20*time.Second, JobSent)
	onceEach(t, jobs[:6], e.sent(phone))
}

func TestReconcileJobsLeftSending(t *testing.T) { eachBuild(t, testReconcileJobsLeftSending) }

func testReconcileJobsLeftSending(t *testing.T, e *testEnv) {
	const phone = "15551240006"
	e.pairQR("rec", phone)
	e.pace("rec", fastPacing)
	first := e.send("rec", "15557770005", "sent before the crash")
	e.waitJobs("rec", 20*time.Second, JobSent)
	e.close()

	// As if the process died between "sending" and "sent" twice: once after
	// WhatsApp took the message, once before.
	db := e.reopenStore(t)
	if _, err := db.UpdateJob("rec", first[0].Seq, func(j *Job) error { j.State = JobSending; return nil }); err != nil {
		t.Fatal(err)
	}
	second, err := db.Enqueue(Job{Session: "rec", ChatID: "15557770005@c.us", Body: "never reached WhatsApp", MsgID: NewMessageID(), State: JobSending})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	e.open(t)
	e.m.StartAuto(context.Background())
	e.waitState("rec", Ready, 30*time.Second)
	jobs := e.waitJobs("rec", 20*time.Second, JobSent)
	if len(jobs) != 2 {
		t.Fatalf("%d jobs, want 2", len(jobs))
	}
	onceEach(t, append(first, second...), e.sent(phone))
}

func TestChromiumKilledMidQueue(t *testing.T) { eachBuild(t, testChromiumKilledMidQueue) }

func testChromiumKilledMidQueue(t *testing.T, e *testEnv) {
	const phone = "15551240007"
	e.pairQR("kill", phone)
	e.pace("kill", fastPacing)
	if err := e.phone.Faults(context.Background(), simweb.Faults{Phone: phone, SendDelayMs: 60}); err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for i := range 30 {
		bodies = append(bodies, fmt.Sprintf("message %02d", i))
	}
	var jobs []Job
	for i, b := range bodies {
		jobs = append(jobs, e.send("kill", fmt.Sprintf("1555777200%d", i%5), b)...)
	}
	for len(e.sent(phone)) < 10 {
		time.Sleep(20 * time.Millisecond)
	}
	killProfileProcesses(e.m.profileDir("kill"))
	e.waitJobs("kill", 60*time.Second, JobSent)
	onceEach(t, jobs, e.sent(phone))
	if h := history(t, e.m, "kill"); !strings.Contains(h, " browser-failed ") {
		t.Fatalf("the kill went unnoticed: %s", h)
	}
}

func TestRepeatedDisconnectsHoldTheQueue(t *testing.T) {
	eachBuild(t, testRepeatedDisconnectsHoldTheQueue)
}

func testRepeatedDisconnectsHoldTheQueue(t *testing.T, e *testEnv) {
	const phone = "15551240008"
	e.pairQR("flap", phone)
	e.pace("flap", fastPacing)
	ctx := context.Background()
	for range 3 {
		if err := e.phone.Drop(ctx, phone, 0.5); err != nil {
			t.Fatal(err)
		}
		e.waitState("flap", Disconnected, 10*time.Second)
		e.waitState("flap", Ready, 15*time.Second)
	}
	s := e.wait("flap", "the queue to be held", 5*time.Second, func(s Snapshot) bool { return s.Queue.Paused })
	jobs := e.send("flap", "15557770006", "after the flapping")
	time.Sleep(500 * time.Millisecond)
	if len(e.sent(phone)) != 0 {
		t.Fatal("a held queue sent")
	}
	qs, _ := e.m.QueueStats("flap")
	if !strings.Contains(qs.HoldReason, "3 disconnects") {
		t.Fatalf("hold reason %q (snapshot %+v)", qs.HoldReason, s.Queue)
	}
	if err := e.m.Resume("flap"); err != nil {
		t.Fatal(err)
	}
	e.waitJobs("flap", 20*time.Second, JobSent)
	onceEach(t, jobs, e.sent(phone))
}

func TestChatsMessagesAndLiveInbound(t *testing.T) { eachBuild(t, testChatsMessagesAndLiveInbound) }

func testChatsMessagesAndLiveInbound(t *testing.T, e *testEnv) {
	const phone = "15551240009"
	e.pairQR("chat", phone)
	ctx := context.Background()
	chats, err := e.m.Chats(ctx, "chat")
	if err != nil || len(chats) < 3 {
		t.Fatalf("chats = %+v, %v", chats, err)
	}
	msgs, err := e.m.Messages(ctx, "chat", chats[0].ID, "", 20)
	if err != nil || len(msgs) == 0 {
		t.Fatalf("messages of %s = %v, %v", chats[0].ID, msgs, err)
	}
	for i := 1; i < len(msgs); i++ {
		if msgs[i].Time.Before(msgs[i-1].Time) {
			t.Fatalf("messages not oldest first: %+v", msgs)
		}
	}
	if err := e.phone.Inbound(ctx, phone, "15558880001", "hello from outside", 3); err != nil {
		t.Fatal(err)
	}
	got := 0
	deadline := time.After(10 * time.Second)
	for got < 3 {
		select {
		case u := <-e.updates:
			if m := u.Message; u.Session == "chat" && m != nil && m.New && !m.FromMe && strings.HasPrefix(m.Body, "hello from outside") {
				got++
			}
		case <-deadline:
			t.Fatalf("%d of 3 inbound messages arrived live", got)
		}
	}
	if _, err := e.m.Chats(ctx, "nope"); err == nil {
		t.Fatal("chats of an unknown session")
	}
}

func TestJobChangesArePublished(t *testing.T) { eachBuild(t, testJobChangesArePublished) }

func testJobChangesArePublished(t *testing.T, e *testEnv) {
	e.pairQR("feed", "15551240010")
	e.pace("feed", fastPacing)
	job := e.send("feed", "15557770007", "watch me")[0]
	seen := []JobState{}
	deadline := time.After(20 * time.Second)
	for !slices.Contains(seen, JobSent) {
		select {
		case u := <-e.updates:
			if u.Job != nil && u.Job.Seq == job.Seq && (len(seen) == 0 || seen[len(seen)-1] != u.Job.State) {
				seen = append(seen, u.Job.State)
			}
		case <-deadline:
			t.Fatalf("job states published: %v", seen)
		}
	}
	if !slices.Equal(seen[:3], []JobState{JobQueued, JobSending, JobSent}) {
		t.Fatalf("job states published: %v, want queued, sending, sent", seen)
	}
}

// Against the current page a number's chat is its LID chat, and a number
// whose LID WhatsApp does not know yet cannot be written to until it does.
func TestSendWaitsForTheLID(t *testing.T) {
	e := newEnv(t)
	const phone, to = "15551240011", "15557770009"
	e.pairQR("lid", phone)
	e.pace("lid", fastPacing)
	ctx := context.Background()
	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone, NoLID: []string{to}}); err != nil {
		t.Fatal(err)
	}
	jobs := e.send("lid", to, "to a LID chat")
	e.waitJob("lid", jobs[0].Seq, "a retry for want of a LID", func(j Job) bool {
		return j.State == JobRetrying && strings.Contains(j.LastError, "no LID")
	})
	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone}); err != nil {
		t.Fatal(err)
	}
	e.waitJobs("lid", 30*time.Second, JobSent)
	sent := e.sent(phone)
	onceEach(t, jobs, sent)
	if !strings.HasSuffix(sent[0].To, "@lid") {
		t.Fatalf("the message went to %s, want the contact's LID chat", sent[0].To)
	}
	evs, err := e.m.History("lid", 200)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(evs, func(ev Event) bool { return ev.Kind == "job-chat" && strings.Contains(ev.Detail, sent[0].To) }) {
		t.Fatalf("no event says the job went to %s: %+v", sent[0].To, evs)
	}
}

func TestSendsAsThePageBuildsThem(t *testing.T) { eachBuild(t, testSendsAsThePageBuildsThem) }

// A message goes out as WhatsApp Web builds its own: with the chat's
// disappearing timer, and to a group from the id the group addresses us by.
func testSendsAsThePageBuildsThem(t *testing.T, e *testEnv) {
	const phone, contact, group = "15551240013", "15550100002", "120363025550100003@g.us"
	e.pairQR("shape", phone)
	e.pace("shape", fastPacing)
	ctx := context.Background()
	if err := e.phone.Disappearing(ctx, phone, contact, 86400); err != nil {
		t.Fatal(err)
	}
	// The page hears of the timer on its stream before this message.
	if err := e.phone.Inbound(ctx, phone, contact, "timer on", 1); err != nil {
		t.Fatal(err)
	}
	e.waitMessage("shape", "timer on")
	jobs := append(e.send("shape", contact, "disappears in a day"), e.send("shape", group, "to the group")...)
	e.waitJobs("shape", 20*time.Second, JobSent)
	sent := e.sent(phone)
	onceEach(t, jobs, sent)
	for _, m := range sent {
		switch m.Body {
		case "disappears in a day":
			if m.Ephemeral != 86400 {
				t.Errorf("the message to a chat with a 1-day timer carried %d s", m.Ephemeral)
			}
		case "to the group":
			if lid := e.sim.Build().LID; lid != strings.HasSuffix(m.From, "@lid") {
				t.Errorf("a group message from %s in build %s", m.From, e.sim.Build().Name)
			}
		}
	}
}

// Against the current page messages arrive as people wrote them: an
// encrypted placeholder once decrypted, media by its caption; system
// notifications, live and in the history, flagged as notices.
func TestInboundAsPeopleWroteIt(t *testing.T) {
	e := newEnv(t)
	const phone, from = "15551240014", "15558880002"
	e.pairQR("rich", phone)
	ctx := context.Background()
	for _, in := range []struct{ kind, body string }{
		{"ciphertext", "sealed hello"}, {"image", "a photo"}, {"notification", "Alice changed the group description"}, {"chat", "last"},
	} {
		if err := e.phone.InboundKind(ctx, phone, from, in.body, in.kind, 1); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]Message{}
	deadline := time.After(15 * time.Second)
	for len(got) < 4 {
		select {
		case u := <-e.updates:
			if m := u.Message; u.Session == "rich" && m != nil && m.New && !m.FromMe {
				got[m.Body] = *m
			}
		case <-deadline:
			t.Fatalf("live messages: %+v, want the decrypted text, the caption, the notice and the last text", got)
		}
	}
	for _, body := range []string{"sealed hello", "a photo", "Alice changed the group description", "last"} {
		if m, ok := got[body]; !ok || m.Notice != (body == "Alice changed the group description") {
			t.Errorf("live message %q: %+v, want it, flagged as a notice only if it is the notification; got %+v", body, m, got)
		}
	}
	chat := got["last"].Chat
	msgs, err := e.m.Messages(ctx, "rich", chat, "", 10)
	if err != nil {
		t.Fatal(err)
	}
	var bodies, notices []string
	for _, m := range msgs {
		if m.Notice {
			notices = append(notices, m.Body)
			continue
		}
		bodies = append(bodies, m.Body)
	}
	if strings.Join(bodies, "|") != "sealed hello|a photo|last" {
		t.Fatalf("history of %s: %q, want the three messages people wrote", chat, bodies)
	}
	if strings.Join(notices, "|") != "Alice changed the group description" {
		t.Fatalf("history of %s: notices %q, want the one notification", chat, notices)
	}
	if _, err := e.m.Messages(ctx, "rich", chat, "3A0000000000000000FF", 10); err == nil || !strings.Contains(err.Error(), "page from the newest") {
		t.Fatalf("history before a message the chat never had: %v, want an error", err)
	}
}

func TestAcksReachJobsAfterARestart(t *testing.T) { eachBuild(t, testAcksReachJobsAfterARestart) }

// Acks that arrive after a restart reach their jobs, also on a page that no
// longer holds the message and tells its ack only as a receipt.
func testAcksReachJobsAfterARestart(t *testing.T, e *testEnv) {
	const phone, to = "15551240015", "15557770011"
	e.pairQR("acks", phone)
	e.pace("acks", fastPacing)
	ctx := context.Background()
	if err := e.phone.Faults(ctx, simweb.Faults{Phone: phone, AckDelayMs: 1500}); err != nil {
		t.Fatal(err)
	}
	// The second message is the chat's newest: the first one is not among
	// what a restarted page of a newer build holds.
	jobs := e.send("acks", to, "first", "second")
	e.waitJobs("acks", 20*time.Second, JobSent)
	e.close()
	e.open(t)
	e.m.StartAuto(ctx)
	e.waitState("acks", Ready, 30*time.Second)
	e.waitJob("acks", jobs[0].Seq, "the first message read", func(j Job) bool { return j.Ack == int(AckRead) })
}
