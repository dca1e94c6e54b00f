package sshconsole

import (
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"charm.land/wish/v2"
	"charm.land/wish/v2/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"github.com/waconsole/waconsole/ui"
)

// console checks one connection and runs its console, through wish's
// Bubble Tea middleware, until the operator quits or the connection drops.
func (s *Server) console(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		s.conns.Add(1)
		defer s.conns.Done()
		pk := sess.PublicKey()
		if pk == nil {
			wish.Fatalln(sess, "waconsole: only public keys are admitted")
			return
		}
		k, ok := s.keys.lookup(pk)
		if !ok {
			wish.Fatalln(sess, "waconsole: your key was removed from the authorized keys since you logged in")
			return
		}
		// Checked here rather than by wish's activeterm, whose message does
		// not tell the operator how to connect.
		if _, _, isPty := sess.Pty(); !isPty {
			wish.Fatalln(sess, "waconsole: the console needs a terminal: connect with ssh -t")
			return
		}
		if len(sess.Command()) > 0 {
			wish.Fatalln(sess, "waconsole: this server offers the console only: connect without a command")
			return
		}
		mode := "read-write"
		if k.readOnly || s.o.Console.ReadOnly {
			mode = "read-only"
		}
		who := fmt.Sprintf("%q from %s with key %s", sess.User(), sess.RemoteAddr(), gossh.FingerprintSHA256(k.key))
		s.o.Logf("ssh: %s connected, %s console", who, mode)
		start := time.Now()
		defer func() { s.o.Logf("ssh: %s disconnected after %s", who, time.Since(start).Round(time.Second)) }()

		audit := func(action, id string, err error) {
			if err != nil {
				s.o.Logf("ssh: %s: %s %s failed: %v", who, action, id, err)
				return
			}
			s.o.Logf("ssh: %s: %s %s", who, action, id)
		}
		rt := newConnRuntime(s.o.Runtime, audit)
		defer rt.close()
		opts := s.o.Console
		opts.ReadOnly = mode == "read-only"
		opts.Pairing = ""
		if opts.Webhooks != nil {
			opts.Webhooks = connWebhooks{Webhooks: opts.Webhooks, audit: audit}
		}
		bubbletea.MiddlewareWithProgramHandler(func(sess ssh.Session) *tea.Program {
			// The process's signals are serve's to handle. MakeOptions keeps
			// ctrl+z from suspending, which would stop the whole server.
			return tea.NewProgram(ui.New(rt, opts), append(bubbletea.MakeOptions(sess), tea.WithoutSignalHandler())...)
		})(next)(sess)
	}
}
