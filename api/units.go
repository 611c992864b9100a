package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/papi-dialogue/papi/models"
)

func (s *Server) listUnits(c *gin.Context) {
	units, err := s.store.Units(c.Request.Context(), actor(c))
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

type unitRequest struct {
	ParentID *int64       `json:"parent_id"`
	Level    models.Level `json:"level" binding:"required,oneof=province district commune hamlet"`
	Name     string       `json:"name" binding:"required,max=200"`
	Code     *string      `json:"code" binding:"omitempty,max=32"`
}

func (s *Server) createUnit(c *gin.Context) {
	var req unitRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.store.CreateUnit(c.Request.Context(), actor(c), models.UnitInput{
		ParentID: req.ParentID, Level: req.Level, Name: req.Name, Code: req.Code})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusCreated, u)
}

type unitPatchRequest struct {
	Name     *string `json:"name" binding:"omitempty,max=200"`
	Code     *string `json:"code" binding:"omitempty,max=32"`
	ParentID *int64  `json:"parent_id"`
	Version  *int    `json:"version"`
}

func (s *Server) updateUnit(c *gin.Context) {
	id, ok := pathID(c, "id")
	if !ok {
		return
	}
	var req unitPatchRequest
	if !s.bind(c, &req) {
		return
	}
	u, err := s.store.UpdateUnit(c.Request.Context(), actor(c), id, models.UnitPatch{
		Name: req.Name, Code: req.Code, ParentID: req.ParentID, Version: ifMatchVersion(c, req.Version)})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, u)
}
