package session

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// answerProxyAuth gives the proxy its user and password. Chromium ignores
// credentials in --proxy-server, so the driver answers the proxy's
// challenges through CDP: Fetch pauses every request of the page (the auth
// challenges come only with it), each is let through unchanged, and a
// challenge from the proxy gets the credentials. A second challenge for one
// request means the proxy refused them: the page ends with ErrProxyRefused,
// as no restart can fix a wrong password. Challenges from web servers are
// left to Chromium: the proxy's password is for the proxy alone.
func (p *chromePage) answerProxyAuth(ctx context.Context, session, rawProxy string, proxy proxyConfig) error {
	paused := chromedp.Events(p.ctx, fetch.RequestPaused)
	challenges := chromedp.Events(p.ctx, fetch.AuthRequired)
	p.run(func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			_, _ = chromedp.Call(p.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
		}
	})
	refused := fmt.Errorf("%w: proxy %s answered 407 Proxy Authentication Required to them; give the right ones with `waconsole session set %s --proxy URL`",
		ErrProxyRefused, MaskProxy(rawProxy), session)
	if proxy.password == "" {
		// A restored backup leaves this, but so does a proxy whose user
		// alone is the credential (a token): the message names both.
		scheme, host, _ := strings.Cut(proxy.server, "://")
		set := url.URL{Scheme: scheme, User: url.UserPassword(proxy.user, "PASSWORD"), Host: host}
		refused = fmt.Errorf("%w: proxy %s answered 407 Proxy Authentication Required and the session has no password for it (a restored backup keeps none): if the proxy needs one, set it with `waconsole session set %s --proxy %s`; if the user alone is its credential, the proxy refused it: give the right one with `waconsole session set %s --proxy URL`; then restart the session",
			ErrProxyRefused, MaskProxy(rawProxy), session, set.String(), session)
	}
	p.run(func() {
		answered := map[fetch.RequestID]bool{}
		for ev, err := range challenges {
			if err != nil {
				return
			}
			answer := &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseDefault}
			switch {
			case ev.AuthChallenge == nil || ev.AuthChallenge.Source != fetch.AuthChallengeSourceProxy:
			case answered[ev.RequestID]:
				answer.Response = fetch.AuthChallengeResponseResponseCancelAuth
				p.mu.Lock()
				p.refused = refused
				p.mu.Unlock()
				go p.end(refused) // end waits for this goroutine
			default:
				answered[ev.RequestID] = true
				answer = &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseProvideCredentials,
					Username: proxy.user, Password: proxy.password}
			}
			_, _ = chromedp.Call(p.ctx, fetch.ContinueWithAuth, fetch.ContinueWithAuthParams{RequestID: ev.RequestID, AuthChallengeResponse: answer})
		}
	})
	cctx, cancel := context.WithTimeout(p.ctx, callTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	if _, err := chromedp.Call(cctx, fetch.Enable, fetch.EnableParams{HandleAuthRequests: new(true)}); err != nil {
		return fmt.Errorf("preparing the login to proxy %s: %w", MaskProxy(rawProxy), err)
	}
	return nil
}

// proxyRefused is the error of a proxy that refused the credentials, or nil.
func (p *chromePage) proxyRefused() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refused
}
