package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os/signal"
	"syscall"

	"github.com/waconsole/waconsole/simweb"
)

func cmdSim(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("sim", "waconsole sim: the local WhatsApp Web stand-in and its phone control API (see the README).")
	listen := fs.String("listen", "127.0.0.1:7780", "address to listen on")
	scale := fs.Float64("time-scale", 1, "multiply every page timing (QR rotation, sync, acks) by this; 0.05 is 20x faster")
	state := fs.String("state-file", "", "keep accounts, logins and chats in this JSON file across restarts")
	build := fs.String("build", simweb.CurrentBuild, "the WhatsApp Web build to play (see --list-builds)")
	list := fs.Bool("list-builds", false, "list the builds the stand-in plays and what differs in each, then exit")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *list {
		listBuilds(stdout)
		return nil
	}
	if *scale <= 0 {
		return fmt.Errorf("--time-scale %v: must be above 0", *scale)
	}
	srv, err := simweb.New(simweb.Options{Timings: simweb.DefaultTimings().Scale(*scale), StateFile: *state, Build: *build, Logf: printf(newLogger(stderr, logText, slog.LevelInfo))})
	if err != nil {
		return err
	}
	url, err := srv.Listen(*listen)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "WhatsApp Web stand-in at %s playing build %s (phone control API under %ssim/)\n", url, srv.Build().Name, url)
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	<-ctx.Done()
	return srv.Close()
}

// listBuilds prints each build, oldest first, marking the current one.
func listBuilds(w io.Writer) {
	all := simweb.Builds()
	for i, b := range all {
		name := b.Name
		if i == len(all)-1 {
			name += " (" + simweb.CurrentBuild + ")"
		}
		fmt.Fprintf(w, "%-18s %s\n", name, b.Summary)
	}
}
