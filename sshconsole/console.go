package sshconsole

import (
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
		log := s.o.Log.With("user", sess.User(), "remote", sess.RemoteAddr().String(), "key_fp", gossh.FingerprintSHA256(k.key))
		log.Info("ssh connected", "mode", mode)
		start := time.Now()
		defer func() { log.Info("ssh disconnected", "after", time.Since(start).Round(time.Second)) }()

		audit := func(action, target string, err error, attrs ...any) {
			attrs = append([]any{"action", action, "target", target}, attrs...)
			if err != nil {
				log.Warn("ssh action failed", append(attrs, "err", err)...)
				return
			}
			log.Info("ssh action", attrs...)
		}
		rt := newConnRuntime(s.o.Runtime, mode == "read-only", audit)
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
