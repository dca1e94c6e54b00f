package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/store"
)

const apikeyUse = `usage:
  waconsole apikey create NAME --role read|operate|admin [--sessions S,...] [--json]
  waconsole apikey list [--json]
  waconsole apikey revoke NAME [--yes]

Keys of the API over TCP (serve --listen). read may look, operate may also
start, stop, pair, send and drain, admin may do everything. --sessions limits
a key to those sessions. The key is printed once, by create; the store keeps
its hash. Rotate by creating a new key, moving the workers to it, then
revoking the old one. When a console or serve runs on the data dir it does
the work; otherwise the store is changed directly.`

func cmdAPIKey(args []string, stdout io.Writer) error {
	fs := newFlagSet("apikey", apikeyUse)
	var f flags
	f.client(fs)
	f.json(fs)
	f.confirm(fs)
	role := fs.String("role", "", "what the key may do: read, operate or admin")
	sessions := fs.String("sessions", "", "comma-separated sessions the key is limited to (default every session)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return errors.New(apikeyUse)
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	c := f.api()
	switch verb, rest := pos[0], pos[1:]; {
	case verb == "create" && len(rest) == 1:
		req := api.APIKeyRequest{Name: rest[0], Role: *role}
		if *sessions != "" {
			req.Sessions = strings.Split(*sessions, ",")
		}
		if err := req.Validate(); err != nil {
			return err
		}
		k, err := c.CreateKey(ctx, req)
		if errors.Is(err, api.ErrNoServer) {
			err = onStore(f.dir(), true, func(keys storeKeys) (err error) {
				k, err = api.CreateKey(keys, req)
				return err
			})
		}
		if err != nil || f.asJSON {
			return jsonOr(stdout, f.asJSON, k, err)
		}
		fmt.Fprintf(stdout, "API key %s (%s, %s) created. It is shown this once: keep it in a secret store.\n%s\n", k.Name, k.Role, sessionsText(k.Sessions), k.Key)
		return nil
	case verb == "list" && len(rest) == 0:
		list, err := c.Keys(ctx)
		if errors.Is(err, api.ErrNoServer) {
			list = []api.APIKey{} // stays empty without a store
			err = onStore(f.dir(), false, func(keys storeKeys) (err error) {
				list, err = api.ListKeys(keys)
				return err
			})
			if errors.Is(err, errNoStore) {
				err = nil
			}
		}
		if err != nil || f.asJSON {
			return jsonOr(stdout, f.asJSON, api.APIKeyList{Keys: list}, err)
		}
		for _, k := range list {
			used := "never used"
			if !k.LastUsed.IsZero() {
				used = "last used " + k.LastUsed.Local().Format(time.DateTime)
			}
			fmt.Fprintf(stdout, "%-16s  %-7s  %-24s  created %s  %s\n", k.Name, k.Role, sessionsText(k.Sessions), k.Created.Local().Format(time.DateTime), used)
		}
		return nil
	case verb == "revoke" && len(rest) == 1:
		if !f.yes {
			if err := confirm(fmt.Sprintf("revoke API key %s? requests with it fail from now on", rest[0])); err != nil {
				return err
			}
		}
		err := c.RevokeKey(ctx, rest[0])
		if errors.Is(err, api.ErrNoServer) {
			err = onStore(f.dir(), false, func(keys storeKeys) error { return keys.RevokeKey(rest[0]) })
			if errors.Is(err, errNoStore) {
				err = fmt.Errorf("no API key named %q: data dir %s has no store yet", rest[0], f.dir())
			}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %s revoked\n", rest[0])
		return nil
	}
	return errors.New(apikeyUse)
}

func sessionsText(ids []string) string {
	if len(ids) == 0 {
		return "every session"
	}
	return "sessions " + strings.Join(ids, ",")
}

// errNoStore means the data dir has no store, and none was to be made.
var errNoStore = errors.New("no store")

// onStore runs fn on the keys of a data dir no process holds. create makes
// the store if there is none yet, so keys can be made before the first
// start; otherwise a missing store is errNoStore and fn is not run.
func onStore(dir string, create bool, fn func(storeKeys) error) error {
	path := storePath(dir)
	if _, err := os.Stat(path); !create && errors.Is(err, fs.ErrNotExist) {
		return errNoStore
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the data dir: %w", err)
	}
	db, err := store.Open(path, store.Options{Timeout: time.Second})
	if errors.Is(err, store.ErrLocked) {
		return fmt.Errorf("%w\na process holds data dir %s without answering on its socket; find it with: fuser -v %s", err, dir, path)
	}
	if err != nil {
		return err
	}
	err = fn(storeKeys{db})
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}
