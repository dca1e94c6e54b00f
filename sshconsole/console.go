package sshconsole

import (
	"errors"
	"fmt"
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/ssh"
	"github.com/charmbracelet/colorprofile"
	gossh "golang.org/x/crypto/ssh"

	"github.com/waconsole/waconsole/ui"
)

// handle runs one connection's console until the operator quits or the
// connection drops.
func (s *Server) handle(sess ssh.Session) {
	s.conns.Add(1)
	defer s.conns.Done()
	pk := sess.PublicKey()
	if pk == nil {
		refuse(sess, "only public keys are admitted")
		return
	}
	k, ok := s.keys.lookup(pk)
	if !ok {
		refuse(sess, "your key was removed from the authorized keys since you logged in")
		return
	}
	pty, winch, isPty := sess.Pty()
	if !isPty {
		refuse(sess, "the console needs a terminal: connect with ssh -t")
		return
	}
	if len(sess.Command()) > 0 {
		refuse(sess, "this server offers the console only: connect without a command")
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
	p := tea.NewProgram(ui.New(rt, opts), programOptions(sess, pty)...)
	go func() {
		for {
			select {
			case <-sess.Context().Done():
				return
			case w, ok := <-winch:
				if !ok {
					return
				}
				p.Send(tea.WindowSizeMsg{Width: w.Width, Height: w.Height})
			}
		}
	}()
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) {
		s.o.Logf("ssh: %s: the console ended: %v", who, err)
	}
}

// programOptions connect a program to the session's emulated terminal:
// its input, output, TERM, colours and size.
func programOptions(sess ssh.Session, pty ssh.Pty) []tea.ProgramOption {
	env := append(sess.Environ(), "TERM="+pty.Term)
	return []tea.ProgramOption{
		tea.WithContext(sess.Context()),
		tea.WithInput(sess),
		tea.WithOutput(sess),
		tea.WithEnvironment(env),
		tea.WithColorProfile(colorprofile.Env(env)),
		tea.WithWindowSize(pty.Window.Width, pty.Window.Height),
		// The process's signals are serve's to handle, and suspending would
		// stop the whole server: ctrl+z is turned into nothing.
		tea.WithoutSignalHandler(),
		tea.WithFilter(func(_ tea.Model, msg tea.Msg) tea.Msg {
			if _, ok := msg.(tea.SuspendMsg); ok {
				return nil
			}
			return msg
		}),
	}
}

// refuse tells the client why in one line and ends the session.
func refuse(sess ssh.Session, why string) {
	fmt.Fprintln(sess.Stderr(), "waconsole: "+why)
	_ = sess.Exit(1)
}
