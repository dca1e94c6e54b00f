package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// BenchmarkTransports times one small read, GET /v1/sessions/shop, over the
// unix socket, over TCP with a key and over TLS with a key, each against its
// raw limit measured in the same run: a handler that writes the same bytes
// at once on the same transport, so the ratio is what the API and the key
// check cost.
//
//	go test ./api -run '^$' -bench=Transports -benchtime=3000x
func BenchmarkTransports(b *testing.B) {
	f := newFake("shop")
	keys := &memKeys{}
	key := keys.addKey(b, tcpAdmin, "bench", RoleRead)
	keys.touches = 0
	api := Handler(f, testInfo, Options{Keys: keys})
	guarded := RequireKey(api, keys, testLogger(b))
	rec := httptest.NewRecorder()
	api.ServeHTTP(rec, httptest.NewRequest("GET", "/v1/sessions/shop", nil))
	answer := rec.Body.Bytes()
	raw := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(answer)
	})
	run := func(b *testing.B, hc *http.Client, url, key string) time.Duration {
		for range b.N {
			req, _ := http.NewRequest("GET", url+"/v1/sessions/shop", nil)
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("status %d", resp.StatusCode)
			}
		}
		per := b.Elapsed() / time.Duration(b.N)
		b.ReportMetric(float64(per.Microseconds()), "µs/req")
		return per
	}
	socket := func(h http.Handler) (*http.Client, string) {
		c, _ := startServer(b, h)
		return c.hc, c.base
	}
	tcp := func(h http.Handler, tls bool) (*http.Client, string) {
		srv := httptest.NewUnstartedServer(h)
		if tls {
			srv.StartTLS()
		} else {
			srv.Start()
		}
		b.Cleanup(srv.Close)
		return srv.Client(), srv.URL
	}
	for _, tr := range []struct {
		name     string
		raw, api func() (*http.Client, string)
		key      string
	}{
		{"socket", func() (*http.Client, string) { return socket(raw) }, func() (*http.Client, string) { return socket(api) }, ""},
		{"tcp+key", func() (*http.Client, string) { return tcp(raw, false) }, func() (*http.Client, string) { return tcp(guarded, false) }, key},
		{"tls+key", func() (*http.Client, string) { return tcp(raw, true) }, func() (*http.Client, string) { return tcp(guarded, true) }, key},
	} {
		var limit time.Duration
		b.Run(tr.name+"/raw", func(b *testing.B) {
			hc, url := tr.raw()
			limit = run(b, hc, url, "")
		})
		b.Run(tr.name+"/api", func(b *testing.B) {
			hc, url := tr.api()
			per := run(b, hc, url, tr.key)
			if limit > 0 {
				b.ReportMetric(float64(per)/float64(limit), "x-vs-raw")
			}
		})
	}
	if keys.touches > 1 {
		b.Errorf("the key's last use was written %d times; at most once a minute", keys.touches)
	}
}
