package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

func cmdBackup(args []string, stdout io.Writer) error {
	fs := newFlagSet("backup", "waconsole backup FILE: copy the store of the running waconsole to FILE while it runs.\nThe browser profiles (the WhatsApp logins) are not in it: back up <data-dir>/profiles with the process stopped.")
	var f flags
	f.client(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: waconsole backup FILE")
	}
	dst := pos[0]
	// Written aside, synced, then renamed: a cut copy never passes for a backup.
	tmp, err := os.CreateTemp(filepath.Dir(dst), filepath.Base(dst)+".partial-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	n, err := f.api().Backup(context.Background(), tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o600)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), dst)
	}
	if err != nil {
		return fmt.Errorf("backup to %s: %w", dst, err)
	}
	fmt.Fprintf(stdout, "wrote %d bytes to %s\n", n, dst)
	return nil
}
