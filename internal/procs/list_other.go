//go:build !linux

package procs

import (
	"errors"
	"runtime"
)

// List needs /proc; elsewhere it finds nothing, and callers rely on the
// browser's process group alone.
func List() ([]Proc, error) {
	return nil, errors.New("listing processes needs /proc, which " + runtime.GOOS + " does not have")
}
