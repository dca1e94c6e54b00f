package simweb

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Socket states of the page (WAWebSocketModel.Socket.state) that the server
// drives; the rest of WhatsApp's enum never happens here.
const (
	stOpening    = "OPENING"
	stUnpaired   = "UNPAIRED"
	stIdle       = "UNPAIRED_IDLE"
	stPairing    = "PAIRING"
	stConnected  = "CONNECTED"
	stConflict   = "CONFLICT"
	stUnlaunched = "UNLAUNCHED"
)

// platformChrome is WAWebCompanionRegClientUtils.DEVICE_PLATFORM for Chrome.
const platformChrome = "1"

// account is one phone number and everything WhatsApp keeps for it.
type account struct {
	Phone  string            `json:"phone"`
	LID    string            `json:"lid"`
	Tokens map[string]string `json:"tokens"` // token -> device id
	Chats  []*chat           `json:"chats"`
	Msgs   []*message        `json:"messages"` // in arrival order
	Sent   []SentMessage     `json:"sent"`
	Reads  []ReadMark        `json:"reads,omitempty"` // chats marked read, in order
	// Contacts maps the phone-number user of each contact WhatsApp has
	// moved to LID addressing to its LID user (builds with LID).
	Contacts map[string]string `json:"contacts,omitempty"`
	// People are the names the account knows for other users, by id.
	People map[string]person `json:"people,omitempty"`

	chatIdx   map[string]*chat
	msgIdx    map[string]*message
	dropUntil time.Time
}

type chat struct {
	ID      string `json:"id"`
	PN      string `json:"pn,omitempty"` // the phone-number twin of a LID chat
	Name    string `json:"name"`
	IsGroup bool   `json:"isGroup"`
	LIDMode bool   `json:"isLidAddressingMode,omitempty"` // a group that addresses members by LID
	// Ephemeral is the chat's disappearing-message timer in seconds.
	Ephemeral int   `json:"ephemeralDuration,omitempty"`
	Unread    int   `json:"unreadCount"`
	T         int64 `json:"t"`
	// MuteExpiration is when the mute ends, unix seconds; -1 is muted
	// for ever, 0 not muted.
	MuteExpiration int64 `json:"muteExpiration,omitempty"`
	Archive        bool  `json:"archive,omitempty"`
	// Participants are a group's members' ids.
	Participants []string `json:"participants,omitempty"`
}

// person is what the account knows of another user: the name of its
// address book and the name the user gave itself (push name).
type person struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Pushname string `json:"pushname,omitempty"`
}

type message struct {
	ID     string `json:"id"` // raw id, e.g. 3EB0… or 3A…
	FromMe bool   `json:"fromMe"`
	Remote string `json:"remote"` // chat id
	Author string `json:"author,omitempty"`
	Body   string `json:"body"`
	T      int64  `json:"t"` // unix seconds
	Ack    int    `json:"ack"`
	// Type is WhatsApp's message type: "chat" (when empty), "image" or
	// "notification_template"; Caption goes with media, whose body is a
	// thumbnail.
	Type    string `json:"type,omitempty"`
	Caption string `json:"caption,omitempty"`
	// Sealed messages reach a device first as a "ciphertext" placeholder.
	Sealed bool `json:"-"`
	// Fields are the type's own attributes, named and typed as the page's
	// msg model has them (mimetype, size, lat, pollName, subtype,
	// quotedStanzaID, mentionedJidList, latestEditMsgKey, …).
	Fields map[string]any `json:"fields,omitempty"`
	// Reactions and Votes are what people answered to it, one each per
	// sender.
	Reactions []reaction `json:"reactions,omitempty"`
	Votes     []vote     `json:"votes,omitempty"`
}

// reaction is one sender's reaction, as the page's reaction table rows
// have it.
type reaction struct {
	ID     string `json:"id"` // the reaction message's own raw id
	Sender string `json:"sender"`
	Emoji  string `json:"reactionText"`
	T      int64  `json:"reactionTimestamp"` // unix milliseconds
	FromMe bool   `json:"fromMe,omitempty"`
}

// vote is one sender's poll vote: the localIds of the options picked.
type vote struct {
	ID      string `json:"id"`
	Sender  string `json:"sender"`
	Options []int  `json:"selectedOptionLocalIds"`
	T       int64  `json:"senderTimestampMs"`
}

// inboundKinds are the kinds of message /sim/inbound makes.
var inboundKinds = []string{"chat", "ciphertext", "image", "notification"}

// placeholder is what a device gets before it can decrypt m.
func (m *message) placeholder() *message {
	p := *m
	p.Type, p.Body, p.Caption, p.Fields, p.Reactions, p.Votes = "ciphertext", "", "", nil, nil, nil
	return &p
}

// key is the message's serialized MsgKey: fromMe_remote_id[_participant].
func (m *message) key() string {
	k := fmt.Sprintf("%t_%s_%s", m.FromMe, m.Remote, m.ID)
	if isGroupID(m.Remote) && m.Author != "" {
		k += "_" + m.Author
	}
	return k
}

// device is one browser profile.
type device struct {
	ID       string   `json:"id"`
	Noise    string   `json:"noiseKey"`
	Identity string   `json:"identityKey"`
	ADV      string   `json:"advSecret"`
	Phone    string   `json:"phone,omitempty"` // set while paired
	Token    string   `json:"token,omitempty"`
	Pending  []string `json:"pending,omitempty"` // message ids it has not received yet

	state       string
	gen         int // bumped to void the timers of an earlier phase
	refs        []string
	refIdx      int
	refTimer    *time.Timer
	link        *linkCode
	stream      *stream
	live        bool // the page is synced and takes messages
	conflict    bool
	byCode      bool // linking by code: no QR code pairs (builds that rotate the ADV secret)
	pendingAcks map[string]bool
}

type linkCode struct {
	code, phone string
	expires     time.Time
}

// payload is what the device's QR code encodes now, or "".
func (d *device) payload() string {
	if d.state != stUnpaired || d.refIdx >= len(d.refs) || d.byCode {
		return ""
	}
	return d.refs[d.refIdx] + "," + d.Noise + "," + d.Identity + "," + d.ADV + "," + platformChrome
}

// liveLink returns the device's link code if it has not expired.
func (d *device) liveLink(now time.Time) *linkCode {
	if d.link == nil || now.After(d.link.expires) {
		return nil
	}
	return d.link
}

func newAccount(phone string) *account {
	return &account{Phone: phone, LID: newLID(), Tokens: map[string]string{},
		chatIdx: map[string]*chat{}, msgIdx: map[string]*message{}}
}

// index rebuilds the lookup maps after loading.
func (a *account) index() {
	a.chatIdx, a.msgIdx = map[string]*chat{}, map[string]*message{}
	if a.Tokens == nil {
		a.Tokens = map[string]string{}
	}
	for _, c := range a.Chats {
		a.chatIdx[c.ID] = c
	}
	for _, m := range a.Msgs {
		a.msgIdx[m.ID] = m
	}
}

// ensureChat returns the chat with this id, creating it with a name like
// WhatsApp shows for an unknown number.
func (a *account) ensureChat(id string) (*chat, bool) {
	if c := a.chatIdx[id]; c != nil {
		return c, false
	}
	name := "+" + userOf(id)
	if isGroupID(id) {
		name = "Group " + userOf(id)
	}
	c := &chat{ID: id, Name: name, IsGroup: isGroupID(id)}
	a.Chats = append(a.Chats, c)
	a.chatIdx[id] = c
	return c, true
}

// lidOf returns the LID chat id of a phone-number id the account knows as
// migrated, or "".
func (a *account) lidOf(id string) string {
	if l := a.Contacts[userOf(id)]; l != "" && strings.HasSuffix(id, "@c.us") {
		return l + "@lid"
	}
	return ""
}

// migrate gives a phone-number contact its LID and moves its chat there,
// as WhatsApp's LID migration does.
func (a *account) migrate(id string) string {
	if !strings.HasSuffix(id, "@c.us") {
		return id
	}
	if a.Contacts == nil {
		a.Contacts = map[string]string{}
	}
	if a.Contacts[userOf(id)] == "" {
		a.Contacts[userOf(id)] = newLID()
	}
	lid := a.lidOf(id)
	if c := a.chatIdx[id]; c != nil {
		delete(a.chatIdx, id)
		c.ID, c.PN = lid, id
		a.chatIdx[lid] = c
		for _, m := range a.Msgs {
			if m.Remote == id {
				m.Remote = lid
			}
		}
	}
	return lid
}

// moveToLID is the LID migration of a seeded account: every contact gets
// its LID chat and every group addresses its members by LID.
func (a *account) moveToLID() {
	for _, c := range slices.Clone(a.Chats) {
		if c.IsGroup {
			c.LIDMode = true
			for _, m := range a.Msgs {
				if m.Remote == c.ID && m.Author != "" {
					m.Author = a.migrate(m.Author)
				}
			}
			continue
		}
		a.migrate(c.ID)
	}
}

// addMsg stores a message; a message with the same id is updated in place.
func (a *account) addMsg(m *message) *message {
	if old := a.msgIdx[m.ID]; old != nil {
		old.Body, old.T, old.Ack = m.Body, m.T, m.Ack
		return old
	}
	a.Msgs = append(a.Msgs, m)
	a.msgIdx[m.ID] = m
	if c := a.chatIdx[m.Remote]; c != nil && m.T > c.T {
		c.T = m.T
	}
	return m
}

func (a *account) dropped(now time.Time) bool { return now.Before(a.dropUntil) }

// seed gives a new account three chats, so a demo has something to show.
func (a *account) seed(now time.Time) {
	at := func(ago time.Duration) int64 { return now.Add(-ago).Unix() }
	me := a.Phone + "@c.us"
	chats := []struct {
		id, name string
		msgs     []message
	}{
		{"15550100001@c.us", "Alice Martin", []message{
			{Body: "Hi! Is the order ready?", T: at(3 * time.Hour)},
			{FromMe: true, Body: "Yes, it ships today.", T: at(170 * time.Minute)},
			{Body: "Great, thanks 🙏", T: at(165 * time.Minute)},
		}},
		{"15550100002@c.us", "Bruno Costa", []message{
			{Body: "Can we move the call to 4 pm?", T: at(2 * time.Hour)},
			{FromMe: true, Body: "Sure, 4 pm works.", T: at(110 * time.Minute)},
		}},
		{"120363025550100003@g.us", "Night shift", []message{
			{Author: "15550100001@c.us", Body: "Handover notes are in the drive.", T: at(50 * time.Minute)},
			{Author: "15550100002@c.us", Body: "Thanks, reading them now.", T: at(45 * time.Minute)},
			{FromMe: true, Author: me, Body: "All quiet here.", T: at(30 * time.Minute)},
		}},
	}
	for _, sc := range chats {
		c, _ := a.ensureChat(sc.id)
		c.Name = sc.name
		for _, m := range sc.msgs {
			m.Remote = sc.id
			m.ID = newInboundID()
			if m.FromMe {
				m.ID, m.Ack = newWebID(), 3
			}
			a.addMsg(&m)
		}
	}
}
