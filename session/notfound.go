package session

import "github.com/waconsole/waconsole/store"

// ErrNotFound is returned for a job (or other record) that does not exist.
var ErrNotFound = store.ErrNotFound
