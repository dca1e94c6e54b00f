// Package procs finds running processes by their arguments, as the
// browsers of a profile directory are found: to kill the ones a killed
// process left behind, and in tests to count or measure them.
package procs

import (
	"slices"
	"strings"
)

// Proc is one running process.
type Proc struct {
	PID  int
	PPID int
	Args []string
}

// HasArg reports whether one of p's arguments is exactly arg.
func (p Proc) HasArg(arg string) bool { return slices.Contains(p.Args, arg) }

// HasArgPrefix reports whether one of p's arguments starts with prefix.
func (p Proc) HasArgPrefix(prefix string) bool {
	return slices.ContainsFunc(p.Args, func(a string) bool { return strings.HasPrefix(a, prefix) })
}

// WithArgPrefix returns the running processes, but the caller, that have an
// argument starting with prefix; none where processes cannot be listed.
func WithArgPrefix(prefix string) []Proc {
	all, _ := List()
	return slices.DeleteFunc(all, func(p Proc) bool { return !p.HasArgPrefix(prefix) })
}

// Tree returns the process root and its descendants among ps.
func Tree(ps []Proc, root int) []Proc {
	in := map[int]bool{root: true}
	var out []Proc
	for grew := true; grew; {
		grew = false
		for _, p := range ps {
			if !in[p.PID] && in[p.PPID] {
				in[p.PID], grew = true, true
			}
		}
	}
	for _, p := range ps {
		if in[p.PID] {
			out = append(out, p)
		}
	}
	return out
}
