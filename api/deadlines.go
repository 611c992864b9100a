package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// deadlineRoutes registers the deadlines the law sets: the rules, accepting a complaint or a
// denunciation, and extending its time to resolve.
func (s *Server) deadlineRoutes(authed *gin.RouterGroup) {
	authed.GET("/deadline-rules", s.listDeadlineRules)
	authed.GET("/deadline-rules/:code", s.getDeadlineRule)
	authed.PATCH("/deadline-rules/:code", s.updateDeadlineRule)
	authed.GET("/deadline-rules/:code/events", s.deadlineRuleEvents)
	authed.POST("/petitions/:id/acceptance", s.acceptPetition)
	authed.POST("/petitions/:id/extensions", s.extendDeadline)
}

func (s *Server) listDeadlineRules(c *gin.Context) {
	rules, err := s.store.DeadlineRules(c.Request.Context())
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, rules, "")
}

func (s *Server) getDeadlineRule(c *gin.Context) {
	r, err := s.store.DeadlineRule(c.Request.Context(), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (s *Server) updateDeadlineRule(c *gin.Context) {
	var in models.DeadlineRuleEdit
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	r, err := s.store.UpdateDeadlineRule(c.Request.Context(), actor(c), c.Param("code"), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, r)
}

func (s *Server) deadlineRuleEvents(c *gin.Context) {
	events, err := s.store.DeadlineRuleEvents(c.Request.Context(), actor(c), c.Param("code"))
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, events, "")
}

func (s *Server) acceptPetition(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.Acceptance
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := s.store.AcceptPetition(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) extendDeadline(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.Extension
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := s.store.ExtendDeadline(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
