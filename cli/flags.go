package cli

import (
	"cmp"
	"crypto/x509"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/waconsole/waconsole/api"
	"github.com/waconsole/waconsole/session"
)

// flags holds what several commands share. Each command registers the
// ones it takes, so a flag has one name, one meaning and one help text.
type flags struct {
	dataDir string
	waURL   string
	chrome  string
	asJSON  bool
	yes     bool
	qrStyle string
	// drainAfter is the downtime after which a session back READY takes
	// an unread snapshot.
	drainAfter time.Duration
	// metricsListen is where /metrics, /healthz and /readyz are served; ""
	// serves none.
	metricsListen string
	// logFormat is text or json; "" is the command's own default.
	logFormat string
	logLevel  string
	// apiURL, apiKey and apiCA reach a waconsole over TCP instead of the
	// data dir's socket.
	apiURL string
	apiKey string
	apiCA  *x509.CertPool
}

// runtime registers the flags of the commands that run sessions: the
// console and serve.
func (f *flags) runtime(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "", "state directory (default $XDG_STATE_HOME/waconsole or ~/.local/state/waconsole)")
	fs.StringVar(&f.waURL, "wa-url", session.DefaultWAURL, "WhatsApp Web URL the sessions open")
	fs.StringVar(&f.chrome, "chrome", "", "Chromium or Chrome executable (default: chromium, google-chrome, ... on PATH)")
	fs.DurationVar(&f.drainAfter, "drain-after", time.Minute, "a session back READY after being down longer than this lists its unread messages for a drain")
	fs.StringVar(&f.metricsListen, "metrics-listen", "", "serve Prometheus /metrics, /healthz and /readyz on this TCP address, such as 127.0.0.1:9464 (default: off)")
	fs.StringVar(&f.logFormat, "log-format", "", "log format, text or json (default: json under serve, to stderr; text in the console, to <data-dir>/waconsole.log)")
	fs.StringVar(&f.logLevel, "log-level", "info", "log this level and above: debug, info, warn or error")
}

// logSettings checks --log-format and --log-level; def is the command's
// format when none is given.
func (f *flags) logSettings(def string) (string, slog.Level, error) {
	format := cmp.Or(f.logFormat, def)
	if format != logText && format != logJSON {
		return "", 0, fmt.Errorf("--log-format %q is not known: use text or json", f.logFormat)
	}
	level, ok := logLevels[f.logLevel]
	if !ok {
		return "", 0, fmt.Errorf("--log-level %q is not known: use debug, info, warn or error", f.logLevel)
	}
	return format, level, nil
}

// metricsAddr checks --metrics-listen: "" (off) or host:port.
func (f *flags) metricsAddr() (string, error) {
	if f.metricsListen == "" {
		return "", nil
	}
	if err := checkListen("--metrics-listen", f.metricsListen, "9464"); err != nil {
		return "", err
	}
	return f.metricsListen, nil
}

// checkListen refuses a listen address that is not host:port; port is
// the example the message offers.
func checkListen(flag, addr, port string) error {
	_, p, err := net.SplitHostPort(addr)
	if err == nil {
		_, err = strconv.ParseUint(p, 10, 16)
	}
	if err != nil {
		return fmt.Errorf("%s %q is not a host:port address; give one such as 127.0.0.1:%s (this machine only) or :%s (every interface)", flag, addr, port, port)
	}
	return nil
}

// timing is the sessions' clocks the runtime flags set.
func (f *flags) timing() (session.Timing, error) {
	if f.drainAfter <= 0 {
		return session.Timing{}, fmt.Errorf("--drain-after %s must be more than 0, such as 1m", f.drainAfter)
	}
	return session.Timing{DrainAfter: f.drainAfter}, nil
}

// client registers --data-dir for the commands that talk to a running
// console or serve, and --api with its key and CA to talk to one over TCP.
// The key comes from the environment or a file, never the command line,
// which shell history and ps keep.
func (f *flags) client(fs *flag.FlagSet) {
	fs.StringVar(&f.dataDir, "data-dir", "", "state directory of the waconsole to talk to (default $XDG_STATE_HOME/waconsole or ~/.local/state/waconsole)")
	fs.StringVar(&f.apiURL, "api", os.Getenv("WACONSOLE_API"), "talk to the API over TCP at this URL, such as https://waconsole.example:8443, instead of the data dir's socket (default $WACONSOLE_API)")
	f.apiKey = os.Getenv("WACONSOLE_API_KEY")
	fs.Func("api-key-file", "a file holding the API key for --api (default: the key in $WACONSOLE_API_KEY)", func(path string) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if f.apiKey = strings.TrimSpace(string(b)); f.apiKey == "" {
			return fmt.Errorf("%s is empty: put the key that waconsole apikey create printed in it", path)
		}
		return nil
	})
	fs.Func("api-ca", "PEM certificates of the CAs the --api server's certificate is checked against (default: the system's)", func(path string) error {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f.apiCA = x509.NewCertPool()
		if !f.apiCA.AppendCertsFromPEM(b) {
			return fmt.Errorf("%s holds no PEM certificate: give the CA (or the self-signed certificate) of the server", path)
		}
		return nil
	})
}

func (f *flags) json(fs *flag.FlagSet) {
	fs.BoolVar(&f.asJSON, "json", false, "print JSON")
}

func (f *flags) confirm(fs *flag.FlagSet) {
	fs.BoolVar(&f.yes, "yes", false, "do not ask for confirmation")
}

// qr registers --qr-style for the commands that draw a QR code: the
// console and pair.
func (f *flags) qr(fs *flag.FlagSet) {
	fs.StringVar(&f.qrStyle, "qr-style", "auto", "how to draw the QR code: half (half blocks, 57x30 cells for a WhatsApp code), "+
		"sextant (29x20, fits 80x24; needs a terminal font with Unicode 13 sextants) or auto (half where it fits, else sextant)")
}

// dir is the data dir asked for, or the default one.
func (f *flags) dir() string {
	if f.dataDir == "" {
		return defaultDataDir()
	}
	return f.dataDir
}

// api is a client of the waconsole at --api, else of the one running on
// the data dir.
func (f *flags) api() *api.Client {
	if f.apiURL != "" {
		return api.NewRemoteClient(f.apiURL, f.apiKey, f.apiCA)
	}
	return api.NewClient(f.dir())
}

// newFlagSet returns a flag set that reports errors instead of exiting.
func newFlagSet(name, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "%s\n\nFlags:\n", help)
		fs.PrintDefaults()
	}
	return fs
}

// parseInterleaved parses flags that may come before or after positional
// arguments, as operators type them: "pair demo --link-code 1555…".
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
