// Package authproxy is a small HTTP proxy that demands a user and password,
// for tests: it forwards plain requests and CONNECT tunnels, answers 407 to
// anything without the right Proxy-Authorization, and records what it saw.
package authproxy

import (
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"sync"
)

// Request is one request the proxy let through.
type Request struct {
	Method    string
	URL       string // the absolute URL, or host:port for CONNECT
	UserAgent string
}

// Proxy is a running proxy on 127.0.0.1.
type Proxy struct {
	user, password string
	srv            *http.Server
	ln             net.Listener
	forward        *httputil.ReverseProxy

	mu      sync.Mutex
	seen    []Request
	refused int
}

// Start runs a proxy that lets through requests with exactly this user and
// password.
func Start(user, password string) (*Proxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &Proxy{user: user, password: password, ln: ln}
	// Streams (the stand-in's event stream) must pass at once.
	p.forward = &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) { r.Out.URL = r.In.URL }, FlushInterval: -1}
	p.srv = &http.Server{Handler: p}
	go p.srv.Serve(ln)
	return p, nil
}

// URL is the proxy's URL with the given credentials in it.
func (p *Proxy) URL(user, password string) string {
	return (&url.URL{Scheme: "http", User: url.UserPassword(user, password), Host: p.ln.Addr().String()}).String()
}

// Addr is the proxy's host:port.
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// Seen returns the requests let through so far.
func (p *Proxy) Seen() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.seen...)
}

// Refused counts the requests answered 407: without credentials (as every
// browser first asks) or with wrong ones.
func (p *Proxy) Refused() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}

// Close stops the proxy and its open connections.
func (p *Proxy) Close() { p.srv.Close() }

func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(p.user+":"+p.password))
	p.mu.Lock()
	ok := r.Header.Get("Proxy-Authorization") == want
	if ok {
		target := r.URL.String()
		if r.Method == http.MethodConnect {
			target = r.Host
		}
		p.seen = append(p.seen, Request{Method: r.Method, URL: target, UserAgent: r.UserAgent()})
	} else {
		p.refused++
	}
	p.mu.Unlock()
	switch {
	case !ok:
		w.Header().Set("Proxy-Authenticate", `Basic realm="authproxy"`)
		http.Error(w, "proxy credentials required", http.StatusProxyAuthRequired)
	case r.Method == http.MethodConnect:
		p.tunnel(w, r)
	case !r.URL.IsAbs():
		http.Error(w, "a proxy request names an absolute URL", http.StatusBadRequest)
	default:
		p.forward.ServeHTTP(w, r)
	}
}

// tunnel joins the client to the host it CONNECTs to.
func (p *Proxy) tunnel(w http.ResponseWriter, r *http.Request) {
	upstream, err := net.Dial("tcp", r.Host)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	client, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		upstream.Close()
		return
	}
	_, _ = io.WriteString(client, "HTTP/1.1 200 Connection established\r\n\r\n")
	go func() {
		_, _ = io.Copy(upstream, client)
		upstream.Close()
	}()
	_, _ = io.Copy(client, upstream)
	client.Close()
}
