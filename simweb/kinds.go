package simweb

import (
	"cmp"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
)

// mediaKinds carry a file the page downloads only when asked; their
// download secrets (mediaKey, directPath) stay in the page.
var mediaKinds = []string{"image", "video", "audio", "ptt", "document", "sticker"}

// noticeKinds are the types the page marks isNotification.
var noticeKinds = []string{"gp2", "notification", "notification_template", "e2e_notification", "broadcast_notification", "call_log"}

// defaultMimetype is what each media type carries unless told otherwise.
var defaultMimetype = map[string]string{
	"image": "image/jpeg", "video": "video/mp4", "audio": "audio/mpeg", "ptt": "audio/ogg; codecs=opus",
	"document": "application/pdf", "sticker": "image/webp",
}

// typeRe is what a message type looks like; types the stand-in does not
// model are delivered as they are, for clients to show as unknown.
var typeRe = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// Card is one contact card of a vcard or multi_vcard message.
type Card struct {
	Name   string `json:"name"`
	Number string `json:"number"` // digits
}

// PollSpec is the question and options of a poll_creation message.
type PollSpec struct {
	Name     string   `json:"name"`
	Options  []string `json:"options"`
	Multiple bool     `json:"multiple"` // voters may pick more than one
}

// MessageSpec is one message the phone API delivers to the account: its
// type and that type's fields. See POST /sim/message.
type MessageSpec struct {
	Phone  string `json:"phone"`
	From   string `json:"from"`   // the chat: digits, or an id ending in @c.us, @g.us or @lid
	Author string `json:"author"` // who wrote it, in a group (default the seeded Alice)
	Type   string `json:"type"`   // "" is "chat"
	Body   string `json:"body"`   // text; a notification's text; a revoked message has none
	// Caption goes with image, video and document.
	Caption  string    `json:"caption"`
	Mimetype string    `json:"mimetype"`
	Size     int64     `json:"size"`
	Duration int       `json:"duration"` // seconds: video, audio, ptt
	Filename string    `json:"filename"` // document
	Pages    int       `json:"pageCount"`
	Width    int       `json:"width"`
	Height   int       `json:"height"`
	Lat      float64   `json:"lat"`
	Lng      float64   `json:"lng"`
	Name     string    `json:"name"`    // a location's name
	Address  string    `json:"address"` // a location's address
	Contacts []Card    `json:"contacts"`
	Poll     *PollSpec `json:"poll"`
	// Subtype refines notifications: gp2 add, remove, leave, subject…
	Subtype    string   `json:"subtype"`
	Recipients []string `json:"recipients"` // who a gp2 add/remove/leave is about
	// Quote is the raw id of a message of the same chat this one replies to.
	Quote    string   `json:"quote"`
	Mentions []string `json:"mentions"`
}

// compose checks spec and builds its message for chat c (author already
// resolved); ids are normalized by the caller.
func (a *account) compose(c *chat, author string, spec MessageSpec) (*message, error) {
	typ := spec.Type
	if typ == "" {
		typ = "chat"
	}
	if !typeRe.MatchString(typ) {
		return nil, errorf(http.StatusBadRequest, "type %q must be lower-case letters, digits and _", spec.Type)
	}
	m := &message{ID: newInboundID(), Remote: c.ID, Author: author, Type: typ, Fields: map[string]any{}}
	if typ == "chat" {
		m.Type = ""
	}
	f := m.Fields
	switch {
	case typ == "chat":
		if spec.Body == "" {
			return nil, errorf(http.StatusBadRequest, "a chat message needs a body")
		}
		m.Body = spec.Body
	case slices.Contains(mediaKinds, typ):
		if spec.Size < 0 || spec.Duration < 0 || spec.Pages < 0 || spec.Width < 0 || spec.Height < 0 {
			return nil, errorf(http.StatusBadRequest, "size, duration, pageCount, width and height must not be negative")
		}
		f["mimetype"] = cmp.Or(spec.Mimetype, defaultMimetype[typ])
		f["size"] = spec.Size
		switch typ {
		case "image", "video", "document":
			m.Caption = spec.Caption
			m.Body = thumbnail
		}
		switch typ {
		case "video", "audio", "ptt":
			f["duration"] = spec.Duration
		}
		switch typ {
		case "image", "video", "sticker":
			f["width"], f["height"] = spec.Width, spec.Height
		}
		if typ == "document" {
			f["filename"], f["pageCount"] = spec.Filename, spec.Pages
		}
		if typ == "sticker" {
			f["isAnimated"] = false
		}
	case typ == "location":
		if spec.Lat < -90 || spec.Lat > 90 || spec.Lng < -180 || spec.Lng > 180 {
			return nil, errorf(http.StatusBadRequest, "lat must be within -90..90 and lng within -180..180")
		}
		f["lat"], f["lng"] = spec.Lat, spec.Lng
		if spec.Name != "" || spec.Address != "" {
			// The page keeps a pin's name and address as one string.
			f["loc"] = spec.Name + "\n" + spec.Address
		}
		m.Body = thumbnail
	case typ == "vcard", typ == "multi_vcard":
		if err := checkCards(typ, spec.Contacts); err != nil {
			return nil, err
		}
		if typ == "vcard" {
			m.Body = vcardOf(spec.Contacts[0])
			f["vcardFormattedName"] = spec.Contacts[0].Name
			break
		}
		list := make([]map[string]string, len(spec.Contacts))
		for i, card := range spec.Contacts {
			list[i] = map[string]string{"displayName": card.Name, "vcard": vcardOf(card)}
		}
		f["vcardList"] = list
	case typ == "poll_creation":
		p := spec.Poll
		if p == nil || p.Name == "" || len(p.Options) < 2 || len(p.Options) > 12 || slices.Contains(p.Options, "") {
			return nil, errorf(http.StatusBadRequest, "a poll needs a name and 2 to 12 non-empty options")
		}
		opts := make([]map[string]any, len(p.Options))
		for i, o := range p.Options {
			opts[i] = map[string]any{"name": o, "localId": i}
		}
		f["pollName"], f["pollOptions"] = p.Name, opts
		// 0: any number of options; 1: exactly one.
		f["pollSelectableOptionsCount"] = 1
		if p.Multiple {
			f["pollSelectableOptionsCount"] = 0
		}
	case typ == "revoked":
		f["subtype"] = "sender_revoke"
	default:
		// Notifications and types the stand-in does not model.
		m.Body = spec.Body
		if spec.Subtype != "" {
			f["subtype"] = spec.Subtype
		}
		if len(spec.Recipients) > 0 {
			ids := make([]string, len(spec.Recipients))
			for i, r := range spec.Recipients {
				id, ok := normChatID(r)
				if !ok || isGroupID(id) {
					return nil, errorf(http.StatusBadRequest, "recipient %q is not a user id", r)
				}
				ids[i] = id
			}
			f["recipients"] = ids
		}
	}
	if err := a.quote(m, spec.Quote); err != nil {
		return nil, err
	}
	if len(spec.Mentions) > 0 {
		ids := make([]string, len(spec.Mentions))
		for i, r := range spec.Mentions {
			id, ok := normChatID(r)
			if !ok || isGroupID(id) {
				return nil, errorf(http.StatusBadRequest, "mention %q is not a user id", r)
			}
			ids[i] = id
		}
		f["mentionedJidList"] = ids
	}
	if len(f) == 0 {
		m.Fields = nil
	}
	return m, nil
}

// quote makes m a reply to the message with raw id quoted in m's chat, as
// the page keeps a reply: the quoted message's id, author and content.
func (a *account) quote(m *message, quoted string) error {
	if quoted == "" {
		return nil
	}
	q := a.msgIdx[quoted]
	if q == nil || q.Remote != m.Remote {
		return errorf(http.StatusNotFound, "chat %s has no message %s to quote", m.Remote, quoted)
	}
	if m.Fields == nil {
		m.Fields = map[string]any{}
	}
	m.Fields["quotedStanzaID"] = q.ID
	m.Fields["quotedParticipant"] = a.sender(q)
	m.Fields["quotedMsg"] = quotedContent(q)
	return nil
}

// quoteOf is the reply a sent message carries: the quoted message's id
// and sender as the page sent them, and its content where the server has
// it; nil for a message that quotes none.
func (a *account) quoteOf(req devReq) map[string]any {
	if req.QuotedID == "" {
		return nil
	}
	f := map[string]any{"quotedStanzaID": req.QuotedID, "quotedParticipant": req.QuotedParticipant}
	if q := a.msgIdx[req.QuotedID]; q != nil {
		f["quotedMsg"] = quotedContent(q)
	}
	return f
}

// quotedContent is what a reply keeps of the message it quotes.
func quotedContent(q *message) map[string]any {
	return map[string]any{"type": cmp.Or(q.Type, "chat"), "body": q.Body, "caption": q.Caption}
}

// sender is who wrote m: its author in a group, else the chat or us.
func (a *account) sender(m *message) string {
	switch {
	case m.Author != "":
		return m.Author
	case m.FromMe:
		return a.Phone + "@c.us"
	}
	return m.Remote
}

func checkCards(typ string, cards []Card) error {
	switch {
	case typ == "vcard" && len(cards) != 1:
		return errorf(http.StatusBadRequest, "a vcard message holds exactly one contact; use multi_vcard for more")
	case typ == "multi_vcard" && (len(cards) < 2 || len(cards) > 50):
		return errorf(http.StatusBadRequest, "a multi_vcard message holds 2 to 50 contacts")
	}
	for _, c := range cards {
		if c.Name == "" || !phoneRe.MatchString(c.Number) {
			return errorf(http.StatusBadRequest, "contact %q needs a name and a number in digits", c.Name)
		}
	}
	return nil
}

// vcardOf is the vCard WhatsApp writes for a shared contact.
func vcardOf(c Card) string {
	name := strings.NewReplacer("\n", " ", "\r", " ").Replace(c.Name)
	return fmt.Sprintf("BEGIN:VCARD\nVERSION:3.0\nFN:%s\nTEL;type=CELL;waid=%s:+%s\nEND:VCARD", name, c.Number, c.Number)
}
