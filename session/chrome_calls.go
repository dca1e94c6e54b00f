package session

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/chromedp"
)

// gracefulClose bounds how long a browser may take to close before it is killed.
const gracefulClose = 3 * time.Second

type callResult struct {
	OK        json.RawMessage `json:"ok"`
	Err       string          `json:"err"`
	Permanent bool            `json:"permanent"`
	InFlight  bool            `json:"inflight"`
}

// call runs window.__wac.call(name, args...) in the page and decodes its
// result into out. A failure the bridge marks permanent wraps ErrPermanent;
// a message the page is still sending wraps ErrInFlight.
func (p *chromePage) call(ctx context.Context, out any, name string, args ...any) error {
	if args == nil {
		args = []any{} // spread of null throws in the page
	}
	argv, err := json.Marshal(args)
	if err != nil {
		return err
	}
	expr := fmt.Sprintf(`window.__wac ? window.__wac.call(%q, ...%s) : {err: "the bridge is not loaded in the page yet"}`, name, argv)
	cctx, cancel := context.WithTimeout(p.ctx, callTimeout)
	defer cancel()
	stop := context.AfterFunc(ctx, cancel)
	defer stop()
	raw, err := chromedp.Run(cctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("page call %s: %w", name, err)
	}
	var res callResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return fmt.Errorf("page call %s: malformed answer: %w", name, err)
	}
	if res.Err != "" {
		err := errors.New(res.Err)
		switch {
		case res.Permanent:
			return fmt.Errorf("%w: %w", ErrPermanent, err)
		case res.InFlight:
			return fmt.Errorf("%w: %w", ErrInFlight, err)
		}
		return err
	}
	if out == nil || len(res.OK) == 0 {
		return nil
	}
	if err := json.Unmarshal(res.OK, out); err != nil {
		return fmt.Errorf("page call %s: malformed result: %w", name, err)
	}
	return nil
}

func (p *chromePage) RequestLinkCode(ctx context.Context, phone string) (string, error) {
	var code string
	err := p.call(ctx, &code, "linkCode", phone)
	return code, err
}

func (p *chromePage) RefreshQR(ctx context.Context) error { return p.call(ctx, nil, "refreshQR") }
func (p *chromePage) Logout(ctx context.Context) error    { return p.call(ctx, nil, "logout") }
func (p *chromePage) Takeover(ctx context.Context) error  { return p.call(ctx, nil, "takeover") }

// bridgeChat is a chat as the bridge reports it.
type bridgeChat struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Unread       int    `json:"unread"`
	T            int64  `json:"t"`
	Group        bool   `json:"group"`
	Participants int    `json:"participants"`
	Muted        bool   `json:"muted"`
	Archived     bool   `json:"archived"`
	MarkedUnread bool   `json:"markedUnread"`
}

func (c bridgeChat) chat() Chat {
	return Chat{ID: c.ID, Name: c.Name, Unread: c.Unread, Group: c.Group, LastActivity: unixOrZero(c.T),
		Participants: c.Participants, Muted: c.Muted, Archived: c.Archived, MarkedUnread: c.MarkedUnread}
}

func (p *chromePage) Chats(ctx context.Context) ([]Chat, error) {
	var raw []bridgeChat
	if err := p.call(ctx, &raw, "chats"); err != nil {
		return nil, err
	}
	chats := make([]Chat, len(raw))
	for i, c := range raw {
		chats[i] = c.chat()
	}
	return chats, nil
}

func (p *chromePage) Messages(ctx context.Context, chatID, before string, limit int) ([]Message, error) {
	var raw []bridgeMsg
	if err := p.call(ctx, &raw, "messages", chatID, before, limit); err != nil {
		return nil, err
	}
	msgs := make([]Message, len(raw))
	for i, m := range raw {
		msgs[i] = m.message()
	}
	return msgs, nil
}

// unreadBatch bounds the messages one unread call carries out of the page.
const unreadBatch = 2000

func (p *chromePage) Unread(ctx context.Context) ([]UnreadChat, error) {
	type cursor struct {
		Chat string `json:"chat"`
		Skip int    `json:"skip"`
	}
	var (
		out   []UnreadChat
		index = map[string]int{}
		at    cursor
	)
	for {
		var batch struct {
			Chats []struct {
				bridgeChat
				Msgs []bridgeMsg `json:"msgs"`
			} `json:"chats"`
			Next *cursor `json:"next"`
		}
		if err := p.call(ctx, &batch, "unread", at.Chat, at.Skip, unreadBatch); err != nil {
			return nil, err
		}
		for _, c := range batch.Chats {
			i, ok := index[c.ID]
			if !ok {
				i = len(out)
				index[c.ID] = i
				out = append(out, UnreadChat{Chat: c.chat()})
			}
			for _, m := range c.Msgs {
				out[i].Messages = append(out[i].Messages, m.message())
			}
		}
		if batch.Next == nil {
			return out, nil
		}
		if *batch.Next == at {
			return nil, fmt.Errorf("page call unread: no progress past chat %s", at.Chat)
		}
		at = *batch.Next
	}
}

func (p *chromePage) MarkRead(ctx context.Context, chatID string) error {
	return p.call(ctx, nil, "markRead", chatID)
}

func (p *chromePage) SendText(ctx context.Context, chatID, msgID, body, quote string) (Message, error) {
	var m bridgeMsg
	if err := p.call(ctx, &m, "send", chatID, msgID, body, quote); err != nil {
		return Message{}, err
	}
	return m.message(), nil
}

func (p *chromePage) FindMessage(ctx context.Context, chatID, msgID string) (Message, bool, error) {
	return p.lookup(ctx, "find", chatID, msgID)
}

func (p *chromePage) ChatMessage(ctx context.Context, chatID, msgID string) (Message, bool, error) {
	return p.lookup(ctx, "message", chatID, msgID)
}

// lookup calls a bridge function that answers one message or null.
func (p *chromePage) lookup(ctx context.Context, fn, chatID, msgID string) (Message, bool, error) {
	var m *bridgeMsg
	if err := p.call(ctx, &m, fn, chatID, msgID); err != nil {
		return Message{}, false, err
	}
	if m == nil {
		return Message{}, false, nil
	}
	return m.message(), true, nil
}
