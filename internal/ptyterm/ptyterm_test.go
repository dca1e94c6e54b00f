package ptyterm

import (
	"os/exec"
	"strings"
	"testing"
)

// The command keeps the environment its caller gave it, TERM added.
func TestStartKeepsTheCallersEnvironment(t *testing.T) {
	cmd := exec.Command("sh", "-c", `echo "FOO=$FOO TERM=$TERM"`)
	cmd.Env = []string{"FOO=bar"}
	term := Start(t, 80, 24, cmd)
	<-term.Done
	<-term.Drained
	if got := term.Emu.Render(); !strings.Contains(got, "FOO=bar TERM=xterm-256color") {
		t.Fatalf("the command saw:\n%s", strings.TrimSpace(got))
	}
}
