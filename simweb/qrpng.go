package simweb

import (
	"net/http"

	"rsc.io/qr"
)

// serveQR renders ?d= as a QR code PNG with its quiet zone, for the page's
// canvas.
func serveQR(w http.ResponseWriter, r *http.Request) {
	d := r.URL.Query().Get("d")
	if d == "" || len(d) > 1024 {
		writeErr(w, errorf(http.StatusBadRequest, "d must hold the payload to render"))
		return
	}
	code, err := qr.Encode(d, qr.L)
	if err != nil {
		writeErr(w, errorf(http.StatusBadRequest, "cannot encode: %v", err))
		return
	}
	code.Scale = 4
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(code.PNG())
}
