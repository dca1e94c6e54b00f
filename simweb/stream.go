package simweb

import (
	"bufio"
	"encoding/json"
	"net/http"
	"sync"
	"time"
)

// event is one server -> page push on the private stream.
type event struct {
	Type      string    `json:"type"`
	State     string    `json:"state,omitempty"`
	Ref       string    `json:"ref,omitempty"`
	Phone     string    `json:"phone,omitempty"`
	LID       string    `json:"lid,omitempty"`
	Token     string    `json:"token,omitempty"`
	LoggedOut bool      `json:"loggedOut,omitempty"`
	Msg       *message  `json:"msg,omitempty"`
	Chat      *chat     `json:"chat,omitempty"`
	ID        string    `json:"id,omitempty"`
	Remote    string    `json:"remote,omitempty"` // the chat of an acked message
	Ack       int       `json:"ack,omitempty"`
	Total     int       `json:"total,omitempty"`
	Offline   bool      `json:"offline,omitempty"`
	Reaction  *reaction `json:"reaction,omitempty"`
	Vote      *vote     `json:"vote,omitempty"`
	Contact   *person   `json:"contact,omitempty"`
}

// stream queues events for one connected page without bounding the queue,
// so a burst never blocks the server while it holds its lock.
type stream struct {
	mu      sync.Mutex
	queue   [][]byte
	wake    chan struct{}
	end     chan struct{}
	endOnce sync.Once
}

func newStream() *stream {
	return &stream{wake: make(chan struct{}, 1), end: make(chan struct{})}
}

func (st *stream) push(ev event) {
	b, _ := json.Marshal(ev)
	st.mu.Lock()
	st.queue = append(st.queue, b)
	st.mu.Unlock()
	select {
	case st.wake <- struct{}{}:
	default:
	}
}

// close ends the stream after what is queued has been written.
func (st *stream) close() { st.endOnce.Do(func() { close(st.end) }) }

func (st *stream) take() [][]byte {
	st.mu.Lock()
	defer st.mu.Unlock()
	q := st.queue
	st.queue = nil
	return q
}

// serve writes the stream as server-sent events until it is closed, the
// client goes away or the server stops.
func (st *stream) serve(w http.ResponseWriter, r *http.Request, done <-chan struct{}) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	bw := bufio.NewWriter(w)
	flush := func() error {
		for _, b := range st.take() {
			bw.WriteString("data: ")
			bw.Write(b)
			bw.WriteString("\n\n")
		}
		if err := bw.Flush(); err != nil {
			return err
		}
		return rc.Flush()
	}
	// A comment now and then finds dead connections.
	tick := time.NewTicker(15 * time.Second)
	defer tick.Stop()
	if flush() != nil {
		return
	}
	for {
		select {
		case <-st.wake:
		case <-tick.C:
			bw.WriteString(":\n\n")
		case <-st.end:
			flush()
			return
		case <-r.Context().Done():
			return
		case <-done:
			return
		}
		if flush() != nil {
			return
		}
	}
}
