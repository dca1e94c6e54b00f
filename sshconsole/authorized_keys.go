package sshconsole

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"time"

	gossh "golang.org/x/crypto/ssh"
)

// authorizedKey is one key admitted to the console.
type authorizedKey struct {
	key      gossh.PublicKey
	comment  string
	readOnly bool
}

// ignoredOptions restrict what this server never grants anyway, so a key
// copied from an OpenSSH authorized_keys file with them keeps working.
var ignoredOptions = map[string]bool{
	"no-port-forwarding": true, "no-agent-forwarding": true, "no-x11-forwarding": true, "no-user-rc": true,
}

// parseAuthorizedKeys reads an OpenSSH authorized_keys file. read-only (or
// OpenSSH's restrict) before a key gives it a read-only console. Any other
// option (from=, command=, …) would promise a limit this server does not
// enforce, so it makes the file invalid rather than be ignored.
func parseAuthorizedKeys(data []byte) ([]authorizedKey, error) {
	var keys []authorizedKey
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		pk, comment, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			return nil, fmt.Errorf("line %d is not a public key in OpenSSH format (such as: read-only ssh-ed25519 AAAA… ops@laptop)", i+1)
		}
		k := authorizedKey{key: pk, comment: comment}
		for _, o := range options {
			name := strings.ToLower(o)
			switch {
			case name == "read-only" || name == "restrict":
				k.readOnly = true
			case ignoredOptions[name]:
			default:
				name, _, _ = strings.Cut(name, "=")
				return nil, fmt.Errorf("line %d: option %q is not supported here; only read-only (or restrict) may precede a key: remove it", i+1, name)
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// keyring is the authorized-keys file as last read successfully. It is
// read again when its modification time or size changes; a file that
// cannot be read or parsed keeps the keys read before.
type keyring struct {
	path string
	log  *slog.Logger

	mu      sync.Mutex
	keys    []authorizedKey
	mod     time.Time
	size    int64
	lastErr string // the last problem logged, so each is logged once
}

// loadKeyring reads path once; at start a broken file is an error.
func loadKeyring(path string, log *slog.Logger) (*keyring, error) {
	r := &keyring{path: path, log: log}
	fi, keys, err := r.read()
	if err != nil {
		return nil, fmt.Errorf("--ssh-authorized-keys %s: %w", path, err)
	}
	r.keys, r.mod, r.size = keys, fi.ModTime(), fi.Size()
	return r, nil
}

func (r *keyring) read() (os.FileInfo, []authorizedKey, error) {
	fi, err := os.Stat(r.path)
	if err != nil {
		return nil, nil, err
	}
	if fi.Mode().Perm()&0o022 != 0 {
		return nil, nil, fmt.Errorf("others than its owner can write to it: chmod go-w %s", r.path)
	}
	data, err := os.ReadFile(r.path)
	if err != nil {
		return nil, nil, err
	}
	keys, err := parseAuthorizedKeys(data)
	return fi, keys, err
}

// lookup finds key in the file as it is now.
func (r *keyring) lookup(key gossh.PublicKey) (authorizedKey, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refresh()
	want := key.Marshal()
	for _, k := range r.keys {
		if bytes.Equal(k.key.Marshal(), want) {
			return k, true
		}
	}
	return authorizedKey{}, false
}

// refresh reads the file again if it changed; r.mu must be held.
func (r *keyring) refresh() {
	fi, err := os.Stat(r.path)
	if err == nil && fi.ModTime().Equal(r.mod) && fi.Size() == r.size {
		return
	}
	fi, keys, err := r.read()
	if err != nil {
		if msg := err.Error(); msg != r.lastErr {
			r.lastErr = msg
			r.log.Warn("ssh authorized keys unreadable: keeping the keys read before until the file is fixed", "file", r.path, "err", err, "kept", len(r.keys))
		}
		return
	}
	r.keys, r.mod, r.size, r.lastErr = keys, fi.ModTime(), fi.Size(), ""
	r.log.Info("ssh authorized keys read again", "file", r.path, "keys", describeKeys(keys))
}

// describeKeys counts keys for the log: how many, how many read-only.
func describeKeys(keys []authorizedKey) string {
	ro := 0
	for _, k := range keys {
		if k.readOnly {
			ro++
		}
	}
	return fmt.Sprintf("%d keys, %d of them read-only", len(keys), ro)
}
