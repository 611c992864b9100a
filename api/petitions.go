package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// petitionRoutes registers petitions, their corrections, transitions, answers, due dates, notes, events and export.
func (s *Server) petitionRoutes(authed *gin.RouterGroup) {
	authed.GET("/petitions", s.listPetitions)
	authed.POST("/petitions", s.createPetition)
	authed.GET("/petitions/:id", s.getPetition)
	authed.PATCH("/petitions/:id", s.correctPetition)
	authed.POST("/petitions/:id/transitions", s.transitionPetition)
	authed.POST("/petitions/:id/answers", s.draftAnswer)
	authed.POST("/petitions/:id/due-date", s.changeDueDate)
	authed.POST("/petitions/:id/notes", s.addPetitionNote)
	authed.GET("/petitions/:id/events", s.petitionEvents)
	authed.GET("/petitions/export", s.exportPetitions)
	authed.GET("/petitions/rules", petitionRules)
}

func (s *Server) createPetition(c *gin.Context) {
	var in models.PetitionInput
	if !s.bind(c, &in) {
		return
	}
	p, replayed, err := s.store.CreatePetitionOnce(c.Request.Context(), actor(c), c.GetHeader("Idempotency-Key"), in)
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
		State: c.Query("status"), StateType: c.Query("state_type"), Overdue: c.Query("overdue"), DueSoon: c.Query("due_soon"),
		From: c.Query("from"), To: c.Query("to"), Q: c.Query("q"), Sort: c.Query("sort"),
		Assignee: c.Query("assignee"), Page: pg}
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
	encodedValue(c, http.StatusOK, p)
}

// correctPetition corrects what was recorded of a petition (models/corrections.go).
func (s *Server) correctPetition(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.PetitionCorrection
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := s.store.CorrectPetition(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) transitionPetition(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.TransitionInput
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := s.store.TransitionPetition(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) draftAnswer(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.AnswerDraft
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := s.store.DraftAnswer(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) changeDueDate(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.DueDateChange
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := s.store.ChangeDueDate(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) addPetitionNote(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.PetitionNote
	if !s.bind(c, &in) {
		return
	}
	ev, err := s.store.AddPetitionNote(c.Request.Context(), actor(c), id, in)
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
