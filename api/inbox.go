package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/waconsole/waconsole/session"
)

// Inbox answers: the newest this many unless limit says otherwise, and
// never more than maxInbox.
const (
	defaultInbox = 100
	maxInbox     = 10000
)

// ParseSince reads when a listing starts: a duration back from now such as
// "2h", or an RFC 3339 time; "" is the beginning.
func ParseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil {
		if d < 0 {
			return time.Time{}, fmt.Errorf("since %q is negative: give how long back, such as 2h", s)
		}
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("since %q is neither a duration such as 2h nor an RFC 3339 time such as 2026-11-30T08:00:00Z", s)
	}
	return t, nil
}

// inbox lists a session's captured inbound messages, oldest first.
func (s *server) inbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, ok := intParam(w, r, "limit", defaultInbox)
	if !ok {
		return
	}
	if limit == 0 || limit > maxInbox {
		limit = maxInbox
	}
	since, err := ParseSince(q.Get("since"), time.Now())
	if err != nil {
		writeError(w, http.StatusBadRequest, CodeBadRequest, err.Error())
		return
	}
	chat := q.Get("chat")
	if chat != "" {
		if chat, _, err = session.ParseChatID(chat); err != nil {
			fail(w, err)
			return
		}
	}
	msgs, err := s.b.Inbox(r.PathValue("id"), session.InboxQuery{Chat: chat, Since: since, Limit: limit})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, InboxList{Messages: convert(msgs, fromInbound)})
}

// Inbox returns a session's captured inbound messages: of one chat when
// chat is set, since a duration back or an RFC 3339 time when since is,
// the newest limit of them (0: the server's default).
func (c *Client) Inbox(ctx context.Context, id, chat, since string, limit int) ([]InboundMessage, error) {
	q := url.Values{}
	for k, v := range map[string]string{"chat": chat, "since": since} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := sessionPath(id, "inbox")
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out InboxList
	return out.Messages, c.do(ctx, "GET", path, nil, &out)
}
