package backup

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// restoreTmp is where an archive is unpacked inside the data dir before
// its files are moved into place.
const restoreTmp = ".restore-tmp"

// ErrNotEmpty means the data dir to restore into holds something already.
var ErrNotEmpty = errors.New("the data dir is not empty")

// Restore unpacks the archive read from r into dataDir, which must be
// empty or absent. Everything is unpacked into dataDir/.restore-tmp and
// checked (Unpack) before the store and the profiles are moved into place,
// so a damaged archive leaves dataDir as it was.
func Restore(r io.Reader, dataDir string) (sum Summary, err error) {
	created, err := emptyDataDir(dataDir)
	if err != nil {
		return Summary{}, err
	}
	tmp := filepath.Join(dataDir, restoreTmp)
	defer func() {
		_ = os.RemoveAll(tmp)
		if err != nil && created {
			_ = os.Remove(dataDir)
		}
	}()
	if err := os.Mkdir(tmp, 0o700); err != nil {
		return Summary{}, err
	}
	if sum, err = Unpack(r, tmp, true); err != nil {
		return Summary{}, err
	}
	for _, name := range []string{StoreName, ProfilesDir} {
		if _, serr := os.Stat(filepath.Join(tmp, name)); errors.Is(serr, fs.ErrNotExist) {
			continue // no session has login files: no profiles dir
		}
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(dataDir, name)); err != nil {
			return Summary{}, fmt.Errorf("moving the restored %s into place: %w", name, err)
		}
	}
	return sum, nil
}

// emptyDataDir makes sure dir can take a restore: absent (it is created,
// mode 0700) or empty, a leftover of an interrupted restore aside.
func emptyDataDir(dir string) (created bool, err error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return false, fmt.Errorf("creating data dir %s: %w", dir, err)
		}
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("data dir %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		if e.Name() == restoreTmp {
			if err := os.RemoveAll(filepath.Join(dir, restoreTmp)); err != nil {
				return false, err
			}
			continue
		}
		names = append(names, e.Name())
	}
	if len(names) > 0 {
		if len(names) > 3 {
			names = append(names[:3], "…")
		}
		return false, fmt.Errorf("%w: %s holds %s; restore into an empty or new directory (a restore never overwrites a data dir)", ErrNotEmpty, dir, strings.Join(names, ", "))
	}
	return false, nil
}
