package session

import (
	"bytes"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// stallWriter takes nothing until released, as a client that stopped
// reading; started is closed at the first write.
type stallWriter struct {
	once, free sync.Once
	started    chan struct{}
	release    chan struct{}
}

func (w *stallWriter) Write(p []byte) (int, error) {
	w.once.Do(func() { close(w.started) })
	<-w.release
	return len(p), nil
}

func (w *stallWriter) unblock() { w.free.Do(func() { close(w.release) }) }

// A backup whose reader stalls holds up no other backup, and its staged
// copies (the store in plain and every login) are gone while it waits.
func TestBackupNotHeldByAStalledReader(t *testing.T) {
	e := newEnv(t)
	if _, err := e.m.Add(AddRequest{ID: "shop"}); err != nil {
		t.Fatal(err)
	}
	stalled := &stallWriter{started: make(chan struct{}), release: make(chan struct{})}
	defer stalled.unblock()
	first := make(chan error, 1)
	go func() { _, err := e.m.Backup(stalled); first <- err }()
	select {
	case <-stalled.started:
	case err := <-first:
		t.Fatalf("the first backup ended before it wrote: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the first backup wrote nothing within 30s")
	}
	if stages, _ := filepath.Glob(filepath.Join(e.dir, ".backup-*")); len(stages) != 0 {
		t.Errorf("staged copies %q are kept while the archive is sent", stages)
	}

	second := make(chan error, 1)
	var buf bytes.Buffer
	go func() { _, err := e.m.Backup(&buf); second <- err }()
	select {
	case err := <-second:
		if err != nil || buf.Len() == 0 {
			t.Fatalf("the second backup = %v, %d bytes", err, buf.Len())
		}
	case <-time.After(30 * time.Second):
		t.Fatal("a second backup waited for the first one's stalled reader")
	}
	stalled.unblock()
	if err := <-first; err != nil {
		t.Fatalf("the first backup, once read: %v", err)
	}
}
