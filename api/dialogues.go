package api

import (
	"bytes"
	"context"
	_ "embed"
	"html/template"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// dialogueRoutes registers dialogues, their transitions, attendance and minutes.
func (s *Server) dialogueRoutes(authed *gin.RouterGroup) {
	authed.GET("/dialogues", s.listDialogues)
	authed.POST("/dialogues", s.createDialogue)
	authed.GET("/dialogues/:id", s.getDialogue)
	authed.PATCH("/dialogues/:id", s.updateDialogue)
	authed.POST("/dialogues/:id/transitions", s.transitionDialogue)
	authed.GET("/dialogues/:id/events", s.dialogueEvents)
	authed.GET("/dialogues/:id/attendance", s.getAttendance)
	authed.PUT("/dialogues/:id/attendance", s.recordAttendance)
	authed.GET("/dialogues/:id/minutes", s.dialogueMinutes)
}

func (s *Server) createDialogue(c *gin.Context) {
	var in models.DialogueInput
	if !s.bind(c, &in) {
		return
	}
	ctx, a := c.Request.Context(), actor(c)
	id, replayed, err := s.store.Idempotent(ctx, a, c.GetHeader("Idempotency-Key"), "dialogues.create", in, func(ctx context.Context) (int64, error) {
		d, err := s.store.CreateDialogue(ctx, a, in)
		if err != nil {
			return 0, err
		}
		return d.ID, nil
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	d, err := s.store.Dialogue(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(status, d)
}

func (s *Server) listDialogues(c *gin.Context) {
	p, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.Dialogues(c.Request.Context(), actor(c), models.DialogueFilter{
		CommuneID: c.Query("commune_id"), HamletID: c.Query("hamlet_id"), Status: models.DialogueStatus(c.Query("status")),
		From: c.Query("from"), To: c.Query("to"), MinutesOverdue: c.Query("minutes_overdue"), Page: p})
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}

func (s *Server) getDialogue(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	d, err := s.store.Dialogue(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) updateDialogue(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.DialoguePatch
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	d, err := s.store.UpdateDialogue(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) transitionDialogue(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.DialogueTransition
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	d, err := s.store.TransitionDialogue(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

func (s *Server) dialogueEvents(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	p, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.DialogueEvents(c.Request.Context(), actor(c), id, p)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}

func (s *Server) recordAttendance(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.AttendanceInput
	if !s.bind(c, &in) {
		return
	}
	a, replayed, err := s.store.RecordAttendance(c.Request.Context(), actor(c), id, c.GetHeader("Idempotency-Key"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	if replayed {
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) getAttendance(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	a, err := s.store.DialogueAttendance(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

// minutesHTML is the printable minutes (biên bản) of a dialogue, A4, Vietnamese administrative format.
//
//go:embed minutes.html
var minutesHTML string

var minutesTemplate = template.Must(template.New("minutes").Funcs(template.FuncMap{
	"inc": func(i int) int { return i + 1 },
}).Parse(minutesHTML))

// minutesPolicy lets the minutes page use its own inline style and nothing else: no script,
// no image, no request anywhere.
const minutesPolicy = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'self'"

// minutesPage is the minutes with the QR code of the commune's public board.
type minutesPage struct {
	*models.Minutes
	QR template.HTML
}

func (s *Server) dialogueMinutes(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	m, err := s.store.DialogueMinutes(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	qr, err := qrSVG(s.store.CommuneLink(m.Dialogue.CommuneID), 25)
	if err != nil {
		s.fail(c, err)
		return
	}
	var page bytes.Buffer
	if err := minutesTemplate.Execute(&page, minutesPage{Minutes: m, QR: qr}); err != nil {
		s.fail(c, err)
		return
	}
	printable(c, page.Bytes())
}
