package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/waconsole/waconsole/backup"
)

func cmdRestore(args []string, stdout io.Writer) error {
	fs := newFlagSet("restore", "waconsole restore FILE --data-dir DIR: restore a backup archive (waconsole backup) into DIR,\nwhich must be empty or absent. Every checksum is checked before anything is put in place.")
	var f flags
	fs.StringVar(&f.dataDir, "data-dir", "", "the data dir to restore into, empty or absent (default $XDG_STATE_HOME/waconsole or ~/.local/state/waconsole)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: waconsole restore FILE --data-dir DIR")
	}
	in, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer in.Close()
	dir := f.dir()
	sum, err := backup.Restore(in, dir)
	if err != nil {
		return fmt.Errorf("restore %s into %s: %w", pos[0], dir, err)
	}
	printArchive(stdout, pos[0], sum)
	fmt.Fprintf(stdout, "restored into %s; start it with: waconsole serve --data-dir %s --wa-url %s\n", dir, dir, sum.WAURL)
	return nil
}
