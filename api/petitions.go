package api

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

type petitionRequest struct {
	CommuneID    int64      `json:"commune_id" binding:"required"`
	HamletID     int64      `json:"hamlet_id" binding:"required"`
	DialogueID   *int64     `json:"dialogue_id"`
	Channel      string     `json:"channel"`
	Kind         string     `json:"kind" binding:"required"`
	TopicID      *int64     `json:"topic_id"`
	TopicCode    string     `json:"topic_code"`
	Content      string     `json:"content" binding:"required"`
	Name         string     `json:"name"`
	Phone        string     `json:"phone"`
	Address      string     `json:"address"`
	Anonymous    bool       `json:"anonymous"`
	OnsiteAnswer string     `json:"onsite_answer"`
	ReceivedAt   *time.Time `json:"received_at"`
	Private      bool       `json:"private"`
}

func (s *Server) createPetition(c *gin.Context) {
	var req petitionRequest
	if !s.bind(c, &req) {
		return
	}
	ctx, a := c.Request.Context(), actor(c)
	id, replayed, err := s.store.Idempotent(ctx, a, c.GetHeader("Idempotency-Key"), "petitions.create", func(ctx context.Context) (int64, error) {
		p, err := s.store.CreatePetition(ctx, a, models.PetitionInput{
			CommuneID: req.CommuneID, HamletID: req.HamletID, DialogueID: req.DialogueID, Channel: req.Channel,
			Kind: req.Kind, TopicID: req.TopicID, TopicCode: req.TopicCode, Content: req.Content,
			PetitionerName: req.Name, PetitionerPhone: req.Phone, PetitionerAddress: req.Address,
			Anonymous: req.Anonymous, OnsiteAnswer: req.OnsiteAnswer, ReceivedAt: req.ReceivedAt, Private: req.Private})
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	p, err := s.store.Petition(ctx, a, id)
	if err != nil {
		s.fail(c, err)
		return
	}
	status := http.StatusCreated
	if replayed {
		status = http.StatusOK
	}
	c.JSON(status, p)
}

// petitionFilter reads the filters of the petition list; the exports take the same ones.
func petitionFilter(c *gin.Context, pg models.Page) models.PetitionFilter {
	return models.PetitionFilter{
		UnitID: c.Query("unit_id"), CommuneID: c.Query("commune_id"), HamletID: c.Query("hamlet_id"),
		DialogueID: c.Query("dialogue_id"), Topic: c.Query("topic"), Kind: c.Query("kind"),
		State: c.Query("status"), StateType: c.Query("state_type"), Overdue: c.Query("overdue"),
		From: c.Query("from"), To: c.Query("to"), Q: c.Query("q"), Sort: c.Query("sort"), Page: pg}
}

func (s *Server) listPetitions(c *gin.Context) {
	pg, ok := page(c)
	if !ok {
		return
	}
	items, next, err := s.store.Petitions(c.Request.Context(), actor(c), petitionFilter(c, pg))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, next)
}

func (s *Server) getPetition(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	p, err := s.store.Petition(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

// petitionResponsible is a unit id (a number) or the name of an agency (a string).
type petitionResponsible struct {
	UnitID *int64
	Name   string
}

func (r *petitionResponsible) UnmarshalJSON(b []byte) error {
	var id int64
	if err := json.Unmarshal(b, &id); err == nil {
		r.UnitID = &id
		return nil
	}
	return json.Unmarshal(b, &r.Name)
}

type petitionTransitionRequest struct {
	To                string               `json:"to" binding:"required"`
	Version           *int                 `json:"version"`
	Note              string               `json:"note"`
	Responsible       *petitionResponsible `json:"responsible"`
	ResponsibleUnitID *int64               `json:"responsible_unit_id"`
	ResponsibleName   string               `json:"responsible_name"`
	DueOn             string               `json:"due_on"`
	Answer            string               `json:"answer"`
	Reason            string               `json:"reason"`
	DuplicateOf       *int64               `json:"duplicate_of"`
	Satisfaction      string               `json:"satisfaction"`
}

func (s *Server) transitionPetition(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req petitionTransitionRequest
	if !s.bind(c, &req) {
		return
	}
	in := models.TransitionInput{To: req.To, Version: ifMatchVersion(c, req.Version), Note: req.Note,
		ResponsibleUnitID: req.ResponsibleUnitID, ResponsibleName: req.ResponsibleName, DueOn: req.DueOn,
		Answer: req.Answer, Reason: req.Reason, DuplicateOf: req.DuplicateOf, Satisfaction: req.Satisfaction}
	if req.Responsible != nil {
		if req.Responsible.UnitID != nil {
			in.ResponsibleUnitID = req.Responsible.UnitID
		} else if in.ResponsibleName == "" {
			in.ResponsibleName = req.Responsible.Name
		}
	}
	p, err := s.store.TransitionPetition(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type petitionAnswerRequest struct {
	Text    string `json:"text" binding:"required"`
	Version *int   `json:"version"`
}

func (s *Server) draftAnswer(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req petitionAnswerRequest
	if !s.bind(c, &req) {
		return
	}
	p, err := s.store.DraftAnswer(c.Request.Context(), actor(c), id, req.Text, ifMatchVersion(c, req.Version))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type petitionDueDateRequest struct {
	DueOn   string `json:"due_on" binding:"required"`
	Note    string `json:"note"`
	Version *int   `json:"version"`
}

func (s *Server) changeDueDate(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req petitionDueDateRequest
	if !s.bind(c, &req) {
		return
	}
	p, err := s.store.ChangeDueDate(c.Request.Context(), actor(c), id, req.DueOn, req.Note, ifMatchVersion(c, req.Version))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

type petitionNoteRequest struct {
	Note string `json:"note" binding:"required"`
}

func (s *Server) addPetitionNote(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req petitionNoteRequest
	if !s.bind(c, &req) {
		return
	}
	ev, err := s.store.AddPetitionNote(c.Request.Context(), actor(c), id, req.Note)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, ev)
}

func (s *Server) petitionEvents(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	events, err := s.store.PetitionEvents(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, events, "")
}
