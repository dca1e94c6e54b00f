package webhook

import (
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/waconsole/waconsole/store"
)

// The example of the Standard Webhooks specification, signed with the
// secret read the way deliveries read it.
func TestSignatureKnownAnswer(t *testing.T) {
	t.Setenv("WACONSOLE_TEST_SECRET", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
	wh, err := signer(store.Webhook{SecretEnv: "WACONSOLE_TEST_SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := wh.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
}

func TestNewSecret(t *testing.T) {
	a, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewSecret()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a, "whsec_"))
	if !strings.HasPrefix(a, "whsec_") || err != nil || len(raw) < 24 || len(raw) > 64 {
		t.Errorf("secret %q: want whsec_ and base64 of 24 to 64 bytes (%v)", a, err)
	}
	if a == b {
		t.Error("two secrets are the same")
	}
}

func TestSignerSaysWhatIsWrongWithTheSecret(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("WACONSOLE_EMPTY", "")
	t.Setenv("WACONSOLE_GARBLED", "whsec_***")
	for _, tc := range []struct {
		w    store.Webhook
		want string
	}{
		{store.Webhook{SecretFile: dir + "/missing"}, "secret file " + dir + "/missing: no such file"},
		{store.Webhook{SecretEnv: "WACONSOLE_EMPTY"}, "environment variable WACONSOLE_EMPTY is empty or missing"},
		{store.Webhook{SecretEnv: "WACONSOLE_GARBLED"}, "does not hold a whsec_ secret"},
	} {
		if _, err := signer(tc.w); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("signer(%+v) = %v, want an error saying %q", tc.w, err, tc.want)
		}
	}
}
