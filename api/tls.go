package api

import (
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Certs serves the TLS certificate of the TCP API from a pair of PEM
// files, reloaded when they change or on Reload, so a certificate rotates
// without a restart. A new pair that does not load keeps the old one.
type Certs struct {
	certFile, keyFile string
	log               *slog.Logger

	mu    sync.Mutex
	cert  *tls.Certificate
	stamp string // the files' sizes and mtimes when cert was loaded
}

// LoadCerts loads the pair; an error says which file and why.
func LoadCerts(certFile, keyFile string, log *slog.Logger) (*Certs, error) {
	c := &Certs{certFile: certFile, keyFile: keyFile, log: log}
	if err := c.load(); err != nil {
		return nil, err
	}
	return c, nil
}

// GetCertificate is tls.Config.GetCertificate.
func (c *Certs) GetCertificate(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cert, nil
}

// Reload loads the pair again; on failure the old certificate stays and
// the reason is logged.
func (c *Certs) Reload() {
	if err := c.load(); err != nil {
		c.log.Error("TLS certificate not reloaded: still serving the previous one", "cert_file", c.certFile, "err", err)
		return
	}
	c.log.Info("TLS certificate reloaded", "cert_file", c.certFile)
}

// Watch reloads the pair whenever its files' sizes or mtimes change,
// looking every interval until ctx ends.
func (c *Certs) Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c.mu.Lock()
		changed := c.stamp != stamp(c.certFile, c.keyFile)
		c.mu.Unlock()
		if changed {
			c.Reload()
		}
	}
}

func (c *Certs) load() error {
	st := stamp(c.certFile, c.keyFile)
	cert, err := tls.LoadX509KeyPair(c.certFile, c.keyFile)
	c.mu.Lock()
	defer c.mu.Unlock()
	// A bad pair is not retried until its files change again.
	c.stamp = st
	if err != nil {
		return fmt.Errorf("loading the certificate %s and key %s: %w", c.certFile, c.keyFile, err)
	}
	c.cert = &cert
	return nil
}

// stamp identifies the files' current contents well enough to notice a
// rotation: size and modification time of each.
func stamp(files ...string) string {
	s := ""
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			s += fmt.Sprintf("%d@%d;", fi.Size(), fi.ModTime().UnixNano())
		} else {
			s += "missing;"
		}
	}
	return s
}
