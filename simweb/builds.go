package simweb

import (
	"fmt"
	"strings"
)

// Build is one version of WhatsApp Web's page as the stand-in plays it: its
// version string and the behaviours that changed over time. The page reads
// it from the HTML, the server from Options; both hold to it alike.
type Build struct {
	Name    string `json:"name"`
	Version string `json:"version"` // window.Debug.VERSION
	// Summary says in one line what differs from the build before.
	Summary string `json:"-"`

	// StrictMsgKey: new MsgKey throws "unclear which constructor" when
	// given both the {from, to, selfDir} and the {remote, fromMe} forms,
	// and loadEarlierMsgs takes only {chat}, crashing on the chat itself.
	StrictMsgKey bool `json:"strictMsgKey"`
	// KeyLookup: getMessagesById matches the whole serialized key, not the
	// bare message id.
	KeyLookup bool `json:"keyLookup"`
	// OwnQueue: addAndSendMsgToChat refuses a key the page already holds,
	// resolves to [added, result] as a promise, and keeps a message the
	// server has not accepted yet in IndexedDB, sending it again by itself
	// after a reload or a reconnect.
	OwnQueue bool `json:"ownQueue"`
	// LID: contacts are moved to LID chats once WhatsApp knows their LID
	// (queryWidExists learns it); findOrCreateLatestChat hands back a plain
	// object with the LID chat's id, or throws "No LID for user"; groups
	// address members by LID, and a send to one must come from our LID.
	LID bool `json:"lid"`
	// QRRefresh is how the page is asked for fresh QR codes: "cmd" is
	// Cmd.refreshQR(), "eventBus" is
	// WAWebBackendEventBus.BackendEventBus.triggerRefreshQR(). The button
	// in [data-ref] works in every build.
	QRRefresh string `json:"qrRefresh"`
	// ADVRotates: the page makes a new ADV secret whenever the pairing
	// method is set up (initializeQRLinking, initializeAltDeviceLinking)
	// and on a companion_reg_refresh notification, announced on
	// WAWebUserPrefsMultiDevice.advSecretEventEmitter "change" without a
	// new ref; getADVSecretKey() is null while linking by code.
	ADVRotates bool `json:"advRotates"`
	// RichInbound: inbound messages may be encrypted placeholders
	// ("ciphertext", turning into their real type later), media with a
	// caption, or notifications (isNotification).
	RichInbound bool `json:"richInbound"`
	// ReceiptAcks: a synced page holds only the newest message of each
	// chat (the rest load when asked for), and the ack of a message it does
	// not hold comes only through the receipt handlers of
	// WAWebHandleSimpleReceipt, never as change:ack.
	ReceiptAcks bool `json:"receiptAcks"`
}

// CurrentBuild names the newest build; it is the default.
const CurrentBuild = "current"

// builds are oldest first; the last one is "current".
var builds = []Build{
	{
		Name: "2026-05", Version: "2.3000.1042630512",
		Summary:   "Cmd.refreshQR, a fixed ADV secret, phone-number chats, messages found by raw id",
		QRRefresh: "cmd",
	},
	{
		Name: "2026-11", Version: "2.3000.1043057296",
		Summary:      "no Cmd.refreshQR; the ADV secret rotates; strict MsgKey and loadEarlierMsgs; getMessagesById by whole key; the page's own send queue, duplicate keys refused; contacts and groups on LID; ciphertext placeholders, media captions, notifications; acks of messages not in memory only as receipts",
		StrictMsgKey: true, KeyLookup: true, OwnQueue: true, LID: true,
		QRRefresh: "eventBus", ADVRotates: true, RichInbound: true, ReceiptAcks: true,
	},
}

// Builds lists the builds the stand-in plays, oldest first.
func Builds() []Build { return append([]Build(nil), builds...) }

// LookupBuild finds a build by name; "" and "current" are the newest.
func LookupBuild(name string) (Build, error) {
	if name == "" || name == CurrentBuild {
		return builds[len(builds)-1], nil
	}
	var names []string
	for _, b := range builds {
		if b.Name == name {
			return b, nil
		}
		names = append(names, b.Name)
	}
	return Build{}, fmt.Errorf("no stand-in build %q: pick one of %s or %s (see --list-builds)", name, strings.Join(names, ", "), CurrentBuild)
}
