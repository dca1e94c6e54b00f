package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// Errors callers can test with errors.Is. Returned errors wrap them with the
// file path or the object concerned.
var (
	ErrLocked      = errors.New("locked by another process")
	ErrNotDatabase = errors.New("not a valid waconsole database")
	ErrNewerSchema = errors.New("schema is newer than this program")
	ErrNotFound    = errors.New("not found")
	ErrExists      = errors.New("already exists")
)

const defaultTimeout = time.Second

// batchDelay is how long Enqueue waits for other callers to share its
// commit. bbolt's default, 10 ms, is a floor on every lone Enqueue; callers
// arriving while a commit is in flight are grouped anyway, so 2 ms still
// caps commits at about 500/s while a single send stays quick.
const batchDelay = 2 * time.Millisecond

// Options tune Open. The zero value is what production uses.
type Options struct {
	// Timeout bounds the wait for the file lock; zero means one second, so
	// a second process fails fast instead of hanging.
	Timeout time.Duration
	// NoSync skips fsync on commit: a crash can lose or corrupt data. It
	// exists only for the benchmark's raw comparison, never set it otherwise.
	NoSync bool
}

// DB is an open store. Its methods are safe for concurrent use.
type DB struct {
	bolt  *bolt.DB
	path  string
	hooks atomic.Pointer[Hooks]
	sweep sweepCursor
}

// Open opens the store at path, creating it (mode 0600, parent directory
// must exist) if it is missing or empty, and migrates it to the current
// schema. An existing file is validated read-only first: a file that is
// damaged, belongs to another program or has a newer schema is refused
// with ErrNotDatabase or ErrNewerSchema and left byte-for-byte untouched.
func Open(path string, opts Options) (*DB, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = defaultTimeout
	}
	db, err := open(path, opts)
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	return db, nil
}

func open(path string, opts Options) (*DB, error) {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case !info.Mode().IsRegular():
		return nil, fmt.Errorf("%w: not a regular file", ErrNotDatabase)
	case info.Size() > 0:
		if err := validate(path, opts.Timeout); err != nil {
			return nil, err
		}
	}
	bdb, err := openBolt(path, bolt.Options{Timeout: opts.Timeout, NoSync: opts.NoSync})
	if err != nil {
		return nil, err
	}
	err = guard(func() error {
		return bdb.Update(func(tx *bolt.Tx) error { return migrate(tx, currentVersion) })
	})
	if err != nil {
		_ = bdb.Close()
		return nil, err
	}
	bdb.MaxBatchDelay = batchDelay
	return &DB{bolt: bdb, path: path}, nil
}

// openBolt opens path with bbolt, translating its errors into ours. A panic
// inside bolt.Open would leave the file open and locked, so the file handle
// is captured to be closed on any failure.
func openBolt(path string, o bolt.Options) (*bolt.DB, error) {
	var f *os.File
	o.OpenFile = func(name string, flag int, perm os.FileMode) (*os.File, error) {
		var err error
		f, err = os.OpenFile(name, flag, perm)
		return f, err
	}
	var bdb *bolt.DB
	err := guard(func() error {
		var err error
		bdb, err = bolt.Open(path, 0o600, &o)
		return err
	})
	if err == nil {
		return bdb, nil
	}
	if f != nil {
		_ = f.Close() // already closed unless bolt.Open panicked
	}
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("%w: no file lock within %s; is another waconsole running on this data dir?", ErrLocked, o.Timeout)
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%w: %v", ErrNotDatabase, err)
	}
	return nil, err
}

// guard runs fn, turning a panic or a memory fault (bbolt reads the file
// through mmap) caused by a damaged file into an ErrNotDatabase error.
func guard(fn func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: the file is damaged (%v); restore a backup", ErrNotDatabase, r)
		}
	}()
	return fn()
}

// Close releases the file and its lock.
func (db *DB) Close() error {
	if err := db.bolt.Close(); err != nil {
		return fmt.Errorf("store %s: close: %w", db.path, err)
	}
	return nil
}

// Path is the file the store was opened from.
func (db *DB) Path() string { return db.path }

// Backup writes a consistent copy of the whole file to w without blocking
// readers or writers (a hot backup in a read transaction).
func (db *DB) Backup(w io.Writer) (int64, error) {
	var n int64
	err := db.bolt.View(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, fmt.Errorf("store %s: backup: %w", db.path, err)
	}
	return n, nil
}

// Check runs bbolt's consistency check and returns every problem found,
// joined. It runs in a write transaction (rolled back): in a read one it
// would read the freelist while writers change it, so it briefly holds
// back writers instead.
func (db *DB) Check() error {
	tx, err := db.bolt.Begin(true)
	if err != nil {
		return fmt.Errorf("store %s: check: %w", db.path, err)
	}
	defer func() { _ = tx.Rollback() }()
	if err := checkTx(tx); err != nil {
		return fmt.Errorf("store %s: check: %w", db.path, err)
	}
	return nil
}

func checkTx(tx *bolt.Tx) error {
	var errs []error
	for err := range tx.Check() {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
