package store

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// BackupWithoutSecrets writes a consistent copy of the store to w, as
// Backup does, with the password removed from every session's proxy URL
// (scheme, user, host and port kept). The live store is only read: the copy
// is written into dir (private, on the same disk; the caller removes it),
// the passwords are removed there, and the result is compacted into a
// second file, which is streamed. The compaction is what makes the copy
// free of them: bbolt writes a changed value to a new page and leaves the
// old one in the file, free but not wiped, as it leaves every value ever
// overwritten or deleted. It returns, per session whose proxy lost its
// password, the proxy URL as the copy keeps it.
func (db *DB) BackupWithoutSecrets(w io.Writer, dir string) (int64, map[string]string, error) {
	raw, compact := filepath.Join(dir, "raw.db"), filepath.Join(dir, "compact.db")
	if err := db.backupToFile(raw); err != nil {
		return 0, nil, err
	}
	removed, err := removeProxyPasswords(raw, compact)
	if err != nil {
		return 0, nil, fmt.Errorf("store %s: backup: removing the proxy passwords from the copy: %w", db.path, err)
	}
	f, err := os.Open(compact)
	if err != nil {
		return 0, nil, err
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	return n, removed, err
}

// backupToFile writes Backup's copy to a new file at path.
func (db *DB) backupToFile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = db.Backup(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// compactTxMax bounds the bytes one transaction of the compaction writes.
const compactTxMax = 64 << 20

// removeProxyPasswords removes the proxy passwords from the store file src,
// which no one else has open, and compacts it into the new file dst.
func removeProxyPasswords(src, dst string) (map[string]string, error) {
	in, err := openBolt(src, bolt.Options{Timeout: defaultTimeout, NoSync: true})
	if err != nil {
		return nil, err
	}
	defer in.Close()
	removed := map[string]string{}
	err = in.Update(func(tx *bolt.Tx) error {
		sessions := getBucket(tx, sessionsPath()...)
		if sessions == nil {
			return nil
		}
		return sessions.ForEachBucket(func(id []byte) error {
			br := sessions.Bucket(id).Bucket(bucketBrowser)
			if br == nil {
				return nil
			}
			kept, ok := proxyWithoutPassword(string(br.Get(fieldProxy)))
			if !ok {
				return nil
			}
			removed[string(id)] = kept
			return br.Put(fieldProxy, []byte(kept))
		})
	})
	if err != nil {
		return nil, err
	}
	out, err := openBolt(dst, bolt.Options{Timeout: defaultTimeout, NoSync: true})
	if err != nil {
		return nil, err
	}
	// Unsynced: the copy is read back at once and removed. Committed in
	// parts, as one transaction of a large store would hold all of it in
	// the memory of the live process.
	err = bolt.Compact(out, in, compactTxMax)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return removed, err
}

// proxyWithoutPassword returns the proxy URL raw without the password of
// its user:password@ part, and whether it held one. It reads raw as the
// session's proxy check does (the userinfo ends at the last @, the user at
// its first colon) and removes everything in between, so that a malformed
// URL keeps no part of a password either.
func proxyWithoutPassword(raw string) (string, bool) {
	prefix, rest, ok := strings.Cut(raw, "://")
	if !ok {
		prefix, rest = "", raw
	} else {
		prefix += "://"
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return raw, false
	}
	user, _, ok := strings.Cut(rest[:at], ":")
	if !ok {
		return raw, false
	}
	return prefix + user + rest[at:], true
}
