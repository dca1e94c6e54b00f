package metrics

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/waconsole/waconsole/session/sessiontest"
	"github.com/waconsole/waconsole/store"
)

func TestAuthFailuresByReason(t *testing.T) {
	db, err := store.Open(filepath.Join(t.TempDir(), "waconsole.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	failures := map[string]uint64{"invalid": 3, "rate_limited": 1}
	m := New(Options{Runtime: sessiontest.New(), Store: db, Dropped: func() uint64 { return 0 },
		AuthFailures: func() map[string]uint64 { return failures }})
	t.Cleanup(m.Close)
	want := `# HELP waconsole_api_auth_failures_total Requests to the API over TCP refused by the key check, by reason: missing, invalid (wrong or revoked), forbidden, rate_limited.
# TYPE waconsole_api_auth_failures_total counter
waconsole_api_auth_failures_total{reason="forbidden"} 0
waconsole_api_auth_failures_total{reason="invalid"} 3
waconsole_api_auth_failures_total{reason="missing"} 0
waconsole_api_auth_failures_total{reason="rate_limited"} 1
`
	if err := testutil.GatherAndCompare(m.Gatherer(), strings.NewReader(want), "waconsole_api_auth_failures_total"); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.GatherAndLint(m.Gatherer(), "waconsole_api_auth_failures_total"); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

// Without the API over TCP there is no such metric.
func TestNoAuthFailuresWithoutTCP(t *testing.T) {
	m, _, _ := newTest(t)
	if n, err := testutil.GatherAndCount(m.Gatherer(), "waconsole_api_auth_failures_total"); err != nil || n != 0 {
		t.Errorf("%d auth failure series without TCP (%v), want none", n, err)
	}
}
