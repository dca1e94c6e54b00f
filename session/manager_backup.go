package session

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/waconsole/waconsole/backup"
)

// Backup writes an archive (package backup) of the store and of every
// session's login files to w while everything runs: the store as one
// read transaction sees it, without the proxy passwords, each profile as
// stageLogin copies it.
func (m *Manager) Backup(w io.Writer) (int64, error) {
	m.backupMu.Lock()
	defer m.backupMu.Unlock()
	stage, err := backup.NewStage(m.cfg.DataDir)
	if err != nil {
		return 0, err
	}
	defer stage.Remove()
	dataDir, err := filepath.Abs(m.cfg.DataDir)
	if err != nil {
		return 0, err
	}
	man := backup.Manifest{Version: m.cfg.Version, Created: time.Now().UTC(), DataDir: dataDir, WAURL: m.cfg.WAURL}
	var removed map[string]string
	man.Store, removed, err = stage.AddStore(m.cfg.Store)
	if err != nil {
		return 0, err
	}
	for _, s := range m.List() {
		files, err := stageLogin(stage, m.profileDir(s.ID), backup.ProfilesDir+"/"+s.ID)
		if err != nil {
			return 0, fmt.Errorf("backup: session %s: %w", s.ID, err)
		}
		proxy, ok := removed[s.ID]
		man.Sessions = append(man.Sessions, backup.Session{ID: s.ID, State: string(s.State), Files: files, ProxyPasswordRemoved: ok, Proxy: proxy})
	}
	return backup.Write(w, man, stage)
}
