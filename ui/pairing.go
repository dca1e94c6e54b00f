package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

// pairingView follows one session's snapshot live, from STARTING through
// QR or link code to READY, without a key press. It only caches the drawn
// QR, which changes with every rotation, in each style asked for.
type pairingView struct {
	id      string
	payload string
	drawn   map[termtext.QRStyle]termtext.QR
	qr      termtext.QR // the one on display
	err     error       // the payload cannot be drawn
}

// The phone-side steps, as WhatsApp words them.
const (
	qrSteps   = "On the phone: WhatsApp > Settings > Linked devices > Link a device, then point the camera at this code."
	linkSteps = "On the phone: WhatsApp > Settings > Linked devices > Link a device > Link with phone number instead, then enter the code."
)

func (m *Model) openPairing(id string) tea.Cmd {
	m.push(&pairingView{id: id})
	return nil
}

func (p *pairingView) crumb() string     { return "pairing" }
func (p *pairingView) sessionID() string { return p.id }

func (p *pairingView) shortKeys(m *Model) []key.Binding {
	return m.pairingBindings(m.sessions[p.id].State)
}

func (p *pairingView) allKeys(m *Model) []key.Binding { return m.km.Pairing.Bindings() }

// restartable states are fixed by a new browser; startable ones need one.
func restartable(s session.State) bool {
	return s == session.Conflict || s == session.Failed || s == session.Disconnected || s == session.Blocked
}

func startable(s session.State) bool {
	return s == session.Stopped || s == session.LoggedOut || s == session.Failed
}

// canUseLink is when switching to a link code makes sense.
func canUseLink(s session.State) bool {
	return s == session.QR || s == session.Starting || startable(s)
}

// pairingBindings are the pairing keys that apply in state s.
func (m *Model) pairingBindings(s session.State) []key.Binding {
	p := m.km.Pairing
	var bs []key.Binding
	if s == session.QR {
		bs = append(bs, p.FreshQR)
	}
	if canUseLink(s) {
		bs = append(bs, p.LinkCode)
	}
	if s == session.LinkCode {
		bs = append(bs, p.UseQR)
	}
	if startable(s) {
		bs = append(bs, p.Start)
	}
	if restartable(s) {
		bs = append(bs, p.Restart)
	}
	return bs
}

func (pv *pairingView) update(m *Model, msg tea.KeyPressMsg) (tea.Cmd, bool) {
	id, b := pv.id, m.b
	s := m.sessions[id]
	p := m.km.Pairing
	switch {
	case s.State == session.QR && key.Matches(msg, p.FreshQR):
		return act(func() error { return b.RefreshQR(id) }, id+": asking for a fresh QR code", "could not refresh the QR code of "+id), true
	case restartable(s.State) && key.Matches(msg, p.Restart):
		return restartSession(b, id), true
	case canUseLink(s.State) && key.Matches(msg, p.LinkCode):
		m.dialog = newPhoneDialog(b, id, s.PairPhone, m.width)
		return nil, true
	case s.State == session.LinkCode && key.Matches(msg, p.UseQR):
		return act(func() error { return b.UseQR(id) }, id+": switching to a QR code", "could not switch "+id+" to a QR code"), true
	case startable(s.State) && key.Matches(msg, p.Start):
		return startSession(b, id), true
	}
	return nil, false
}

// countdown says how long until t, or nothing when t is unknown.
func countdown(now, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if d := t.Sub(now); d > 0 {
		return "expires in " + termtext.Age(d.Round(time.Second))
	}
	return "expiring now"
}

// pairingHead names the session and its state above the pairing view.
func pairingHead(s session.Snapshot, w int) string {
	head := styles.Heading.Render("Pairing "+s.ID) + "  " + stateText(s.State)
	if s.Reason != "" {
		head += styles.Subtle.Render(" · " + s.Reason)
	}
	return wrap(head, w)
}

func (p *pairingView) view(m *Model, w, h int) string {
	id := p.id
	s, ok := m.sessions[id]
	if !ok {
		return styles.Hint.Render("Session " + id + " is gone.")
	}
	head := pairingHead(s, w)
	bh := h - lipgloss.Height(head) - 1
	var body string
	switch s.State {
	case session.QR:
		// The blank line under the heading is the row a sextant QR lacks
		// at 80×24: it goes when the code needs it.
		if body = p.renderQRState(m, s, w, bh+1); lipgloss.Height(body) > bh {
			return head + "\n" + body
		}
	case session.LinkCode:
		body = renderLinkCode(s, m.now(), w)
	case session.Ready:
		body = styles.Success.Render("✓ Paired with "+phone(s.Account)) + "\n\n" +
			wrap(id+" is READY: it sends and receives. esc goes back to the sessions; there c opens its chats and u its queue.", w)
	default:
		body = wrap(pairingAdvice(s), w)
	}
	return head + "\n\n" + body
}

// pairingAdvice says what is happening in the states without a code, and
// what the operator can do.
func pairingAdvice(s session.Snapshot) string {
	var t string
	switch s.State {
	case session.Stopped:
		t = "The session is stopped. Press s to start it: pairing begins once WhatsApp Web has loaded."
	case session.Starting:
		t = "Starting the browser and loading WhatsApp Web. The QR code appears here by itself; press l to pair with a link code instead."
		if s.PairMethod == session.PairLink {
			t = "Starting the browser and loading WhatsApp Web. The link code for " + phone(s.PairPhone) +
				" appears here by itself; press l to use another phone number."
		}
	case session.Syncing:
		t = "The phone is linked. WhatsApp Web is syncing the chats from the phone; keep the phone online. This takes from a few seconds to a few minutes."
	case session.Disconnected:
		t = "The connection is lost; WhatsApp Web reconnects by itself. If it lasts, check the phone's network, or press r to restart the browser."
	case session.Conflict:
		t = "WhatsApp Web was opened elsewhere for this account. Press r to restart this session and take the account back."
	case session.LoggedOut:
		t = "The phone unlinked this browser. Press s to start pairing again."
	case session.Blocked:
		t = "WhatsApp refuses this browser or account. Check the account on the phone; r restarts the browser once the cause is fixed."
	case session.Failed:
		t = "The session failed. Fix the cause below, then press s to start it again (or r to restart)."
	default:
		t = "Unknown state."
	}
	if s.LastError != "" {
		t += "\n\nLast error: " + s.LastError
	}
	return t
}

// qrRoom is the room under the pairing heading, blank line included.
func (m *Model) qrRoom(s session.Snapshot) (w, h int) {
	return m.width, m.bodyHeight() - lipgloss.Height(pairingHead(s, m.width))
}

// drawQR draws payload in style once per rotation.
func (p *pairingView) drawQR(payload string, style termtext.QRStyle) (termtext.QR, error) {
	if p.payload != payload {
		p.payload, p.drawn = payload, map[termtext.QRStyle]termtext.QR{}
	}
	if q, ok := p.drawn[style]; ok {
		return q, nil
	}
	q, err := termtext.RenderQR(payload, style)
	if err == nil {
		p.drawn[style] = q
	}
	return q, err
}

// cacheQR picks the QR of s to show: in the style asked for or, with
// auto, half blocks where they fit (on the pairing screen, or alone on the
// terminal) and sextants where not. It reports whether there is one to
// show, or an error to say instead.
func (p *pairingView) cacheQR(m *Model, s session.Snapshot) bool {
	qr := s.QR
	if s.State != session.QR || qr.Expired || qr.Payload == "" {
		return false
	}
	half, err := p.drawQR(qr.Payload, termtext.QRHalf)
	if err == nil {
		w, h := m.qrRoom(s)
		style := termtext.PickQRStyle(m.opts.QRStyle, half, func(qw, qh int) bool {
			q := termtext.QR{Width: qw, Height: qh, Style: termtext.QRHalf}
			return qrFitsBeside(q, w, h) || qrFitsAbove(q, w, h) || qrFitsAbove(q, m.width, m.height)
		})
		p.qr, err = p.drawQR(qr.Payload, style)
	}
	p.err = err
	return true
}

// qrStatus is the countdown and rotation count of the QR on display.
func qrStatus(now time.Time, qr session.QRInfo) string {
	return joinNonEmpty(" · ", countdown(now, qr.Expires), codeOf(qr))
}

// Layout of the QR: beside its instructions when wide, above one status
// line when not (and the sextant note).
const qrGap, qrTextMin = 3, 30

func qrFitsBeside(q termtext.QR, w, h int) bool {
	return w >= q.Width+qrGap+qrTextMin && h >= q.Height
}

func qrFitsAbove(q termtext.QR, w, h int) bool { return w >= q.Width && h >= q.Height+qrLinesBelow(q) }

// qrLinesBelow counts the lines under a QR shown without its
// instructions: the status, and for sextants what they need.
func qrLinesBelow(q termtext.QR) int {
	if q.Style == termtext.QRSextant {
		return 2
	}
	return 1
}

// belowQR draws those lines, each cut to w cells.
func belowQR(q termtext.QR, status string, w int) string {
	if q.Style == termtext.QRSextant {
		return trunc(status, w) + "\n" + trunc(termtext.SextantNote, w)
	}
	return trunc(status, w)
}

// renderQRState draws the QR beside its instructions, or above a status
// line, or says exactly what does not fit.
func (p *pairingView) renderQRState(m *Model, s session.Snapshot, w, h int) string {
	qr := s.QR
	switch {
	case qr.Expired:
		return wrap("The QR code expired: WhatsApp shows only a few codes before it waits. Press r for a fresh one, or l to pair with a link code.", w)
	case !p.cacheQR(m, s):
		return wrap("Waiting for WhatsApp Web to show a QR code…", w)
	case p.err != nil:
		return wrap(p.err.Error()+". Press l to pair with a link code instead.", w)
	}
	q := p.qr
	status := qrStatus(m.now(), qr)
	switch {
	case qrFitsBeside(q, w, h):
		text := styles.Heading.Render("Scan with WhatsApp") + "\n" + status + "\n\n" + qrSteps
		if q.Style == termtext.QRSextant {
			text += "\n\n" + styles.Hint.Render(termtext.SextantNote+".")
		}
		text += "\n\nPress l to pair with a link code instead; r asks for a fresh code."
		return lipgloss.JoinHorizontal(lipgloss.Top, q.Block, strings.Repeat(" ", qrGap), wrap(text, w-q.Width-qrGap))
	case qrFitsAbove(q, w, h):
		return q.Block + "\n" + belowQR(q, joinNonEmpty(" · ", "l link code", status, "Linked devices > Link a device"), w)
	}
	return wrap(fmt.Sprintf("The QR code does not fit: it needs %d columns × %d rows (a terminal of at least %d × %d), "+
		"and this terminal is %d × %d. Enlarge the window or use a smaller font, or press l to pair with a link code instead.",
		q.Width, q.Height, q.Width, q.Height+qrLinesBelow(q), m.width, m.height), w) + "\n\n" + status
}

// alone fills the whole screen with the QR and its status when it
// fits only without the console around it: an operator on a small
// terminal can still scan.
func (p *pairingView) alone(m *Model, w, h int) (string, bool) {
	s := m.sessions[p.id]
	if !p.cacheQR(m, s) || p.err != nil {
		return "", false
	}
	q := p.qr
	bw, bh := m.qrRoom(s)
	if qrFitsBeside(q, bw, bh) || qrFitsAbove(q, bw, bh) || !qrFitsAbove(q, w, h) {
		return "", false
	}
	status := joinNonEmpty(" · ", "l link code", qrStatus(m.now(), s.QR), "esc back", "WhatsApp > Linked devices > Link a device")
	return q.Block + "\n" + belowQR(q, status, w), true
}

// codeOf is "code n of N" while WhatsApp rotates QR codes.
func codeOf(qr session.QRInfo) string {
	if qr.Total == 0 {
		return ""
	}
	return fmt.Sprintf("code %d of %d", qr.Index, qr.Total)
}

// renderLinkCode draws the code large, the phone it is for, its expiry
// and the steps on the phone.
func renderLinkCode(s session.Snapshot, now time.Time, w int) string {
	c := s.Code
	if c.Code == "" {
		return wrap("Requesting a link code for "+phone(s.PairPhone)+"…", w)
	}
	code := session.FormatCode(c.Code)
	big, ok := bigText(code)
	box := styles.Code
	if !ok || lipgloss.Width(big)+box.GetHorizontalFrameSize() > w {
		big = strings.Join(strings.Split(code, ""), " ")
		box = box.Padding(0, 2)
	}
	lines := []string{
		box.Render(styles.BigCode.Render(big)),
		styles.Heading.Render("Link code "+code) + "  for " + phone(c.Phone) + "  " + countdown(now, c.Expires),
		"",
		wrap(linkSteps, w),
		"",
		wrap("Press g to pair with a QR code instead.", w),
	}
	return strings.Join(lines, "\n")
}
