package api

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// SocketPath is where the API of a data dir listens.
func SocketPath(dataDir string) string { return filepath.Join(dataDir, "waconsole.sock") }

// ErrHeld means another live process serves the data dir.
var ErrHeld = errors.New("the data dir is in use")

// CheckFree returns ErrHeld, naming the process, when a live waconsole
// answers on the data dir's socket. A socket nobody answers is stale.
func CheckFree(dataDir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	info, err := NewClient(dataDir).Info(ctx)
	if err == nil {
		return fmt.Errorf("%w: waconsole %s (pid %d, started %s) holds data dir %s; stop it (kill %d) or talk to it: waconsole status --data-dir %s",
			ErrHeld, info.Mode, info.PID, info.Started.Format(time.RFC3339), dataDir, info.PID, dataDir)
	}
	return nil
}

// Listen opens the data dir's socket, only for its owner (mode 0600),
// replacing a stale socket left by a crashed process. Call it after the store
// is open: the store's lock is what makes this process the owner.
func Listen(dataDir string) (net.Listener, error) {
	path := SocketPath(dataDir)
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("removing the stale socket %s: %w", path, err)
	}
	old := syscall.Umask(0o177)
	l, err := net.Listen("unix", path)
	syscall.Umask(old)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, err
	}
	return l, nil
}
