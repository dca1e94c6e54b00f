//go:build unix

package session

import "golang.org/x/sys/unix"

// diskFree reports the space left to unprivileged writers and the size of
// the filesystem that holds dir.
func diskFree(dir string) (free, total uint64, err error) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return 0, 0, err
	}
	return st.Bavail * uint64(st.Bsize), st.Blocks * uint64(st.Bsize), nil
}
