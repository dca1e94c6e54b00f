package webhook

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strings"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/waconsole/waconsole/store"
)

// secretBytes is within the 24 to 64 random bytes Standard Webhooks asks for.
const secretBytes = 32

// NewSecret returns a fresh secret in the whsec_ form receivers' libraries read.
func NewSecret() (string, error) {
	b := make([]byte, secretBytes)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("no random bytes for a secret: %w", err)
	}
	return "whsec_" + base64.StdEncoding.EncodeToString(b), nil
}

// signer reads the endpoint's secret now, so a rotated file or variable
// takes effect at the next attempt.
func signer(w store.Webhook) (*standardwebhooks.Webhook, error) {
	var secret, from string
	if w.SecretFile != "" {
		from = "secret file " + w.SecretFile
		raw, err := os.ReadFile(w.SecretFile)
		if err != nil {
			return nil, fmt.Errorf("%s: %w; restore it or change the endpoint", from, errors.Unwrap(err))
		}
		secret = strings.TrimSpace(string(raw))
	} else {
		from = "environment variable " + w.SecretEnv
		secret = strings.TrimSpace(os.Getenv(w.SecretEnv))
	}
	if secret == "" {
		return nil, fmt.Errorf("%s is empty or missing: put a secret from `waconsole webhook secret` there", from)
	}
	wh, err := standardwebhooks.NewWebhook(secret)
	if err != nil {
		return nil, fmt.Errorf("%s does not hold a whsec_ secret (base64 after the prefix): make one with `waconsole webhook secret`", from)
	}
	return wh, nil
}
