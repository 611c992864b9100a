package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// assigneeRoutes registers a commune's officers and the hand-over of a petition to another one.
func (s *Server) assigneeRoutes(authed *gin.RouterGroup) {
	authed.GET("/assignees", s.listAssignees)
	authed.POST("/assignees", s.createAssignee)
	authed.GET("/assignees/:id", s.getAssignee)
	authed.PATCH("/assignees/:id", s.updateAssignee)
	authed.DELETE("/assignees/:id", s.deleteAssignee)
	authed.POST("/petitions/:id/assignee", s.reassignPetition)
}

func (s *Server) listAssignees(c *gin.Context) {
	a := actor(c)
	raw := strings.TrimSpace(c.Query("commune_id"))
	communeID := a.UnitID
	if raw != "" {
		id, ok := models.ParseID(raw)
		if !ok {
			abortFields(c, "commune_id", models.Msg("Mã xã không hợp lệ.", "The commune id is not valid."))
			return
		}
		communeID = id
	}
	items, err := s.store.Assignees(c.Request.Context(), a, communeID, c.Query("all") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, items, "")
}

func (s *Server) getAssignee(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	out, err := s.store.Assignee(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) createAssignee(c *gin.Context) {
	var in models.AssigneeInput
	if !s.bind(c, &in) {
		return
	}
	out, err := s.store.CreateAssignee(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, out)
}

func (s *Server) updateAssignee(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.AssigneeInput
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	out, err := s.store.UpdateAssignee(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}

func (s *Server) deleteAssignee(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	if err := s.store.DeleteAssignee(c.Request.Context(), actor(c), id); err != nil {
		s.fail(c, err)
		return
	}
	c.Status(http.StatusNoContent)
}

func (s *Server) reassignPetition(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.Reassignment
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	p, err := s.store.ReassignPetition(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}
