package api

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/waconsole/waconsole/session"
)

// search finds a session's captured messages holding every word of q.
func (s *server) search(w http.ResponseWriter, r *http.Request) {
	limit, ok := intParam(w, r, "limit", 0)
	if !ok {
		return
	}
	q := r.URL.Query()
	hits, err := s.b.Search(r.PathValue("id"), session.SearchQuery{Text: q.Get("q"), Chat: q.Get("chat"), Limit: limit})
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, SearchList{Hits: convert(hits, fromSearchHit)})
}

// Search finds a session's captured messages holding every word of text,
// newest first: of one chat when chat is set, at most limit (0: the
// server's default).
func (c *Client) Search(ctx context.Context, id, text, chat string, limit int) ([]SearchHit, error) {
	q := url.Values{"q": {text}}
	if chat != "" {
		q.Set("chat", chat)
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	var out SearchList
	return out.Hits, c.do(ctx, "GET", sessionPath(id, "search")+"?"+q.Encode(), nil, &out)
}
