package ui

import (
	"time"

	"github.com/waconsole/waconsole/termtext"
)

// Options tune the console.
type Options struct {
	ReadOnly bool             // disable every action that changes a session
	Now      func() time.Time // nil = time.Now; tests fix it
	Title    string           // shown in the header, e.g. "waconsole demo · sim http://127.0.0.1:4xxxx"
	Pairing  string           // a session whose pairing screen opens at start (the demo's)
	QRStyle  termtext.QRStyle // how the pairing screen draws the QR; "" is auto
	Webhooks Webhooks         // the webhook screen's service; nil: the screen is not offered
}
