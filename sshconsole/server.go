// Package sshconsole serves the console over SSH. Every connection gets a
// console of its own (its own program, screen and size) on the runtime of
// the process, so closing SSH ends that console and never a session. Only
// the public keys of an authorized-keys file are admitted.
package sshconsole

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"sync"
	"time"

	"charm.land/ssh"
	"charm.land/wish/v2"
	gossh "golang.org/x/crypto/ssh"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/ui"
)

// Options configure the SSH console.
type Options struct {
	Listen         string // TCP address, such as :2222
	AuthorizedKeys string // OpenSSH authorized_keys file
	DataDir        string // holds the host key
	Runtime        session.Runtime
	// Console is what every console gets, as the local one does; a
	// read-only key turns ReadOnly on.
	Console ui.Options
	Log     *slog.Logger // nil: nothing is logged
}

// closeTimeout bounds how long Close waits for the consoles to end.
const closeTimeout = 5 * time.Second

// Server is the SSH console, listening.
type Server struct {
	o     Options
	keys  *keyring
	srv   *ssh.Server
	ln    net.Listener
	conns sync.WaitGroup
	// refused keys of the connections still authenticating
	refused refusals
}

// Start reads the authorized keys and the host key (generating it the
// first time), then listens and serves.
func Start(o Options) (*Server, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	keys, err := loadKeyring(o.AuthorizedKeys, o.Log)
	if err != nil {
		return nil, err
	}
	signer, err := loadHostKey(o.DataDir)
	if err != nil {
		return nil, err
	}
	s := &Server{o: o, keys: keys}
	// Without password or keyboard-interactive handlers the server offers
	// neither: public keys are the only way in.
	s.srv, err = wish.NewServer(
		wish.WithHostKeyPath(filepath.Join(o.DataDir, HostKeyFile)),
		wish.WithPublicKeyAuth(s.admit),
		wish.WithMiddleware(s.console),
		func(srv *ssh.Server) error {
			srv.HandshakeTimeout = 30 * time.Second
			srv.ConnectionFailedCallback = s.loginFailed
			srv.ConnectionCloseCallback = func(c net.Conn) { s.refused.take(c.RemoteAddr().String()) }
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("starting the SSH console: %w", err)
	}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, fmt.Errorf("--ssh-listen %s: %w; pick a free address or stop what holds it", o.Listen, err)
	}
	s.ln = ln
	go s.srv.Serve(ln)
	// The fingerprint is for operators to compare on their first connection.
	o.Log.Info("ssh console listening", "addr", ln.Addr().String(), "host_key_fp", gossh.FingerprintSHA256(signer.PublicKey()),
		"keys", describeKeys(keys.keys), "authorized_keys", o.AuthorizedKeys)
	return s, nil
}

// Addr is where the server listens.
func (s *Server) Addr() net.Addr { return s.ln.Addr() }

// Close drops every connection, which ends their consoles, and waits a
// while for them to end.
func (s *Server) Close() error {
	err := s.srv.Close()
	if errors.Is(err, ssh.ErrServerClosed) {
		err = nil
	}
	done := make(chan struct{})
	go func() {
		s.conns.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(closeTimeout):
		s.o.Log.Warn("ssh consoles still running after the server closed", "waited", closeTimeout)
	}
	return err
}

// admit lets in the keys of the authorized-keys file as it is now. A
// refused key is only noted: the client may offer another one.
func (s *Server) admit(ctx ssh.Context, key ssh.PublicKey) bool {
	remote, fp := ctx.RemoteAddr().String(), gossh.FingerprintSHA256(key)
	if _, ok := s.keys.lookup(key); ok {
		s.refused.take(remote)
		return true
	}
	s.o.Log.Debug("ssh key refused: not in the authorized keys", "key_fp", fp, "user", ctx.User(), "remote", remote)
	s.refused.add(remote, ctx.User(), fp)
	return false
}

// loginFailed logs, once, a connection that ended without an accepted key.
func (s *Server) loginFailed(c net.Conn, _ error) {
	remote := c.RemoteAddr().String()
	if r, ok := s.refused.take(remote); ok {
		s.o.Log.Warn("ssh login refused: no key offered is in the authorized keys", "user", r.user, "remote", remote,
			"key_fps", r.keyFPs, "authorized_keys", s.o.AuthorizedKeys)
	}
}
