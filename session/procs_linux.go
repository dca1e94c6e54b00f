package session

import (
	"bytes"
	"os"
	"strconv"
	"syscall"
	"time"
)

// killProfileProcesses kills every process started with profile as its user
// data dir, until none is seen for a few passes: Chrome's helpers can outlive
// the main process, and one can fork just as it dies.
func killProfileProcesses(profile string) {
	want := []byte("--user-data-dir=" + profile + "\x00")
	deadline := time.Now().Add(3 * time.Second)
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if killMatching(want) == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}

func killMatching(want []byte) int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	self := os.Getpid()
	n := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil || !bytes.Contains(append(cmdline, 0), want) {
			continue
		}
		if syscall.Kill(pid, syscall.SIGKILL) == nil {
			n++
		}
	}
	return n
}
