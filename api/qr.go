package api

import (
	"bytes"
	_ "embed" // the receipt's template
	"fmt"
	"html/template"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/papi-dialogue/papi/models"
)

// qrSVG draws a QR code of text as inline SVG, so printed pages carry it without loading an
// image (their Content-Security-Policy allows none). One path of unit squares, scaled to size.
func qrSVG(text string, sizeMM int) (template.HTML, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap()
	n := len(bits)
	var path strings.Builder
	for y, row := range bits {
		for x, on := range row {
			if on {
				fmt.Fprintf(&path, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	return template.HTML(fmt.Sprintf(`<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" width="%dmm" height="%dmm" role="img" aria-label="%s">`+
		`<rect width="%d" height="%d" fill="#fff"/><path d="%s" fill="#000"/></svg>`,
		n, n, sizeMM, sizeMM, template.HTMLEscapeString(text), n, n, path.String())), nil
}

// receiptHTML is the intake receipt of a petition, A5.
//
//go:embed receipt.html
var receiptHTML string

var receiptTemplate = template.Must(template.New("receipt").Parse(receiptHTML))

// receiptPage is the receipt with the QR code of the petition's public page.
type receiptPage struct {
	*models.Receipt
	QR template.HTML
}

// petitionReceipt prints the intake receipt, under the same policy as the minutes: inline
// style, no script, no image to load.
func (s *Server) petitionReceipt(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	r, err := s.store.PetitionReceipt(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	page := receiptPage{Receipt: r}
	if r.Link != "" {
		if page.QR, err = qrSVG(r.Link, 30); err != nil {
			s.fail(c, err)
			return
		}
	}
	var out bytes.Buffer
	if err := receiptTemplate.Execute(&out, page); err != nil {
		s.fail(c, err)
		return
	}
	printable(c, out.Bytes())
}

// printable answers a page made for printing: its own inline style, nothing else.
func printable(c *gin.Context, page []byte) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", minutesPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
}
