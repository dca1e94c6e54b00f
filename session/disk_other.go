//go:build !unix

package session

import "errors"

func diskFree(string) (free, total uint64, err error) {
	return 0, 0, errors.New("free space is measured on unix systems only")
}
