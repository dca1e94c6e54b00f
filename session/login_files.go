package session

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/waconsole/waconsole/backup"
)

// loginDirs and loginFiles are the parts of a Chromium profile a WhatsApp
// Web login lives in, relative to the profile: the page keeps its keys in
// the origin's IndexedDB (wawc) and Local Storage, and may set cookies.
// Everything else (Cache, Code Cache, GPUCache, Service Worker, blob
// storage, Session Storage, crash dumps, Singleton* locks) is rebuilt by
// the browser or belongs to one run.
var (
	loginDirs  = []string{"Default/IndexedDB", "Default/Local Storage/leveldb"}
	loginFiles = []string{"Default/Cookies", "Default/Cookies-journal"}
)

// leveldbRunFiles are the leveldb files of one run of the browser: its
// lock and its text logs, not data.
var leveldbRunFiles = []string{"LOCK", "LOG", "LOG.old"}

// profileCopies is how often a login copy is taken before giving up on a
// browser that keeps writing its profile.
const profileCopies = 5

// fileStamp is what shows that a file changed.
type fileStamp struct {
	size  int64
	mtime time.Time
}

// settled tells whether a copy taken between the listings before and
// after is one instant's state. The same files must be there, unchanged,
// except that leveldb's write-ahead log (*.log) and its MANIFEST-* may have
// grown: leveldb only appends to them, so the copy holds a prefix, which is
// what a crash leaves and leveldb reads up to its last whole record. A
// file added or removed means a compaction: copy again.
func settled(before, after map[string]fileStamp) bool {
	if len(before) != len(after) {
		return false
	}
	for name, b := range before {
		a, ok := after[name]
		switch {
		case !ok:
			return false
		case a.size == b.size && a.mtime.Equal(b.mtime):
		case a.size > b.size && appendOnly(name):
		default:
			return false
		}
	}
	return true
}

func appendOnly(name string) bool {
	base := path.Base(name)
	return strings.HasSuffix(base, ".log") || strings.HasPrefix(base, "MANIFEST-")
}

// listLogin returns the login files of a profile, slash-separated paths
// relative to it, with their stamps. A profile not made yet has none.
func listLogin(profile string) (map[string]fileStamp, error) {
	out := map[string]fileStamp{}
	add := func(p string, info fs.FileInfo) {
		rel, _ := filepath.Rel(profile, p)
		out[filepath.ToSlash(rel)] = fileStamp{info.Size(), info.ModTime()}
	}
	for _, d := range loginDirs {
		err := filepath.WalkDir(filepath.Join(profile, filepath.FromSlash(d)), func(p string, e fs.DirEntry, err error) error {
			switch {
			case errors.Is(err, fs.ErrNotExist):
				return nil // gone meanwhile: the next listing tells
			case err != nil:
				return err
			case !e.Type().IsRegular() || slices.Contains(leveldbRunFiles, e.Name()):
				return nil
			}
			info, err := e.Info()
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			if err != nil {
				return err
			}
			add(p, info)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, f := range loginFiles {
		p := filepath.Join(profile, filepath.FromSlash(f))
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if info.Mode().IsRegular() {
			add(p, info)
		}
	}
	return out, nil
}

// stageLogin copies a session's login files from its profile into stage
// under dest (profiles/<id>). Chromium writes the profile while the session
// runs, and a file copied mid-write would be torn. Its stores are built to
// survive a crash (leveldb appends to a log and switches files by renaming
// CURRENT; SQLite keeps a journal), so a copy during which no file changed
// is what a crash at that instant would have left, and the browser opens
// it as after a crash. The files are listed, copied and listed again; a
// copy during which anything changed but leveldb's appends (settled) is
// taken again. No call of the page
// or the browser flushes IndexedDB or Local Storage, and stopping the
// browser would drop the session's connection, so this is done without
// them. What the page wrote in the last seconds (Chromium delays Local
// Storage commits) may be missing, as after a crash.
func stageLogin(stage *backup.Stage, profile, dest string) ([]backup.File, error) {
	for attempt := 1; ; attempt++ {
		before, err := listLogin(profile)
		if err != nil {
			return nil, err
		}
		files, err := copyLogin(stage, profile, dest, before)
		if err != nil && !errors.Is(err, fs.ErrNotExist) { // a file removed meanwhile is a change
			return nil, err
		}
		after, lerr := listLogin(profile)
		if lerr != nil {
			return nil, lerr
		}
		if err == nil && settled(before, after) {
			return files, nil
		}
		stage.Drop(files)
		if attempt == profileCopies {
			return nil, fmt.Errorf("the browser kept writing its profile %s during %d copies; take the backup again", profile, profileCopies)
		}
		time.Sleep(time.Duration(attempt) * 100 * time.Millisecond)
	}
}

func copyLogin(stage *backup.Stage, profile, dest string, list map[string]fileStamp) ([]backup.File, error) {
	names := make([]string, 0, len(list))
	for rel := range list {
		names = append(names, rel)
	}
	slices.Sort(names)
	files := make([]backup.File, 0, len(names))
	for _, rel := range names {
		f, err := stage.Add(path.Join(dest, rel), func(w io.Writer) error {
			src, err := os.Open(filepath.Join(profile, filepath.FromSlash(rel)))
			if err != nil {
				return err
			}
			defer src.Close()
			_, err = io.Copy(w, src)
			return err
		})
		if err != nil {
			stage.Drop(files)
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}
