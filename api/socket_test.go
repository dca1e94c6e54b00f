package api

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
)

func TestListenSocketOwnerOnly(t *testing.T) {
	dir := t.TempDir()
	l, err := Listen(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	fi, err := os.Stat(SocketPath(dir))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("socket mode %s, want a socket with 0600", fi.Mode())
	}
}

func TestListenReplacesStaleSocket(t *testing.T) {
	dir := t.TempDir()
	staleSocket(t, dir)
	if err := CheckFree(dir); err != nil {
		t.Errorf("CheckFree with a stale socket = %v, want nil", err)
	}
	l, err := Listen(dir)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	defer l.Close()
	go http.Serve(l, Handler(newFake(), testInfo))
	if _, err := NewClient(dir).List(t.Context()); err != nil {
		t.Errorf("the new socket does not answer: %v", err)
	}
}

func TestCheckFreeWithoutSocket(t *testing.T) {
	if err := CheckFree(t.TempDir()); err != nil {
		t.Errorf("CheckFree of an empty data dir = %v, want nil", err)
	}
}

func TestCheckFreeLiveServerHolds(t *testing.T) {
	_, dir := startServer(t, Handler(newFake(), testInfo))
	err := CheckFree(dir)
	if !errors.Is(err, ErrHeld) {
		t.Fatalf("CheckFree = %v, want ErrHeld", err)
	}
	if msg := err.Error(); !strings.Contains(msg, fmt.Sprintf("pid %d", testInfo.PID)) || !strings.Contains(msg, dir) {
		t.Errorf("message %q does not name pid %d and data dir %s", msg, testInfo.PID, dir)
	}
}

func TestListenFailsInMissingDir(t *testing.T) {
	dir := t.TempDir() + "/missing"
	if _, err := Listen(dir); err == nil || !strings.Contains(err.Error(), SocketPath(dir)) {
		t.Errorf("Listen in a missing dir = %v, want an error naming the socket", err)
	}
}
