package backup

import (
	"fmt"
	"path"
	"strings"
	"time"
)

// Format is the version of the archive layout this waconsole writes and
// reads.
const Format = 1

// Names inside an archive.
const (
	ManifestName = "manifest.json"
	StoreName    = "waconsole.db"
	ProfilesDir  = "profiles"
)

// Manifest describes an archive: it is its first entry.
type Manifest struct {
	Format   int       `json:"format"`
	Version  string    `json:"waconsoleVersion"`
	Created  time.Time `json:"created"`
	DataDir  string    `json:"dataDir"` // the data dir it was taken from
	WAURL    string    `json:"waURL"`   // logins are per origin: they work against this address only
	Store    File      `json:"store"`
	Sessions []Session `json:"sessions"`
}

// Session is one session's login files, under profiles/<id>/.
type Session struct {
	ID    string `json:"id"`
	State string `json:"state"` // when the backup was taken
	Files []File `json:"files"`
	// ProxyPasswordRemoved says that the session's proxy had a password,
	// which the archive does not keep; Proxy is its URL as kept, without it.
	ProxyPasswordRemoved bool   `json:"proxyPasswordRemoved,omitempty"`
	Proxy                string `json:"proxy,omitempty"`
}

// File is one file of the archive; Path is relative to the data dir,
// slash-separated.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Bytes is the size of the session's login files.
func (s Session) Bytes() int64 {
	var n int64
	for _, f := range s.Files {
		n += f.Size
	}
	return n
}

// files lists every file the manifest names, the store first, after
// checking that each path stays where it belongs: an archive must not
// write outside the data dir, nor one session into another's profile.
func (m Manifest) files() ([]File, error) {
	if m.Store.Path != StoreName {
		return nil, fmt.Errorf("the manifest names the store %q, not %q", m.Store.Path, StoreName)
	}
	out := []File{m.Store}
	seen := map[string]bool{}
	for _, s := range m.Sessions {
		if s.ID == "" || strings.ContainsAny(s.ID, `/\`) || s.ID == "." || s.ID == ".." || seen[s.ID] {
			return nil, fmt.Errorf("the manifest names session %q twice or with an unusable id", s.ID)
		}
		seen[s.ID] = true
		prefix := ProfilesDir + "/" + s.ID + "/"
		for _, f := range s.Files {
			// Clean keeps no "..": a path equal to its clean form stays under prefix.
			if !strings.HasPrefix(f.Path, prefix) || path.Clean(f.Path) != f.Path {
				return nil, fmt.Errorf("the manifest lists %q for session %s: outside %s", f.Path, s.ID, prefix)
			}
			out = append(out, f)
		}
	}
	return out, nil
}
