package session

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/waconsole/waconsole/backup"
)

// Backup writes an archive (package backup) of the store and of every
// session's login files to w while everything runs: the store as one
// read transaction sees it, without the proxy passwords, each profile as
// stageLogin copies it. The archive is written whole before any of it is
// sent, so that a slow or stalled reader holds neither the next backup nor
// the staged copies.
func (m *Manager) Backup(w io.Writer) (int64, error) {
	archive, err := m.stageBackup()
	if err != nil {
		return 0, err
	}
	defer archive.Close()
	return io.Copy(w, archive)
}

// stageBackup writes the archive into a stage and returns it open, the
// stage removed.
func (m *Manager) stageBackup() (*os.File, error) {
	m.backupMu.Lock()
	defer m.backupMu.Unlock()
	stage, err := backup.NewStage(m.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	defer stage.Remove()
	dataDir, err := filepath.Abs(m.cfg.DataDir)
	if err != nil {
		return nil, err
	}
	man := backup.Manifest{Version: m.cfg.Version, Created: time.Now().UTC(), DataDir: dataDir, WAURL: m.cfg.WAURL}
	var removed map[string]string
	man.Store, removed, err = stage.AddStore(m.cfg.Store)
	if err != nil {
		return nil, err
	}
	for _, s := range m.List() {
		files, err := stageLogin(stage, m.profileDir(s.ID), backup.ProfilesDir+"/"+s.ID)
		if err != nil {
			return nil, fmt.Errorf("backup: session %s: %w", s.ID, err)
		}
		proxy, ok := removed[s.ID]
		man.Sessions = append(man.Sessions, backup.Session{ID: s.ID, State: string(s.State), Files: files, ProxyPasswordRemoved: ok, Proxy: proxy})
	}
	return stage.WriteStaged(man)
}
