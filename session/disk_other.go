//go:build !unix

package session

// diskFree is nil where the free space cannot be measured: the disk-full
// alert is off there (the alerter says so once, at start).
var diskFree func(dir string) (free, total uint64, err error)
