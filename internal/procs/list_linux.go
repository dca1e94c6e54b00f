package procs

import (
	"os"
	"strconv"
	"strings"
)

// List returns every running process but the caller, read from /proc.
// Processes that end while it reads are left out.
func List() ([]Proc, error) {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil, err
	}
	self := os.Getpid()
	var out []Proc
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		cmdline, err := os.ReadFile("/proc/" + e.Name() + "/cmdline")
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		out = append(out, Proc{PID: pid, PPID: parentOf(string(stat)), Args: strings.Split(strings.TrimSuffix(string(cmdline), "\x00"), "\x00")})
	}
	return out, nil
}

// parentOf reads the ppid from /proc/<pid>/stat: "pid (comm) state ppid …",
// where comm may hold spaces and parentheses, so it counts from the last ")".
func parentOf(stat string) int {
	fields := strings.Fields(stat[strings.LastIndexByte(stat, ')')+1:])
	if len(fields) < 2 {
		return 0
	}
	ppid, _ := strconv.Atoi(fields[1])
	return ppid
}
