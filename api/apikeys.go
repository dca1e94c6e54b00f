package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"time"

	"github.com/waconsole/waconsole/session"
)

// Roles of API keys; each may do what the one before it may.
const (
	RoleRead    = "read"
	RoleOperate = "operate"
	RoleAdmin   = "admin"
)

// Roles lists the roles from least to most.
var Roles = []string{RoleRead, RoleOperate, RoleAdmin}

// KeyPrefix starts every API key, so a leaked one is easy to search for.
const KeyPrefix = "wac_"

// keyChars is base62; keyLen of them carry about 190 bits.
const (
	keyChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	keyLen   = 32
)

// Keys keeps the API keys (the store, wired by cli). Errors are classified
// as the runtime's are.
type Keys interface {
	AddKey(k StoredKey) error
	Keys() ([]StoredKey, error)
	RevokeKey(name string) error
	// TouchKey records when a key was last used.
	TouchKey(name string, at time.Time) error
}

// StoredKey is a key as kept: its SHA-256, never the key.
type StoredKey struct {
	APIKey
	Hash []byte
}

// APIKeyRequest makes a key; no sessions means every session.
type APIKeyRequest struct {
	Name     string   `json:"name"`
	Role     string   `json:"role"`
	Sessions []string `json:"sessions,omitempty"`
}

// APIKey describes a key, never the key itself.
type APIKey struct {
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Sessions []string  `json:"sessions"` // empty: every session
	Created  time.Time `json:"created"`
	LastUsed time.Time `json:"lastUsed,omitzero"`
}

// NewAPIKey is a key just made: the only time the key is shown.
type NewAPIKey struct {
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Sessions []string  `json:"sessions"`
	Created  time.Time `json:"created"`
	Key      string    `json:"key"`
}

// The list and confirmation of the key routes.
type (
	APIKeyList struct {
		Keys []APIKey `json:"keys"`
	}
	Revoked struct {
		Revoked string `json:"revoked"`
	}
)

var keyName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,31}$`)

// Validate says what is wrong with req, as CreateKey would.
func (req APIKeyRequest) Validate() error {
	if !keyName.MatchString(req.Name) {
		return invalid(fmt.Sprintf("key name %q is not valid: use 1-32 lower-case letters, digits, '-' or '_', starting with a letter or digit", req.Name))
	}
	if !slices.Contains(Roles, req.Role) {
		return invalid(fmt.Sprintf("role %q is not known: use read, operate or admin", req.Role))
	}
	for _, id := range req.Sessions {
		if err := session.ValidateID(id); err != nil {
			return err
		}
	}
	return nil
}

// invalid is an error of kind session.ErrInvalid whose message stands alone.
type invalid string

func (e invalid) Error() string        { return string(e) }
func (e invalid) Is(target error) bool { return target == session.ErrInvalid }

// CreateKey makes a key as req asks and stores its hash.
func CreateKey(keys Keys, req APIKeyRequest) (NewAPIKey, error) {
	if err := req.Validate(); err != nil {
		return NewAPIKey{}, err
	}
	sessions := []string{}
	for _, id := range req.Sessions {
		if !slices.Contains(sessions, id) {
			sessions = append(sessions, id)
		}
	}
	key, err := newKey()
	if err != nil {
		return NewAPIKey{}, err
	}
	k := StoredKey{APIKey: APIKey{Name: req.Name, Role: req.Role, Sessions: sessions, Created: time.Now().UTC()}, Hash: hashKey(key)}
	if err := keys.AddKey(k); err != nil {
		return NewAPIKey{}, err
	}
	return NewAPIKey{Name: k.Name, Role: k.Role, Sessions: sessions, Created: k.Created, Key: key}, nil
}

func newKey() (string, error) {
	b := []byte(KeyPrefix)
	max := big.NewInt(int64(len(keyChars)))
	for range keyLen {
		n, err := rand.Int(rand.Reader, max)
		if err != nil {
			return "", err
		}
		b = append(b, keyChars[n.Int64()])
	}
	return string(b), nil
}

// hashKey is SHA-256: keys are random with high entropy, so a slow
// password hash would only cost every request time.
func hashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// keysService answers unavailable when this process keeps no keys.
func (s *server) keysService(w http.ResponseWriter) Keys {
	if s.keys == nil {
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "this process keeps no API keys")
	}
	return s.keys
}

func (s *server) listKeys(w http.ResponseWriter, r *http.Request) {
	keys := s.keysService(w)
	if keys == nil {
		return
	}
	list, err := ListKeys(keys)
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, APIKeyList{Keys: list})
}

// ListKeys returns every key by name, without hashes.
func ListKeys(keys Keys) ([]APIKey, error) {
	stored, err := keys.Keys()
	out := make([]APIKey, len(stored))
	for i, k := range stored {
		out[i] = k.APIKey
		if out[i].Sessions == nil {
			out[i].Sessions = []string{}
		}
	}
	return out, err
}

func (s *server) createKey(w http.ResponseWriter, r *http.Request) {
	keys := s.keysService(w)
	if keys == nil {
		return
	}
	var req APIKeyRequest
	if !decode(w, r, &req) {
		return
	}
	k, err := CreateKey(keys, req)
	if err != nil {
		fail(w, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, k)
}

func (s *server) revokeKey(w http.ResponseWriter, r *http.Request) {
	keys := s.keysService(w)
	if keys == nil {
		return
	}
	if err := keys.RevokeKey(r.PathValue("name")); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, Revoked{Revoked: r.PathValue("name")})
}

// CreateKey makes a key on the server; the answer holds the key, once.
func (c *Client) CreateKey(ctx context.Context, req APIKeyRequest) (NewAPIKey, error) {
	var k NewAPIKey
	return k, c.do(ctx, "POST", "/v1/apikeys", req, &k)
}

// Keys lists the server's keys, without the keys themselves.
func (c *Client) Keys(ctx context.Context) ([]APIKey, error) {
	var out APIKeyList
	return out.Keys, c.do(ctx, "GET", "/v1/apikeys", nil, &out)
}

// RevokeKey removes a key: requests with it fail from now on.
func (c *Client) RevokeKey(ctx context.Context, name string) error {
	return c.do(ctx, "DELETE", "/v1/apikeys/"+url.PathEscape(name), nil, nil)
}
