package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/waconsole/waconsole/backup"
)

func cmdBackup(args []string, stdout io.Writer) error {
	fs := newFlagSet("backup", "waconsole backup FILE: write a backup archive of the running waconsole to FILE while its sessions run:\nthe store and each session's login, so that a restore (waconsole restore) needs no pairing.\nwaconsole backup --verify FILE: check an archive (no server needed).")
	var f flags
	f.client(fs)
	verify := fs.Bool("verify", false, "check the archive FILE (its manifest, every checksum, the store) and print what it holds")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: waconsole backup FILE, or waconsole backup --verify FILE")
	}
	if *verify {
		sum, err := verifyArchive(pos[0])
		if err != nil {
			return err
		}
		printArchive(stdout, pos[0], sum)
		return nil
	}
	dst := pos[0]
	// Written aside, checked, synced, then renamed: a cut or damaged copy
	// never passes for a backup. It holds the logins: mode 0600.
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
	var sum backup.Summary
	if err == nil {
		sum, err = verifyArchive(tmp.Name())
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
	printArchive(stdout, dst, sum)
	return nil
}

// verifyArchive checks the archive at path without restoring it; the
// store is unpacked into a private temporary dir beside the archive to be
// opened read-only. Beside it, not in the temporary dir: that is often a
// small tmpfs, and a large store would not fit after the whole download.
func verifyArchive(path string) (backup.Summary, error) {
	f, err := os.Open(path)
	if err != nil {
		return backup.Summary{}, err
	}
	defer f.Close()
	dir, err := os.MkdirTemp(filepath.Dir(path), filepath.Base(path)+".verify-*")
	if err != nil {
		return backup.Summary{}, fmt.Errorf("archive %s: its store is unpacked beside it to be checked: %w; put the archive in a dir that can be written to", path, err)
	}
	defer os.RemoveAll(dir)
	sum, err := backup.Unpack(f, dir, false)
	if err != nil {
		return backup.Summary{}, fmt.Errorf("archive %s: %w", path, err)
	}
	return sum, nil
}

// printArchive says what a checked archive holds.
func printArchive(w io.Writer, path string, sum backup.Summary) {
	fmt.Fprintf(w, "archive %s: ok, every checksum matches\n", path)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "  taken\t%s by waconsole %s, from data dir %s\n", sum.Created.Format("2006-01-02 15:04:05 MST"), sum.Version, sum.DataDir)
	fmt.Fprintf(tw, "  store\t%s, schema version %d\n", byteSize(sum.Store.Size), sum.Schema)
	for _, s := range sum.Sessions {
		if len(s.Files) == 0 {
			fmt.Fprintf(tw, "  session %s\t%s when taken, no login files in its profile: it will need pairing\n", s.ID, s.State)
			continue
		}
		fmt.Fprintf(tw, "  session %s\t%s when taken, login: %d files, %s\n", s.ID, s.State, len(s.Files), byteSize(s.Bytes()))
	}
	fmt.Fprintf(tw, "  address\t%s: the logins work against this address alone\n", sum.WAURL)
	tw.Flush()
	printProxyPasswords(w, sum.Sessions)
}

// printProxyPasswords says which sessions' proxies lost their password to
// the archive, and how to give it back.
func printProxyPasswords(w io.Writer, sessions []backup.Session) {
	var need []backup.Session
	for _, s := range sessions {
		if s.ProxyPasswordRemoved {
			need = append(need, s)
		}
	}
	if len(need) == 0 {
		return
	}
	fmt.Fprintln(w, "an archive keeps no proxy password: these sessions' proxies lost theirs, and a session whose proxy asks for one fails at its start until it is set again.")
	fmt.Fprintln(w, "Once the restored data dir runs, set each and restart the session:")
	for _, s := range need {
		proxy := "http://user:PASSWORD@host:port" // a manifest that does not say
		if at := strings.LastIndex(s.Proxy, "@"); at >= 0 {
			proxy = s.Proxy[:at] + ":PASSWORD" + s.Proxy[at:]
		}
		fmt.Fprintf(w, "  waconsole session set %s --proxy %s && waconsole session restart %s\n", s.ID, proxy, s.ID)
	}
}
