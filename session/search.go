package session

// SearchQuery looks for text in the stored messages of a session.
type SearchQuery struct {
	Text  string // matched case-insensitively against bodies and captions
	Chat  string // this chat only (or its twin); "" for every chat
	Limit int    // the newest this many; 0 for a default
}

// SearchHit is one stored message that matches.
type SearchHit struct {
	Message InboundMessage `json:"message"`
	// ChatName is the chat's name as the account knows it, when known.
	ChatName string `json:"chatName,omitempty"`
}
