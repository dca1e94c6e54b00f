package session

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/backup"
)

// A backup takes from a profile what a login needs and leaves the caches,
// the locks and the logs of one run.
func TestStageLoginTakesTheLoginAlone(t *testing.T) {
	profile := t.TempDir()
	idb := "Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb/"
	ls := "Default/Local Storage/leveldb/"
	kept := []string{
		"Default/Cookies",
		idb + "000003.log", idb + "CURRENT", idb + "MANIFEST-000001",
		"Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.blob/1/00/1",
		ls + "000005.ldb", ls + "CURRENT", ls + "MANIFEST-000001",
	}
	left := []string{
		idb + "LOCK", idb + "LOG", idb + "LOG.old", ls + "LOCK",
		"Default/Cache/Cache_Data/index", "Default/Code Cache/js/index", "Default/GPUCache/data_0",
		"Default/Service Worker/CacheStorage/x/index", "Default/blob_storage/x/1",
		"Default/Session Storage/000003.log", "Crash Reports/pending/a.dmp",
		"SingletonCookie", "Local State", "Default/Preferences",
	}
	for _, f := range append(slices.Clone(kept), left...) {
		p := filepath.Join(profile, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("content of "+f), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	stage, err := backup.NewStage(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer stage.Remove()
	files, err := stageLogin(stage, profile, "profiles/shop")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range files {
		rel, ok := strings.CutPrefix(f.Path, "profiles/shop/")
		if !ok || f.Size != int64(len("content of "+rel)) || len(f.SHA256) != 64 {
			t.Errorf("entry %+v", f)
		}
		got = append(got, rel)
	}
	slices.Sort(kept)
	if !slices.Equal(got, kept) {
		t.Fatalf("staged %q\nwant     %q", got, kept)
	}

	// A session whose browser never ran has nothing to stage.
	none, err := stageLogin(stage, filepath.Join(t.TempDir(), "never-started"), "profiles/new")
	if err != nil || len(none) != 0 {
		t.Fatalf("stageLogin of a missing profile = %v, %v", none, err)
	}
}

// A copy counts when nothing changed meanwhile but leveldb's appends.
func TestSettledAllowsLeveldbAppendsAlone(t *testing.T) {
	t0 := time.Unix(1_700_000_000, 0)
	t1 := t0.Add(time.Millisecond)
	const dir = "Default/IndexedDB/https_web.whatsapp.com_0.indexeddb.leveldb/"
	before := map[string]fileStamp{
		dir + "000003.log":      {100, t0},
		dir + "MANIFEST-000001": {50, t0},
		dir + "000005.ldb":      {4096, t0},
		"Default/Cookies":       {20480, t0},
	}
	change := func(name string, st fileStamp) map[string]fileStamp {
		after := maps.Clone(before)
		if st.size < 0 {
			delete(after, name)
		} else {
			after[name] = st
		}
		return after
	}
	for what, c := range map[string]struct {
		after map[string]fileStamp
		want  bool
	}{
		"nothing changed":       {maps.Clone(before), true},
		"the log grew":          {change(dir+"000003.log", fileStamp{180, t1}), true},
		"the manifest grew":     {change(dir+"MANIFEST-000001", fileStamp{90, t1}), true},
		"the log shrank":        {change(dir+"000003.log", fileStamp{10, t1}), false},
		"a table rewritten":     {change(dir+"000005.ldb", fileStamp{4096, t1}), false},
		"the cookies written":   {change("Default/Cookies", fileStamp{20480, t1}), false},
		"a file added":          {change(dir+"000007.ldb", fileStamp{10, t1}), false},
		"a file removed":        {change(dir+"000005.ldb", fileStamp{-1, t1}), false},
		"the log rewritten too": {change(dir+"000003.log", fileStamp{100, t1}), false},
	} {
		if got := settled(before, c.after); got != c.want {
			t.Errorf("%s: settled = %v, want %v", what, got, c.want)
		}
	}
}
