//go:build unix && !linux

package session

import "syscall"

// tieBrowser gives the browser its own process group, so that stop kills
// every child. Only Linux can also tie its life to ours: elsewhere a console
// killed with SIGKILL leaves its browsers running.
func tieBrowser(a *syscall.SysProcAttr) { a.Setpgid = true }

// killProfileProcesses has no process table to scan here: the process group,
// killed on close, is what stops the browser.
func killProfileProcesses(string) {}
