package backup

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/waconsole/waconsole/store"
)

// Stage is a private directory where an archive's files are gathered
// before the archive is written.
type Stage struct{ dir string }

// stagePrefix names stages, so that one left by a killed process is found.
const stagePrefix = ".backup-"

// NewStage makes a stage under parent (the data dir: same disk, same
// owner, mode 0700), first removing any stage a killed process left there.
// Only one backup may run at a time per parent.
func NewStage(parent string) (*Stage, error) {
	if parent == "" {
		return nil, errors.New("backup: no data dir to stage the files in")
	}
	old, _ := filepath.Glob(filepath.Join(parent, stagePrefix+"*"))
	for _, o := range old {
		_ = os.RemoveAll(o)
	}
	dir, err := os.MkdirTemp(parent, stagePrefix+"*")
	if err != nil {
		return nil, fmt.Errorf("backup: making a staging dir: %w", err)
	}
	return &Stage{dir: dir}, nil
}

// Remove deletes the stage and everything in it.
func (s *Stage) Remove() error { return os.RemoveAll(s.dir) }

// Add stages the file rel (slash-separated) with what write writes and
// returns its manifest entry.
func (s *Stage) Add(rel string, write func(io.Writer) error) (File, error) {
	dst := filepath.Join(s.dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return File{}, err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return File{}, err
	}
	h := sha256.New()
	cw := &countWriter{w: io.MultiWriter(f, h)}
	err = write(cw)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(dst) // so that the copy can be taken again
		return File{}, fmt.Errorf("backup: staging %s: %w", rel, err)
	}
	return File{Path: rel, Size: cw.n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

// AddStore stages a copy of db without any proxy password
// (store.DB.BackupWithoutSecrets, its temporary files kept in the stage)
// and returns its entry and, per session whose proxy lost its password,
// the proxy URL the copy keeps.
func (s *Stage) AddStore(db *store.DB) (File, map[string]string, error) {
	tmp, err := os.MkdirTemp(s.dir, "store-copy-*")
	if err != nil {
		return File{}, nil, err
	}
	defer os.RemoveAll(tmp)
	var removed map[string]string
	f, err := s.Add(StoreName, func(w io.Writer) error {
		var err error
		_, removed, err = db.BackupWithoutSecrets(w, tmp)
		return err
	})
	return f, removed, err
}

// Drop removes staged files, so that a copy can be taken again.
func (s *Stage) Drop(files []File) {
	for _, f := range files {
		_ = os.Remove(filepath.Join(s.dir, filepath.FromSlash(f.Path)))
	}
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
