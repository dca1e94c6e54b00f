package procs

import (
	"os"
	"os/exec"
	"slices"
	"testing"
	"time"
)

// A child started with a marked argument is found by it, with its parent
// and whole argument list, and belongs to the tree of its parent's parent.
func TestListFindsAChildByItsArguments(t *testing.T) {
	marker := "--procs-test-marker=" + t.Name()
	// read is a shell builtin: the shell waits on its stdin without forking,
	// so no second process carries the marker, even for a moment.
	cmd := exec.Command("sh", "-c", "read x", marker)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = stdin.Close(); _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	var found []Proc
	deadline := time.Now().Add(10 * time.Second)
	for len(found) == 0 && time.Now().Before(deadline) {
		found = WithArgPrefix("--procs-test-marker=")
	}
	if len(found) != 1 {
		t.Fatalf("found %d processes with the marker, want 1: %+v", len(found), found)
	}
	p := found[0]
	if p.PID != cmd.Process.Pid || p.PPID != os.Getpid() {
		t.Errorf("found pid %d ppid %d, want %d and %d", p.PID, p.PPID, cmd.Process.Pid, os.Getpid())
	}
	if !slices.Equal(p.Args, []string{"sh", "-c", "read x", marker}) || !p.HasArg(marker) || p.HasArg("--procs-test-marker=") {
		t.Errorf("args = %q", p.Args)
	}
	all := append(found, Proc{PID: os.Getpid(), PPID: os.Getppid()}, Proc{PID: 1})
	if got := Tree(all, os.Getppid()); len(got) != 2 {
		t.Errorf("the tree of our parent = %+v, want us and the child", got)
	}
}

func TestParentOfToleratesOddNames(t *testing.T) {
	if got := parentOf("42 (a) b) (c) S 7 42 42 0"); got != 7 {
		t.Errorf("parentOf = %d, want 7", got)
	}
	if got := parentOf("42 (x"); got != 0 {
		t.Errorf("parentOf of a cut line = %d, want 0", got)
	}
}
