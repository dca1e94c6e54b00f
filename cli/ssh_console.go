package cli

import (
	"errors"
	"flag"
	"log/slog"

	"github.com/waconsole/waconsole/sshconsole"
	"github.com/waconsole/waconsole/ui"
)

// sshFlags are the flags of the console over SSH, taken by serve and the
// console alike.
type sshFlags struct {
	listen         string
	authorizedKeys string
}

func (s *sshFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.listen, "ssh-listen", "", "serve the console over SSH on this TCP address, such as :2222 (default: off; needs --ssh-authorized-keys)")
	fs.StringVar(&s.authorizedKeys, "ssh-authorized-keys", "", "OpenSSH authorized_keys file of the keys admitted to the SSH console, re-read when it changes; "+
		"a line starting with read-only gets a console that cannot stop, delete or discard")
}

// check refuses the flags before anything starts.
func (s *sshFlags) check() error {
	switch {
	case s.listen == "" && s.authorizedKeys == "":
		return nil
	case s.listen == "":
		return errors.New("--ssh-authorized-keys needs --ssh-listen ADDR, the address the SSH console listens on")
	case s.authorizedKeys == "":
		return errors.New("--ssh-listen needs --ssh-authorized-keys FILE: the SSH console admits only the public keys listed there (OpenSSH authorized_keys format)")
	}
	return checkListen("--ssh-listen", s.listen, "2222")
}

// start serves the console over SSH on rt when asked; nil when not.
func (s *sshFlags) start(rt *runtime, dataDir string, console ui.Options, log *slog.Logger) (*sshconsole.Server, error) {
	if s.listen == "" {
		return nil, nil
	}
	return sshconsole.Start(sshconsole.Options{Listen: s.listen, AuthorizedKeys: s.authorizedKeys, DataDir: dataDir,
		Runtime: rt.manager, Console: console, Log: log})
}
