package session

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"time"
)

// bridgeJS is injected into every document of a session's tab.
//
//go:embed bridge.js
var bridgeJS string

// bindingName is the one CDP binding the bridge reports through.
const bindingName = "__waconsole"

// maxBatch bounds what one binding call may carry, so a hostile or broken
// page cannot make the driver allocate without limit.
const maxBatch = 4 << 20

type bridgeEvent struct {
	T       string     `json:"t"`
	State   string     `json:"state"`
	Stream  string     `json:"stream"`
	Synced  bool       `json:"synced"`
	Me      string     `json:"me"`
	Version string     `json:"version"`
	QR      string     `json:"qr"`
	Code    string     `json:"code"`
	Reason  string     `json:"reason"`
	Msg     *bridgeMsg `json:"msg"`
}

type bridgeMsg struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Chat   string `json:"chat"`
	FromMe bool   `json:"fromMe"`
	Author string `json:"author"`
	Body   string `json:"body"`
	T      int64  `json:"t"`
	Ack    int    `json:"ack"`
	New    bool   `json:"new"`
	// What the inbound filters look at.
	Type     string   `json:"type"`
	Media    bool     `json:"media"`
	Notice   bool     `json:"notice"`
	Mentions []string `json:"mentions"`

	AuthorName string         `json:"authorName"`
	Subtype    string         `json:"subtype"`
	Edited     int64          `json:"edited"` // unix milliseconds
	Revoked    bool           `json:"revoked"`
	File       *FileInfo      `json:"file"`
	Location   *Location      `json:"location"`
	Contacts   []ContactCard  `json:"contacts"`
	Quoted     *QuotedMessage `json:"quoted"`
	Reactions  []struct {
		Emoji  string `json:"emoji"`
		Sender string `json:"sender"`
		FromMe bool   `json:"fromMe"`
		T      int64  `json:"t"` // unix seconds
	} `json:"reactions"`
	Poll *Poll          `json:"poll"`
	Raw  map[string]any `json:"raw"`
}

func (m bridgeMsg) message() Message {
	msg := Message{ID: m.ID, Key: m.Key, Chat: m.Chat, FromMe: m.FromMe, Author: m.Author,
		Body: m.Body, Time: unixOrZero(m.T), Ack: Ack(m.Ack), New: m.New,
		Type: m.Type, Media: m.Media, Notice: m.Notice, Mentions: m.Mentions,
		AuthorName: m.AuthorName, Subtype: m.Subtype, Revoked: m.Revoked,
		File: m.File, Location: m.Location, Contacts: m.Contacts, Quoted: m.Quoted, Poll: m.Poll, Raw: m.Raw}
	if m.Edited > 0 {
		msg.Edited = time.UnixMilli(m.Edited)
	}
	for _, r := range m.Reactions {
		msg.Reactions = append(msg.Reactions, Reaction{Emoji: r.Emoji, Sender: r.Sender, FromMe: r.FromMe, Time: unixOrZero(r.T)})
	}
	return msg
}

// unixOrZero is the time of unix seconds, zero for none.
func unixOrZero(sec int64) time.Time {
	if sec <= 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// parseBatch decodes one binding payload: a JSON array of bridge events.
// Unknown kinds are dropped: a newer bridge must not break an older driver.
func parseBatch(payload string) ([]PageEvent, error) {
	if len(payload) > maxBatch {
		return nil, fmt.Errorf("bridge batch of %d bytes is over the %d byte limit", len(payload), maxBatch)
	}
	var raw []bridgeEvent
	if err := json.Unmarshal([]byte(payload), &raw); err != nil {
		return nil, fmt.Errorf("bridge sent a malformed batch: %w", err)
	}
	out := make([]PageEvent, 0, len(raw))
	for _, e := range raw {
		ev := PageEvent{Kind: e.T, State: e.State, Stream: e.Stream, Synced: e.Synced, Me: e.Me,
			Version: e.Version, QR: e.QR, Code: e.Code, Reason: e.Reason}
		switch e.T {
		case EvBoot, EvState, EvQR, EvCode, EvLogout, EvError:
		case EvMessage, EvAck, EvChange:
			if e.Msg == nil || e.Msg.ID == "" {
				continue
			}
			m := e.Msg.message()
			ev.Message = &m
		default:
			continue
		}
		out = append(out, ev)
	}
	return out, nil
}
