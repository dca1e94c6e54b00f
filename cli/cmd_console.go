package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/term"

	"github.com/waconsole/waconsole/session"
	"github.com/waconsole/waconsole/simweb"
	"github.com/waconsole/waconsole/termtext"
	"github.com/waconsole/waconsole/ui"
)

// demoPhone is the number of the phone the demo plays.
const demoPhone = "15550123456"

func cmdConsole(args []string, stderr io.Writer) error {
	fs := newFlagSet("waconsole", usage)
	var f flags
	f.runtime(fs)
	f.qr(fs)
	demo := fs.Bool("demo", false, "run against a local WhatsApp Web stand-in (data dir defaults to <default>/demo)")
	// A fixed port: the login lives in the browser profile per origin, so
	// a stand-in on another port would find every session logged out.
	simAddr := fs.String("sim-addr", "127.0.0.1:7781", "with --demo: address of the stand-in (keep it the same across runs: logins are per address)")
	simBuild := fs.String("sim-build", simweb.CurrentBuild, "with --demo: the WhatsApp Web build the stand-in plays (see `waconsole sim --list-builds`)")
	autopair := fs.Bool("demo-autopair", true, "with --demo: a simulated phone scans the QR a few seconds after it appears")
	readOnly := fs.Bool("read-only", false, "disable destructive actions: stop, restart, logout, delete, discard, mark read, write or reply in a chat, add or remove webhook endpoints")
	var sf sshFlags
	sf.register(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := sf.check(); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unknown command %q\n\n%s", fs.Arg(0), usage)
	}
	qrStyle, err := termtext.ParseQRStyle(f.qrStyle)
	if err != nil {
		return err
	}
	timing, err := f.timing()
	if err != nil {
		return err
	}
	metricsAddr, err := f.metricsAddr()
	if err != nil {
		return err
	}
	logFormat, logLevel, err := f.logSettings(logText)
	if err != nil {
		return err
	}
	if !term.IsTerminal(int(os.Stdin.Fd())) || !term.IsTerminal(int(os.Stdout.Fd())) {
		return errors.New("the console needs a terminal; for headless use run `waconsole serve` and the CLI commands (see `waconsole help`)")
	}
	dir := f.dataDir
	if dir == "" {
		dir = defaultDataDir()
		if *demo {
			dir = filepath.Join(dir, "demo")
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("creating the data dir: %w", err)
	}
	logFile, err := openLogFile(dir)
	if err != nil {
		return err
	}
	defer logFile.Close()
	log := newLogger(logFile, logFormat, logLevel)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	title := "waconsole · " + dir
	waURL := f.waURL
	if *demo {
		sim, base, err := startDemoSim(dir, *simAddr, *simBuild, log)
		if err != nil {
			return err
		}
		defer sim.Close()
		waURL, title = base, "waconsole demo · WhatsApp Web stand-in at "+base
		if *autopair {
			go simweb.AutoPair(ctx, &simweb.Client{BaseURL: base}, demoPhone, 4*time.Second)
		}
	}
	rt, err := openRuntime(runtimeOptions{dataDir: dir, waURL: waURL, chrome: f.chrome, mode: "console", log: log, timing: timing,
		metricsListen: metricsAddr})
	if err != nil {
		return err
	}
	opts := ui.Options{ReadOnly: *readOnly, Title: title, QRStyle: qrStyle, Webhooks: webhookAdapter{rt.hooks}}
	if *demo {
		s, err := rt.manager.Get("demo")
		if err != nil {
			s, err = rt.manager.Add(session.AddRequest{ID: "demo"})
		}
		if err != nil {
			log.Error("creating the demo session failed", "err", err)
		} else if s.Account == "" {
			// A newcomer watches the QR code turn into READY.
			opts.Pairing = "demo"
		}
	}
	ssh, err := sf.start(rt, dir, opts, log)
	if err != nil {
		closeAfterFailedStart(rt)
		return err
	}
	rt.manager.StartAuto(ctx)
	model := ui.New(rt.manager, opts)
	_, runErr := tea.NewProgram(model, tea.WithContext(ctx)).Run()
	fmt.Fprintln(stderr, "waconsole: stopping sessions…")
	log.Info("stopping: closing every session")
	if ssh != nil {
		ssh.Close()
	}
	cctx, ccancel := context.WithTimeout(context.Background(), StopTimeout)
	defer ccancel()
	closeErr := rt.close(cctx)
	if closeErr != nil {
		log.Error("stop failed", "err", closeErr)
	} else {
		log.Info("stopped cleanly")
	}
	if runErr != nil && !errors.Is(runErr, tea.ErrProgramKilled) {
		return runErr
	}
	return closeErr
}

// startDemoSim starts the stand-in on a loopback address, keeping its
// accounts in the data dir so that a restarted demo finds its login; a new
// account gets the showcase chat with a message of every type.
func startDemoSim(dir, addr, build string, log *slog.Logger) (*simweb.Server, string, error) {
	sim, err := simweb.New(simweb.Options{StateFile: filepath.Join(dir, "simweb.json"), Build: build, Logf: printf(log), Showcase: true})
	if err != nil {
		return nil, "", err
	}
	base, err := sim.Listen(addr)
	if err != nil {
		return nil, "", fmt.Errorf("starting the WhatsApp Web stand-in on %s: %w (is another demo running? pick a free address with --sim-addr)", addr, err)
	}
	return sim, base, nil
}
