package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/store"
)

// certPoll is how often the TLS files are looked at for a rotation; a
// test of SIGHUP sets it beyond its own length.
var certPoll = 5 * time.Second

// tcpOptions are serve's flags of the API over TCP; listen "" serves none.
type tcpOptions struct {
	listen, certFile, keyFile string
	insecure                  bool
}

func (o *tcpOptions) register(fs *flag.FlagSet) {
	fs.StringVar(&o.listen, "listen", "", "also serve the API over TCP on this address, every request with an API key (waconsole apikey create); "+
		"a bare port such as 8443 or :8443 is 127.0.0.1 only (default: off)")
	fs.StringVar(&o.certFile, "tls-cert", "", "serve --listen over HTTPS with this PEM certificate (chain); reloaded on SIGHUP and when the file changes")
	fs.StringVar(&o.keyFile, "tls-key", "", "the PEM private key of --tls-cert")
	fs.BoolVar(&o.insecure, "insecure-listen", false, "allow --listen on an address other than loopback without TLS (behind a TLS proxy); warned at every start")
}

// tls reports whether the API over TCP is served over HTTPS.
func (o tcpOptions) tls() bool { return o.certFile != "" }

// check applies the listen rule and returns the address to listen on: a
// bare port is loopback only, and an address others can reach needs TLS
// unless --insecure-listen says a proxy in front does it.
func (o tcpOptions) check() (string, error) {
	if (o.certFile == "") != (o.keyFile == "") {
		return "", errors.New("--tls-cert and --tls-key go together: give both, or neither")
	}
	if o.listen == "" {
		if o.certFile != "" || o.insecure {
			return "", errors.New("--tls-cert, --tls-key and --insecure-listen are for the API over TCP: give --listen ADDR too")
		}
		return "", nil
	}
	addr, loopback, err := listenAddr(o.listen)
	if err != nil {
		return "", err
	}
	if !loopback && !o.tls() && !o.insecure {
		return "", fmt.Errorf("--listen %s can be reached from other hosts, and without TLS the API keys and messages would cross the network in clear text: "+
			"give --tls-cert and --tls-key, or --insecure-listen if a TLS proxy in front of it does that", o.listen)
	}
	return addr, nil
}

// listenAddr reads --listen: host:port, or a bare port (8443, :8443) that
// means 127.0.0.1. Only an IP loopback address or localhost is loopback.
func listenAddr(listen string) (string, bool, error) {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		host, port, err = "", listen, nil
	}
	if _, perr := strconv.ParseUint(port, 10, 16); perr != nil || strings.ContainsAny(host, " /") {
		return "", false, fmt.Errorf("--listen %q is not a port or host:port address; give one such as 8443 (this machine only) or 0.0.0.0:8443 (every interface, with TLS)", listen)
	}
	if host == "" {
		host = "127.0.0.1"
	}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || ip != nil && ip.IsLoopback()
	return net.JoinHostPort(host, port), loopback, nil
}

// tcpAPI is the API over TCP of a runtime.
type tcpAPI struct {
	ln     net.Listener
	certs  *api.Certs // nil without TLS
	server *http.Server
	guard  *api.KeyGuard
	stop   context.CancelFunc
}

// listenTCP listens as o asks and loads the certificate, before anything
// else is opened: a busy port or a bad certificate backs out of nothing.
func listenTCP(o tcpOptions, addr string, log *slog.Logger) (*tcpAPI, error) {
	t := &tcpAPI{}
	if o.tls() {
		var err error
		if t.certs, err = api.LoadCerts(o.certFile, o.keyFile, log); err != nil {
			return nil, fmt.Errorf("--tls-cert: %w; give a PEM certificate and its key", err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %w; pick a free address or stop what holds it", o.listen, err)
	}
	t.ln = ln
	return t, nil
}

// serve answers the API over TCP with h behind the key check, and follows
// the certificate files until close.
func (t *tcpAPI) serve(o tcpOptions, h http.Handler, keys api.Keys, log *slog.Logger) {
	t.guard = api.RequireKey(h, keys, log)
	// The server's own errors (a client's failed TLS handshake) go to the log too.
	t.server = &http.Server{Handler: t.guard, ReadHeaderTimeout: 10 * time.Second, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	ctx, stop := context.WithCancel(context.Background())
	t.stop = stop
	ln, scheme := t.ln, "http"
	if t.certs != nil {
		scheme = "https"
		ln = tls.NewListener(ln, &tls.Config{GetCertificate: t.certs.GetCertificate, MinVersion: tls.VersionTLS12})
		go t.certs.Watch(ctx, certPoll)
		hup := make(chan os.Signal, 1)
		signal.Notify(hup, syscall.SIGHUP)
		go func() {
			defer signal.Stop(hup)
			for {
				select {
				case <-ctx.Done():
					return
				case <-hup:
					t.certs.Reload()
				}
			}
		}()
	}
	go t.server.Serve(ln)
	log.Info("API over TCP: every request needs an API key", "url", scheme+"://"+t.ln.Addr().String())
	if _, loopback, _ := listenAddr(o.listen); !loopback && t.certs == nil {
		log.Warn("the API over TCP is served without TLS (--insecure-listen): API keys and messages cross the network in clear text unless a TLS proxy in front of it encrypts them", "addr", t.ln.Addr().String())
	}
}

// shutdown stops taking requests and waits, within ctx, for those in flight.
func (t *tcpAPI) shutdown(ctx context.Context) {
	if t.server != nil {
		_ = t.server.Shutdown(ctx)
	}
}

func (t *tcpAPI) close() {
	if t.stop != nil {
		t.stop()
	}
	if t.server != nil {
		_ = t.server.Close()
	} else {
		_ = t.ln.Close()
	}
}

// storeKeys keeps the API keys in the store.
type storeKeys struct{ db *store.DB }

func (k storeKeys) AddKey(key api.StoredKey) error {
	err := k.db.AddAPIKey(store.APIKey{Name: key.Name, Role: key.Role, Sessions: key.Sessions, Created: key.Created, Hash: key.Hash})
	if errors.Is(err, store.ErrExists) {
		return kindError{fmt.Errorf("an API key named %q exists: pick another name, or revoke the old one first", key.Name), session.ErrExists}
	}
	return err
}

func (k storeKeys) Keys() ([]api.StoredKey, error) {
	list, err := k.db.APIKeys()
	out := make([]api.StoredKey, len(list))
	for i, s := range list {
		out[i] = api.StoredKey{APIKey: api.APIKey{Name: s.Name, Role: s.Role, Sessions: s.Sessions, Created: s.Created, LastUsed: s.LastUsed}, Hash: s.Hash}
	}
	return out, err
}

func (k storeKeys) RevokeKey(name string) error {
	err := k.db.RevokeAPIKey(name)
	if errors.Is(err, store.ErrNotFound) {
		return kindError{fmt.Errorf("no API key named %q: see waconsole apikey list", name), session.ErrNotFound}
	}
	return err
}

func (k storeKeys) TouchKey(name string, at time.Time) error { return k.db.TouchAPIKey(name, at) }
