package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

// unitRoutes registers the unit list and its edits; imports and lineage come with the reorganizations.
func (s *Server) unitRoutes(authed *gin.RouterGroup) {
	authed.GET("/units", s.listUnits)
	authed.POST("/units", s.createUnit)
	authed.GET("/units/:id", s.getUnit)
	authed.PATCH("/units/:id", s.updateUnit)
}

func (s *Server) listUnits(c *gin.Context) {
	units, err := s.store.Units(c.Request.Context(), actor(c), c.Query("history") == "true")
	if err != nil {
		s.fail(c, err)
		return
	}
	list(c, units, "")
}

func (s *Server) getUnit(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	u, err := s.store.Unit(c.Request.Context(), actor(c), id)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}

func (s *Server) createUnit(c *gin.Context) {
	var in models.UnitInput
	if !s.bind(c, &in) {
		return
	}
	u, err := s.store.CreateUnit(c.Request.Context(), actor(c), in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

func (s *Server) updateUnit(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var in models.UnitPatch
	if !s.bind(c, &in) {
		return
	}
	in.Version = ifMatchVersion(c, in.Version)
	u, err := s.store.UpdateUnit(c.Request.Context(), actor(c), id, in)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
