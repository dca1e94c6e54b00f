package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/charmbracelet/x/ansi"
	"golang.org/x/term"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/termtext"
)

func cmdPair(args []string, stdout io.Writer) error {
	fs := newFlagSet("pair", "waconsole pair SESSION [--link-code PHONE]: pair a phone with a session of the running waconsole.\nDraws the QR code here and redraws it on every rotation (or shows the link code), and exits 0 once the session is READY.")
	var f flags
	f.client(fs)
	f.qr(fs)
	phone := fs.String("link-code", "", "pair with a link code for this phone number (digits, international form) instead of a QR code")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up after this long")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: waconsole pair SESSION [--link-code PHONE] [--qr-style auto|half|sextant]")
	}
	id := pos[0]
	style, err := termtext.ParseQRStyle(f.qrStyle)
	if err != nil {
		return err
	}
	if *phone != "" {
		if err := session.ValidatePhone(*phone); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	c := f.api()
	req := api.PairRequest{}
	if *phone != "" {
		req = api.PairRequest{Method: session.PairLink, Phone: *phone}
	}
	snap, err := c.Pair(ctx, id, req)
	if err != nil {
		return err
	}
	if snap.State == string(session.QR) && snap.QR.Expired {
		if _, err := c.Action(ctx, id, "refresh-qr"); err != nil {
			return err
		}
	}
	p := &pairPrinter{w: stdout, tty: isTerminal(stdout), id: id, style: style}
	err = c.Pairing(ctx, id, p.show)
	if errors.Is(err, context.DeadlineExceeded) {
		return exitError{1, fmt.Sprintf("not paired within %s: run `waconsole pair %s` again", *timeout, id)}
	}
	return err
}

// pairPrinter draws what a pairing session shows, redrawing only on change.
type pairPrinter struct {
	w        io.Writer
	tty      bool
	id       string
	style    termtext.QRStyle
	lastQR   string
	lastCode string
	lastLine string
}

func (p *pairPrinter) show(ev api.PairingEvent) error {
	s := ev.Snapshot
	switch {
	case ev.Done && ev.Result == "ready":
		fmt.Fprintf(p.w, "READY: session %s is paired with +%s\n", s.ID, s.Account)
		return nil
	case ev.Done:
		return exitError{1, fmt.Sprintf("pairing failed: session %s is %s: %s", s.ID, s.State, s.Reason)}
	case s.State == string(session.QR) && s.QR.Expired:
		return exitError{1, fmt.Sprintf("the QR codes expired unscanned: run `waconsole pair %s` again for fresh ones", p.id)}
	case s.State == string(session.QR) && s.QR.Payload != "" && s.QR.Payload != p.lastQR:
		p.lastQR = s.QR.Payload
		if err := p.drawQR(s); err != nil {
			return err
		}
	case s.State == string(session.LinkCode) && s.Code.Code != "" && s.Code.Code != p.lastCode:
		p.lastCode = s.Code.Code
		p.clear()
		fmt.Fprintf(p.w, "Link code for +%s (valid until %s):\n\n    %s\n\n", s.Code.Phone, s.Code.Expires.Format("15:04:05"), s.Code.Code)
		fmt.Fprintln(p.w, "On the phone: WhatsApp > Settings > Linked devices > Link a device >\n\"Link with phone number instead\", then enter the code.")
	}
	line := fmt.Sprintf("%s: %s", s.State, s.Reason)
	if line != p.lastLine {
		p.lastLine = line
		fmt.Fprintln(p.w, line)
	}
	return nil
}

// clear starts a fresh screen on a terminal; the state line is shown again
// below what is drawn next.
func (p *pairPrinter) clear() {
	if p.tty {
		fmt.Fprint(p.w, "\x1b[H\x1b[2J")
	}
	p.lastLine = ""
}

// drawQR draws the QR in the style asked for or, with auto, in half blocks
// when the terminal has room for them and in sextants when not; off a
// terminal there is no size to go by, and half blocks need no special font.
func (p *pairPrinter) drawQR(s api.Session) error {
	half, err := termtext.RenderQR(s.QR.Payload, termtext.QRHalf)
	if err != nil {
		return fmt.Errorf("%w; pair with a link code instead: waconsole pair %s --link-code PHONE", err, p.id)
	}
	cols, rows, sized := 0, 0, false
	if p.tty {
		cols, rows, err = term.GetSize(int(os.Stdout.Fd()))
		sized = err == nil
	}
	scan := fmt.Sprintf("Scan with WhatsApp > Settings > Linked devices > Link a device. Code %d of %d, expires at %s.",
		s.QR.Index, s.QR.Total, s.QR.Expires.Format("15:04:05"))
	under := func(style termtext.QRStyle) []string {
		if style == termtext.QRSextant {
			return []string{termtext.SextantNote, scan}
		}
		return []string{scan}
	}
	// Under the code: its lines, the state line and the cursor; the screen
	// must not scroll the top of the code away.
	fits := func(style termtext.QRStyle, w, h int) bool {
		return !sized || w <= cols && h+rowsOf(under(style), cols)+2 <= rows
	}
	style := termtext.PickQRStyle(p.style, half, func(w, h int) bool { return fits(termtext.QRHalf, w, h) })
	q := half
	if style == termtext.QRSextant {
		if q, err = termtext.RenderQR(s.QR.Payload, style); err != nil {
			return err
		}
	}
	if !fits(style, q.Width, q.Height) {
		fmt.Fprintf(p.w, "The QR code needs %d columns and %d rows; this terminal has %d x %d.\n"+
			"Enlarge the window, or pair with a link code: waconsole pair %s --link-code PHONE\n",
			q.Width, q.Height+rowsOf(under(style), q.Width)+2, cols, rows, p.id)
		return nil
	}
	p.clear()
	fmt.Fprintln(p.w, q.Block)
	for _, l := range under(style) {
		fmt.Fprintln(p.w, l)
	}
	return nil
}

// rowsOf is how many terminal rows lines take at width cols.
func rowsOf(lines []string, cols int) int {
	n := 0
	for _, l := range lines {
		n += max(1, (ansi.StringWidth(l)+cols-1)/max(cols, 1))
	}
	return n
}
