package cli

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/waconsole/waconsole/api"
)

const searchUsage = `usage: waconsole search SESSION WORD... [--chat C] [--limit N] [--json]
  the captured messages that hold every word (any case, part of a word too), newest first`

func cmdSearch(args []string, stdout io.Writer) error {
	fs := newFlagSet("search", searchUsage)
	var f flags
	f.client(fs)
	f.json(fs)
	chat := fs.String("chat", "", "only this chat: a phone number or a chat id, under either of its ids")
	limit := fs.Int("limit", 100, "at most this many (1 to 1000)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		return errors.New(searchUsage)
	}
	if *limit < 1 {
		return fmt.Errorf("--limit %d: give 1 or more", *limit)
	}
	ctx, cancel := context.WithTimeout(context.Background(), clientTimeout)
	defer cancel()
	hits, err := f.api().Search(ctx, pos[0], strings.Join(pos[1:], " "), *chat, *limit)
	if err != nil {
		return err
	}
	if f.asJSON {
		if hits == nil {
			hits = []api.SearchHit{}
		}
		return json.NewEncoder(stdout).Encode(api.SearchList{Hits: hits})
	}
	if len(hits) == 0 {
		fmt.Fprintf(stdout, "no captured message of %s holds %s\n", pos[0], strings.Join(pos[1:], " "))
		return nil
	}
	for _, h := range hits {
		m := h.Message
		fmt.Fprintf(stdout, "%s  %-28s  %s  %s\n", m.Received.Local().Format("2006-01-02 15:04:05"), oneLine(cmp.Or(h.ChatName, m.Chat), 28), printable(m.ID), inboundText(m))
	}
	return nil
}
