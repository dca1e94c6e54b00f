package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/ui"
)

func cmdPair(args []string, stdout io.Writer) error {
	fs := newFlagSet("pair", "waconsole pair SESSION [--link-code PHONE]: pair a phone with a session of the running waconsole.\nDraws the QR code here and redraws it on every rotation (or shows the link code), and exits 0 once the session is READY.")
	dir := dataDirFlag(fs)
	phone := fs.String("link-code", "", "pair with a link code for this phone number (digits, international form) instead of a QR code")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up after this long")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New("usage: waconsole pair SESSION [--link-code PHONE]")
	}
	id := pos[0]
	if *phone != "" {
		if err := session.ValidatePhone(*phone); err != nil {
			return err
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	c := api.NewClient(orDefault(*dir))
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
	p := &pairPrinter{w: stdout, tty: isTerminal(stdout), id: id}
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
		p.drawQR(s)
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

func (p *pairPrinter) drawQR(s api.Session) {
	block, w, h := ui.RenderQR(s.QR.Payload)
	if p.tty {
		// Three more rows: the instructions under the code and the cursor.
		if cols, rows, err := term.GetSize(int(os.Stdout.Fd())); err == nil && !ui.QRFits(s.QR.Payload, cols, rows-3) {
			fmt.Fprintf(p.w, "The QR code needs %d columns and %d rows; this terminal has %d x %d.\n"+
				"Enlarge the window, or pair with a link code: waconsole pair %s --link-code PHONE\n", w, h+3, cols, rows, p.id)
			return
		}
	}
	p.clear()
	fmt.Fprintln(p.w, block)
	fmt.Fprintf(p.w, "Scan with WhatsApp > Settings > Linked devices > Link a device. Code %d of %d, expires at %s.\n",
		s.QR.Index, s.QR.Total, s.QR.Expires.Format("15:04:05"))
}
