package cli

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/store"
)

// A request in flight over TCP when the process stops still gets its
// answer: a worker told nothing about a message already queued would send
// it again.
func TestStopAPIAnswersTCPRequestsInFlight(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "store.db"), store.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	keys := storeKeys{db}
	key, err := api.CreateKey(keys, api.APIKeyRequest{Name: "worker", Role: api.RoleOperate})
	if err != nil {
		t.Fatal(err)
	}
	tcp, err := listenTCP(tcpOptions{listen: "127.0.0.1:0"}, "127.0.0.1:0", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	entered, release := make(chan struct{}), make(chan struct{})
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		w.WriteHeader(http.StatusAccepted)
	})
	tcp.serve(tcpOptions{listen: "127.0.0.1:0"}, slow, keys, slog.New(slog.DiscardHandler))
	rt := &runtime{server: &http.Server{}, tcp: tcp}
	addr := tcp.ln.Addr().String()

	answer := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("POST", "http://"+addr+"/v1/sessions/shop/messages", nil)
		req.Header.Set("Authorization", "Bearer "+key.Key)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusAccepted {
				err = fmt.Errorf("answered %s, want 202", resp.Status)
			}
		}
		answer <- err
	}()
	<-entered
	stopped := make(chan struct{})
	go func() {
		rt.stopAPI(t.Context())
		close(stopped)
	}()
	// The handler finishes once the listener is closed: the stop has begun.
	for deadline := time.Now().Add(10 * time.Second); ; {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("the TCP listener is still open after the stop began")
		}
		time.Sleep(5 * time.Millisecond) // polls the condition above
	}
	close(release)
	if err := <-answer; err != nil {
		t.Errorf("the request in flight got no answer: %v", err)
	}
	<-stopped
}
