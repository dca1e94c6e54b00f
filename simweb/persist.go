package simweb

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// stateFile is the JSON kept in Options.StateFile.
type stateFile struct {
	Accounts []*account `json:"accounts"`
	Devices  []*device  `json:"devices"`
}

// saveDelay bounds how long a change waits before it is written.
const saveDelay = 200 * time.Millisecond

func (s *Server) load() error {
	if s.stateFile == "" {
		return nil
	}
	b, err := os.ReadFile(s.stateFile)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var st stateFile
	if err := json.Unmarshal(b, &st); err != nil {
		return fmt.Errorf("simweb: state file %s: %w", s.stateFile, err)
	}
	for _, a := range st.Accounts {
		a.index()
		s.accounts[a.Phone] = a
	}
	for _, d := range st.Devices {
		d.state = stUnlaunched
		if d.Phone != "" {
			d.state = stOpening
		}
		s.devices[d.ID] = d
		s.order = append(s.order, d.ID)
	}
	return nil
}

// dirty schedules a write of the state file; call it with s.mu held.
func (s *Server) dirty() {
	if s.stateFile == "" || s.save != nil || s.closed {
		return
	}
	s.save = time.AfterFunc(saveDelay, func() {
		if err := s.writeState(); err != nil {
			s.logf("simweb: %v", err)
		}
	})
}

// writeState writes the state file atomically: a temp file, then rename.
func (s *Server) writeState() error {
	if s.stateFile == "" {
		return nil
	}
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.Lock()
	s.save = nil
	st := stateFile{}
	for _, id := range s.order {
		st.Devices = append(st.Devices, s.devices[id])
	}
	for _, a := range s.accounts {
		st.Accounts = append(st.Accounts, a)
	}
	b, err := json.Marshal(st)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.stateFile), ".simweb-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.stateFile)
}
