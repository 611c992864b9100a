package api

import (
	"bytes"
	"context"
	_ "embed"
	"html/template"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

type dialogueRequest struct {
	CommuneID          int64    `json:"commune_id"`
	HamletIDs          []int64  `json:"hamlet_ids"`
	Title              string   `json:"title"`
	StartsAt           string   `json:"starts_at"`
	EndsAt             *string  `json:"ends_at"`
	Venue              string   `json:"venue"`
	ChairUserID        *int64   `json:"chair_user_id"`
	Agenda             []string `json:"agenda"`
	ExpectedAttendance *int     `json:"expected_attendance"`
	AllowOverlap       bool     `json:"allow_overlap"`
}

func (s *Server) createDialogue(c *gin.Context) {
	var req dialogueRequest
	if !s.bind(c, &req) {
		return
	}
	in := models.DialogueInput{
		CommuneID: req.CommuneID, HamletIDs: req.HamletIDs, Title: req.Title, StartsAt: req.StartsAt, EndsAt: req.EndsAt,
		Venue: req.Venue, ChairUserID: req.ChairUserID, Agenda: req.Agenda, ExpectedAttendance: req.ExpectedAttendance,
		AllowOverlap: req.AllowOverlap}
	ctx, a := c.Request.Context(), actor(c)
	id, replayed, err := s.store.Idempotent(ctx, a, c.GetHeader("Idempotency-Key"), "dialogues.create", func(ctx context.Context) (int64, error) {
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

// queryID reads an optional numeric query parameter; false means it answered 422.
func queryID(c *gin.Context, name string) (*int64, bool) {
	raw := c.Query(name)
	if raw == "" {
		return nil, true
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		abortFields(c, name, models.Msg("Mã số không hợp lệ.", "Not a valid id."))
		return nil, false
	}
	return &id, true
}

func (s *Server) listDialogues(c *gin.Context) {
	p, ok := page(c)
	if !ok {
		return
	}
	communeID, ok := queryID(c, "commune_id")
	if !ok {
		return
	}
	hamletID, ok := queryID(c, "hamlet_id")
	if !ok {
		return
	}
	overdue := false
	switch c.Query("minutes_overdue") {
	case "", "false":
	case "true":
		overdue = true
	default:
		abortFields(c, "minutes_overdue", models.Msg("Chỉ nhận true hoặc false.", "Only true or false."))
		return
	}
	items, next, err := s.store.Dialogues(c.Request.Context(), actor(c), models.DialogueFilter{
		CommuneID: communeID, HamletID: hamletID, Status: models.DialogueStatus(c.Query("status")),
		From: c.Query("from"), To: c.Query("to"), MinutesOverdue: overdue, Page: p})
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

type dialoguePatchRequest struct {
	Title              *string   `json:"title"`
	StartsAt           *string   `json:"starts_at"`
	EndsAt             *string   `json:"ends_at"`
	Venue              *string   `json:"venue"`
	ChairUserID        *int64    `json:"chair_user_id"`
	Agenda             *[]string `json:"agenda"`
	ExpectedAttendance *int      `json:"expected_attendance"`
	HamletIDs          *[]int64  `json:"hamlet_ids"`
	AllowOverlap       bool      `json:"allow_overlap"`
	Version            *int      `json:"version"`
}

func (s *Server) updateDialogue(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req dialoguePatchRequest
	if !s.bind(c, &req) {
		return
	}
	d, err := s.store.UpdateDialogue(c.Request.Context(), actor(c), id, models.DialoguePatch{
		Title: req.Title, StartsAt: req.StartsAt, EndsAt: req.EndsAt, Venue: req.Venue, ChairUserID: req.ChairUserID,
		Agenda: req.Agenda, ExpectedAttendance: req.ExpectedAttendance, HamletIDs: req.HamletIDs,
		AllowOverlap: req.AllowOverlap, Version: ifMatchVersion(c, req.Version)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, d)
}

type transitionRequest struct {
	To           string  `json:"to" binding:"required"`
	NewStartsAt  string  `json:"new_starts_at"`
	NewEndsAt    *string `json:"new_ends_at"`
	Reason       string  `json:"reason"`
	Minutes      string  `json:"minutes"`
	AllowOverlap bool    `json:"allow_overlap"`
	Version      *int    `json:"version"`
}

func (s *Server) transitionDialogue(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req transitionRequest
	if !s.bind(c, &req) {
		return
	}
	d, err := s.store.TransitionDialogue(c.Request.Context(), actor(c), id, models.DialogueTransition{
		To: req.To, NewStartsAt: req.NewStartsAt, NewEndsAt: req.NewEndsAt, Reason: req.Reason, Minutes: req.Minutes,
		AllowOverlap: req.AllowOverlap, Version: ifMatchVersion(c, req.Version)})
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

type attendeeRequest struct {
	Name     string `json:"name"`
	Group    string `json:"group"`
	HamletID *int64 `json:"hamlet_id"`
	Gender   string `json:"gender"`
}

type attendanceRequest struct {
	Residents  *int               `json:"residents"`
	Businesses *int               `json:"businesses"`
	Officials  *int               `json:"officials"`
	Women      *int               `json:"women"`
	Attendees  *[]attendeeRequest `json:"attendees"`
}

func (s *Server) recordAttendance(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req attendanceRequest
	if !s.bind(c, &req) {
		return
	}
	in := models.AttendanceInput{Residents: req.Residents, Businesses: req.Businesses, Officials: req.Officials, Women: req.Women}
	if req.Attendees != nil {
		people := make([]models.AttendeeInput, len(*req.Attendees))
		for i, p := range *req.Attendees {
			people[i] = models.AttendeeInput{Name: p.Name, Group: p.Group, HamletID: p.HamletID, Gender: p.Gender}
		}
		in.Attendees = &people
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
	var page bytes.Buffer
	if err := minutesTemplate.Execute(&page, m); err != nil {
		s.fail(c, err)
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", minutesPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	c.Data(http.StatusOK, "text/html; charset=utf-8", page.Bytes())
}
