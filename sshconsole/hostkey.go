package sshconsole

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	gossh "golang.org/x/crypto/ssh"
)

// HostKeyFile is the server's host key in the data dir: generated at the
// first start and reused, so clients recognise the server.
const HostKeyFile = "ssh_host_ed25519_key"

// loadHostKey reads the host key in dataDir, generating it first when
// there is none. It runs before wish reads the key so that the key's mode
// and contents are checked with errors that say what to do; wish's own
// generation would also write a .pub file and chmod the data dir to 0700.
func loadHostKey(dataDir string) (gossh.Signer, error) {
	path := filepath.Join(dataDir, HostKeyFile)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := writeHostKey(path); err != nil {
			return nil, fmt.Errorf("creating the SSH host key %s: %w", path, err)
		}
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("the SSH host key %s can be read by others than its owner: chmod 600 %s", path, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	signer, err := gossh.ParsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("the SSH host key %s is not a private key (%v): move it away and a new one is generated, which clients will see as a changed host key", path, err)
	}
	return signer, nil
}

// writeHostKey writes a new ed25519 key, never over an existing file.
func writeHostKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "waconsole host key")
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(pem.EncodeToMemory(block)); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}
