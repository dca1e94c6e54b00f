package session

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/waconsole/waconsole/store"
)

// onEvent handles one report of the page.
func (a *actor) onEvent(ev PageEvent) {
	switch ev.Kind {
	case EvBoot:
		a.booted = true
		a.due.load = time.Time{}
		a.event("page-loaded", "WhatsApp Web "+ev.Version)
	case EvState:
		a.ps = pageState{state: ev.State, stream: ev.Stream, synced: ev.Synced}
		if ev.Me != "" {
			a.me = ev.Me
		}
		a.applyPageState()
	case EvQR:
		a.onQR(ev.QR)
	case EvCode:
		a.onCode(ev.Code)
	case EvLogout:
		a.onLoggedOut("the phone unlinked this browser (" + ev.Reason + ")")
	case EvNavigated:
		if strings.Contains(ev.URL, "post_logout=1") {
			a.onLoggedOut("WhatsApp Web logged this browser out")
		}
	case EvAck:
		a.out.onMessage(*ev.Message)
		a.m.broker.publish(Update{Session: a.id, Message: ev.Message})
	case EvChange:
		// A change of a message already shown, never a new one: the feed
		// replaces its line; the inbox keeps what arrived, but for an edit's
		// text, so that search finds what the message says now.
		if m := ev.Message; !m.Edited.IsZero() && !m.Revoked {
			if _, err := a.m.cfg.Store.EditInbound(a.id, m.ID, m.Body); err != nil {
				a.log.Error("storing an edit failed", "msg_id", m.ID, "err", err, "err_type", errTypeStore)
			}
		}
		a.m.broker.publish(Update{Session: a.id, Message: ev.Message})
	case EvError:
		a.snap.LastError = ev.Reason
		a.event("page-error", ev.Reason)
		a.log.Warn("page error", "err", ev.Reason, "err_type", "page_error")
		a.publish()
	}
}

func (a *actor) applyPageState() {
	to, reason := mapState(a.snap.State, a.ps, a.snap.Account != "", a.snap.PairMethod)
	switch to {
	case LoggedOut:
		a.onLoggedOut(reason)
		return
	case Blocked:
		a.want = false
		a.closeBrowser()
		a.snap.LastError = reason
		a.transition(Blocked, reason)
		return
	case Ready:
		if a.snap.Account == "" {
			a.snap.Account = accountOf(a.me)
			a.event("paired", "+"+a.snap.Account)
			a.log.Info("paired", "account", "+"+a.snap.Account, "method", a.snap.PairMethod)
		}
	case QR, LinkCode:
		idle := a.ps.state == "UNPAIRED_IDLE"
		if idle && !a.snap.QR.Expired {
			a.snap.QR.Expired = true
			a.event("qr-expired", "every QR code of the batch expired unscanned")
		}
		if to == LinkCode && (a.snap.Code.Code == "" || idle) {
			a.requestCode()
		}
	}
	a.transition(to, reason)
}

func (a *actor) onQR(payload string) {
	if payload == "" || payload == a.snap.QR.Payload {
		return
	}
	if !a.qrReset && !a.snap.QR.Expired && qrRef(payload) == qrRef(a.snap.QR.Payload) {
		// The page made a new ADV secret under the same ref: the code on
		// screen is redrawn, not rotated, and the old one no longer pairs.
		a.snap.QR.Payload = payload
		a.event("qr-redrawn", "WhatsApp Web made a new pairing secret; scan the code shown now")
		a.publish()
		return
	}
	t := a.m.cfg.Timing
	idx, life := a.snap.QR.Index+1, t.QRNext
	if a.qrReset || a.snap.QR.Payload == "" || a.snap.QR.Expired {
		idx, life = 1, t.QRFirst
		a.qrReset = false
	}
	a.snap.QR = QRInfo{Payload: payload, Index: idx, Total: t.QRCount, Expires: time.Now().Add(life)}
	kind := "qr-rotated"
	if idx == 1 {
		kind = "qr-shown"
	}
	a.event(kind, fmt.Sprintf("code %d of %d", idx, t.QRCount))
	// Never the payload: whoever reads the log could pair with it.
	level := slog.LevelDebug
	if idx == 1 {
		level = slog.LevelInfo
	}
	a.log.Log(context.Background(), level, "QR code shown", "index", idx, "of", t.QRCount, "expires_in", life)
	a.publish()
}

// qrRef is the ref a QR payload starts with.
func qrRef(payload string) string {
	ref, _, _ := strings.Cut(payload, ",")
	return ref
}

func (a *actor) onCode(code string) {
	if code == "" {
		return
	}
	now := time.Now()
	a.snap.Code = CodeInfo{Code: FormatCode(code), Phone: a.snap.PairPhone, Expires: now.Add(a.m.cfg.Timing.LinkCodeTTL)}
	a.due.linkCode = now.Add(a.m.cfg.Timing.LinkCodeRefresh)
	a.event("code-issued", "link code for +"+a.snap.PairPhone)
	a.log.Info("link code issued", "phone", "+"+a.snap.PairPhone, "expires_in", a.m.cfg.Timing.LinkCodeTTL)
	a.publish()
}

// requestCode asks the page for a link code; the code itself arrives as an
// EvCode event. A failed request is retried a little later.
func (a *actor) requestCode() {
	if a.codeReq || a.page == nil || a.snap.PairMethod != PairLink {
		return
	}
	a.codeReq = true
	p, phone := a.page, a.snap.PairPhone
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		_, err := p.RequestLinkCode(ctx, phone)
		a.post(func() {
			a.codeReq = false
			if err != nil && a.page == p {
				a.snap.LastError = "requesting a link code: " + err.Error()
				a.event("code-failed", err.Error())
				a.log.Warn("link code request failed", "err", err, "err_type", ErrType(err))
				a.due.linkCode = time.Now().Add(10 * time.Second)
				a.publish()
			}
		})
	}()
}

// unpaired reports whether the page waits for a phone.
func (a *actor) unpaired() bool {
	return a.page != nil && strings.HasPrefix(a.ps.state, "UNPAIRED")
}

// pageCall runs a short page call off the loop and reports its failure.
func (a *actor) pageCall(what string, f func(context.Context, Page) error) {
	p := a.page
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
		defer cancel()
		if err := f(ctx, p); err != nil {
			a.post(func() {
				a.snap.LastError = what + ": " + err.Error()
				a.event("page-error", a.snap.LastError)
				a.log.Warn("page call failed", "call", what, "err", err, "err_type", ErrType(err))
				a.publish()
			})
		}
	}()
}

func (a *actor) refreshQR() error {
	return a.do(func() error {
		if !a.unpaired() {
			return errorf(ErrWrongState, "session %s shows no QR code (it is %s): start it, or restart it if it is stuck", a.id, a.snap.State)
		}
		a.qrReset = true
		a.snap.QR.Expired = false
		a.event("qr-refresh", "fresh QR codes requested")
		a.pageCall("refreshing the QR code", func(ctx context.Context, p Page) error { return p.RefreshQR(ctx) })
		a.publish()
		return nil
	})
}

func (a *actor) useLinkCode(phone string) error {
	return a.do(func() error {
		a.snap.PairMethod, a.snap.PairPhone = PairLink, phone
		a.snap.Code = CodeInfo{}
		a.persist()
		return a.applyMethod()
	})
}

func (a *actor) useQR() error {
	return a.do(func() error {
		a.snap.PairMethod = PairQR
		a.snap.Code = CodeInfo{}
		a.due.linkCode = time.Time{}
		a.persist()
		if a.unpaired() {
			// A code shown before the link code is stale: the page makes a
			// new one.
			a.qrReset, a.snap.QR = true, QRInfo{}
			a.pageCall("switching to QR pairing", func(ctx context.Context, p Page) error { return p.RefreshQR(ctx) })
		}
		return a.applyMethod()
	})
}

// applyMethod shows the chosen pairing method at once when the page waits
// for a phone, and starts a stopped, unpaired session.
func (a *actor) applyMethod() error {
	switch {
	case a.unpaired():
		a.applyPageState()
	case a.page == nil && a.cancelRun == nil && a.snap.Account == "":
		a.want, a.crashes = true, nil
		a.transition(Starting, "started to pair by "+a.snap.PairMethod)
		a.launch()
	default:
		a.publish()
	}
	return nil
}

// logout unlinks the browser from the phone. A running, paired page is
// logged out through WhatsApp Web; otherwise only the local profile goes.
func (a *actor) logout() error {
	return a.do(func() error {
		if a.page != nil && a.booted && a.snap.State != QR && a.snap.State != LinkCode {
			a.loggingOut = true
			p := a.page
			ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
			defer cancel()
			if err := p.Logout(ctx); err == nil {
				a.event("logout-requested", "by the operator")
				return nil
			}
		}
		a.onLoggedOut("logged out by the operator; if the phone still lists this browser, remove it under Linked devices")
		return nil
	})
}

// onLoggedOut ends a login: the browser closes and its profile, which held
// the login, is deleted, so the next start pairs afresh.
func (a *actor) onLoggedOut(reason string) {
	if a.snap.State == LoggedOut && a.page == nil {
		return
	}
	if a.loggingOut {
		reason = "logged out by the operator"
	}
	a.want = false
	a.closeBrowser()
	if err := os.RemoveAll(a.m.profileDir(a.id)); err != nil {
		a.snap.LastError = "deleting the browser profile: " + err.Error()
	}
	a.snap.Account = ""
	a.event("logged-out", reason)
	a.transition(LoggedOut, reason)
}

func (a *actor) set(s Settings) error {
	if s.PairMethod != nil {
		switch *s.PairMethod {
		case PairQR, PairLink:
		default:
			return errorf(ErrInvalid, "pairing method %q is not known: use %q or %q", *s.PairMethod, PairQR, PairLink)
		}
	}
	if s.PairPhone != nil && *s.PairPhone != "" {
		if err := ValidatePhone(*s.PairPhone); err != nil {
			return err
		}
	}
	if s.ReplyFirst != nil {
		if err := ValidateReplyFirst(*s.ReplyFirst); err != nil {
			return err
		}
	}
	return a.do(func() error {
		pacing, err := ChangePacing(a.out.stored, s.Pacing, s.PacingDefaults)
		if err != nil {
			return err
		}
		browser, err := ChangeBrowser(a.browser, s.Browser)
		if err != nil {
			return err
		}
		phone := a.snap.PairPhone
		if s.PairPhone != nil {
			phone = *s.PairPhone
		}
		if s.PairMethod != nil && *s.PairMethod == PairLink && phone == "" {
			return errorf(ErrInvalid, "pairing by link code needs a phone number: set the phone too")
		}
		inbox, err := ChangeInbox(a.inbox, s.Inbox)
		if err != nil {
			return err
		}
		alerting, err := ChangeAlerting(a.snap.AlertingSet, s.Alerting, s.AlertingDefaults)
		if err != nil {
			return err
		}
		if s.AutoStart != nil {
			a.snap.AutoStart = *s.AutoStart
		}
		a.snap.PairPhone = phone
		if s.ReplyFirst != nil {
			a.snap.ReplyFirst = *s.ReplyFirst
		}
		if s.PairMethod != nil {
			a.snap.PairMethod = *s.PairMethod
		}
		a.persist()
		if s.Browser != nil {
			if err := a.setBrowser(browser); err != nil {
				return err
			}
		}
		if s.Pacing != nil || s.PacingDefaults != (PacingDefaults{}) {
			if err := a.out.setPacing(pacing); err != nil {
				return err
			}
		}
		if s.Alerting != nil || s.AlertingDefaults != (AlertDefaults{}) {
			if err := a.m.cfg.Store.SetAlertThresholds(a.id, alerting); err != nil {
				return err
			}
			a.snap.AlertingSet, a.snap.Alerting = alerting, EffectiveAlerting(alerting)
		}
		if s.Inbox != nil {
			if err := a.m.cfg.Store.SetInboxSettings(a.id, inbox); err != nil {
				return err
			}
			a.inbox, a.due.sweep = inbox, time.Now()
			a.refreshInbox()
		}
		if a.unpaired() && s.PairMethod != nil {
			a.snap.Code = CodeInfo{}
			a.applyPageState()
			return nil
		}
		a.publish()
		return nil
	})
}

// setBrowser stores new browser settings. A running browser keeps the ones
// it started with: the next start or restart applies them.
func (a *actor) setBrowser(b BrowserSettings) error {
	_, err := a.m.cfg.Store.UpdateSession(a.id, func(st *store.Session) error {
		st.Browser = b
		return nil
	})
	if err != nil {
		return err
	}
	a.browser = b
	a.snap.Browser = maskBrowser(b)
	detail := BrowserText(b)
	if a.page != nil || a.cancelRun != nil || !a.due.restart.IsZero() {
		detail += "; the browser runs with the old ones: restart the session to apply"
	}
	a.event("browser-settings", detail)
	a.log.Info("browser settings changed", "detail", detail)
	return nil
}
