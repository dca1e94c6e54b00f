package session

import (
	"log/slog"
	"time"

	"github.com/waconsole/waconsole/store"
)

// DefaultWAURL is the page production sessions open.
const DefaultWAURL = "https://web.whatsapp.com/"

// Config wires a Manager.
type Config struct {
	Store   *store.DB
	DataDir string // browser profiles live in DataDir/profiles/<id>
	WAURL   string
	Driver  Driver
	Log     *slog.Logger // lifecycle events, failures and sends; nil = silent
	Timing  Timing
	Version string // waconsole's version, written in backups
}

// Timing holds the clocks of the session lifecycle. Zero fields take the
// defaults; tests shorten them.
type Timing struct {
	QRFirst         time.Duration // life of the first QR ref WhatsApp shows (60 s)
	QRNext          time.Duration // life of each later ref (20 s)
	QRCount         int           // refs before the QR expires (6)
	LinkCodeTTL     time.Duration // life of a link code (180 s)
	LinkCodeRefresh time.Duration // a fresh code is requested this often (150 s)
	LoadTimeout     time.Duration // WhatsApp Web must boot within this (60 s)
	SyncTimeout     time.Duration // a scanned phone must finish syncing within this (3 min)
	CrashLimit      int           // this many browser crashes ...
	CrashWindow     time.Duration // ... within this window mean FAILED (5 in 5 min)
	RestartDelay    time.Duration // first delay before relaunching a crashed browser (1 s, doubling)
	StartStagger    time.Duration // gap between auto-started sessions (2 s)
	RetryBase       time.Duration // first retry of a failed send (30 s, doubling)
	RetryMax        time.Duration // longest wait between retries (30 min)
	RetryAttempts   int           // attempts before a job is dead (8)
	HoldDisconnects int           // this many disconnects ...
	HoldWindow      time.Duration // ... within this window hold the queue (3 in 10 min)
	InboxSweep      time.Duration // how often captured messages past their retention are removed (1 min)
	DrainAfter      time.Duration // back READY after being down longer than this, the unread are snapshotted (1 min)
	// Alerts: thresholds of duration are checked this often (5 s), the
	// webhook queue read (15 s) and the disk measured (1 min) this often;
	// restart-loop resolves after READY this long without a failure
	// (10 min), unclean-restart after the process has run this long (1 h).
	AlertCheck        time.Duration
	AlertWebhookPoll  time.Duration
	AlertDiskPoll     time.Duration
	AlertRestartQuiet time.Duration
	AlertUncleanClear time.Duration
	// WebhookEventEvery: at most one webhook-failed and one webhook-dead
	// event per endpoint this often (1 min); the failures between are
	// counted in the next one.
	WebhookEventEvery time.Duration
}

func (t Timing) withDefaults() Timing {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.QRFirst, 60*time.Second)
	def(&t.QRNext, 20*time.Second)
	if t.QRCount <= 0 {
		t.QRCount = 6
	}
	def(&t.LinkCodeTTL, 180*time.Second)
	def(&t.LinkCodeRefresh, 150*time.Second)
	def(&t.LoadTimeout, loadTimeout)
	def(&t.SyncTimeout, 3*time.Minute)
	if t.CrashLimit <= 0 {
		t.CrashLimit = 5
	}
	def(&t.CrashWindow, 5*time.Minute)
	def(&t.RestartDelay, time.Second)
	def(&t.StartStagger, 2*time.Second)
	def(&t.RetryBase, 30*time.Second)
	def(&t.RetryMax, 30*time.Minute)
	if t.RetryAttempts <= 0 {
		t.RetryAttempts = 8
	}
	if t.HoldDisconnects <= 0 {
		t.HoldDisconnects = 3
	}
	def(&t.HoldWindow, 10*time.Minute)
	def(&t.InboxSweep, time.Minute)
	def(&t.DrainAfter, time.Minute)
	def(&t.AlertCheck, 5*time.Second)
	def(&t.AlertWebhookPoll, 15*time.Second)
	def(&t.AlertDiskPoll, time.Minute)
	def(&t.AlertRestartQuiet, 10*time.Minute)
	def(&t.AlertUncleanClear, time.Hour)
	def(&t.WebhookEventEvery, time.Minute)
	return t
}
