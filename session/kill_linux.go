package session

import (
	"syscall"
	"time"

	"github.com/waconsole/waconsole/internal/procs"
)

// tieBrowser gives the browser its own process group, so that stop kills
// every child, and death with us, so that a killed console leaves no browser.
func tieBrowser(a *syscall.SysProcAttr) {
	a.Setpgid = true
	a.Pdeathsig = syscall.SIGKILL
}

// killProfileProcesses kills every process started with profile as its user
// data dir, until none is seen for a few passes: Chrome's helpers can outlive
// the main process, and one can fork just as it dies.
func killProfileProcesses(profile string) {
	arg := "--user-data-dir=" + profile
	deadline := time.Now().Add(3 * time.Second)
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if killWithArg(arg) == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}

func killWithArg(arg string) int {
	n := 0
	for _, p := range procs.WithArgPrefix(arg) {
		if p.HasArg(arg) && syscall.Kill(p.PID, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}
